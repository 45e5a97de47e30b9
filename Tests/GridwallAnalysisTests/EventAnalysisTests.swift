// Per-area counts and bins against brute force: every event located on its own with the
// assignment engine, filtered with the plain `EventFilter.admits`, counted in a dictionary.
import Foundation
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallPROJ
import GridwallTestSupport

@Suite struct EventAnalysisTests {
    /// The committed sample district's areas and 100,000 events, analysed once.
    static let sample: (analysis: EventAnalysis, records: [EventRecord], areas: [AreaRecord]) = {
        let areas = try! TestData.sampleAreas()
        let records = try! TestData.csv(TestData.url("geodata/events.csv")).map { r in
            let p = Coordinate(Double(r["lon"]!)!, Double(r["lat"]!)!)
            return EventRecord(time: Int64(ISOTime.parse(r["time"]!)!), position: p, projected: p, category: r["category"]!,
                               status: r["status"]!, source: r["source"]!, grid: -1)
        }
        return (try! EventAnalysis(areas: areas, events: records), records, areas)
    }()

    static func filters(_ records: [EventRecord]) -> [EventFilter] {
        let t0 = records.map(\.time).min()!, t1 = records.map(\.time).max()!
        let day: Int64 = 86_400
        var out: [EventFilter] = [EventFilter()]
        // Whole days, partial days at both ends, a window reaching past the data, an empty one.
        for (from, to) in [(t0, t1 + 1), (t0 + 30 * day + 3_601, t0 + 60 * day + 7_000), (t1 - 7 * day, t1 + 1),
                           (t0 - 5 * day, t0 + 2 * day + 5), (t0 + 10 * day, t0 + 10 * day + 1_800), (t1 + day, t1 + 2 * day)] {
            out.append(EventFilter(from: from, to: to))
        }
        var categories = EventFilter(from: t0 + 30 * day + 3_601, to: t0 + 60 * day + 7_000)
        categories.categories = ["illegal_parking", "noise", "no_such_category"]
        out.append(categories)
        var statuses = EventFilter(from: t1 - 7 * day, to: nil)
        statuses.statuses = ["reported"]
        statuses.sources = ["hotline", "camera_ai"]
        out.append(statuses)
        var box = EventFilter()
        box.bbox = BoundingBox(minX: 120.20, minY: 30.28, maxX: 120.25, maxY: 30.33)
        box.categories = ["illegal_parking"]
        out.append(box)
        return out
    }

    @Test func gridCountsEqualBruteForce() throws {
        let (analysis, records, areas) = Self.sample
        let engine = AssignmentEngine(areas: areas, buildings: [], cameras: [])
        let gridOf = records.map { engine.assign(x: $0.position.x, y: $0.position.y).grid }
        for f in Self.filters(records) {
            var expected = [Int](repeating: 0, count: engine.grids.count + 1)
            for (r, g) in zip(records, gridOf) where f.admits(r) { expected[g >= 0 ? Int(g) : engine.grids.count] += 1 }
            #expect(analysis.events.gridCounts(f) == expected, "filter \(f)")
        }
        // The grid codes follow the engine's grid order.
        #expect(analysis.areas.grids.map { areas[$0].id } == engine.grids.map(\.gridID))
    }

    /// The side panel's tally (per category, status and source) equals counting the admitted
    /// records one by one.
    @Test func tallyEqualsBruteForce() throws {
        let (analysis, records, _) = Self.sample
        for f in Self.filters(records) {
            var expected = EventTally()
            for r in records where f.admits(r) {
                expected.total += 1
                expected.byCategory[r.category, default: 0] += 1
                expected.byStatus[r.status, default: 0] += 1
                expected.bySource[r.source, default: 0] += 1
            }
            #expect(analysis.events.tally(f) == expected, "filter \(f)")
        }
    }

    /// The grid the store assigned an event (when it came in) is where the analysis counts it,
    /// even where locating its point again would say otherwise (a grid redrawn since, a point
    /// on a boundary); events without a stored grid, or with one no longer there, are located.
    @Test func theStoredGridIsTheOneCounted() throws {
        let areas = Self.sample.areas
        let grids = areas.filter { $0.level == .grid }
        let inFirst = grids[0].geometry.boundingBox!.center
        let engine = AssignmentEngine(areas: areas, buildings: [], cameras: [])
        let located = engine.assign(x: inFirst.x, y: inFirst.y).grid
        #expect(located >= 0)
        let elsewhere = grids[Int(located) == 5 ? 6 : 5].id
        func event(_ id: String, _ gridID: String?) -> EventRecord {
            EventRecord(time: 1_795_132_800, position: inFirst, projected: inFirst, category: "c", status: "reported", source: "s",
                        grid: -1, id: id, gridID: gridID)
        }
        for shared in [nil, engine] as [AssignmentEngine?] {
            let analysis = try EventAnalysis(areas: areas, events: [event("stored", elsewhere), event("none", nil), event("gone", "G-no-such")],
                                             engine: shared)
            let counts = analysis.events.gridCounts(EventFilter())
            let code = { (id: String) in grids.firstIndex { $0.id == id }! }
            #expect(counts[code(elsewhere)] == 1, "the stored grid")
            #expect(counts[Int(located)] == 2, "located: no stored grid, or one that is gone")
            #expect(counts.reduce(0, +) == 3)
        }
    }

    @Test func communityAndStreetCountsSumTheirGrids() throws {
        let (analysis, records, areas) = Self.sample
        let f = Self.filters(records)[2]
        let grids = analysis.areaHeatmap(level: .grid, filter: f).areas
        for level in [AreaLevel.community, .street, .district] {
            let rows = analysis.areaHeatmap(level: level, filter: f).areas
            #expect(rows.count == areas.filter { $0.level == level }.count)
            #expect(rows.map(\.count).reduce(0, +) == grids.map(\.count).reduce(0, +), "\(level)")
        }
        // The previous window is the same length just before.
        let day: Int64 = 86_400
        let t = records.map(\.time).max()! - 20 * day
        let now = analysis.areaHeatmap(level: .grid, filter: EventFilter(from: t, to: t + 7 * day)).areas
        let before = analysis.events.gridCounts(EventFilter(from: t - 7 * day, to: t))
        for (g, row) in now.enumerated() { #expect(row.previous == before[g]) }
    }

    @Test func areasAreMeasuredInSquareKilometres() throws {
        let (analysis, _, areas) = Self.sample
        // Grids tile the district: their areas add up to the district's.
        let district = areas.indices.first { areas[$0].level == .district }!
        let sum = analysis.areas.grids.map { analysis.areas.squareKilometres[$0] }.reduce(0, +)
        #expect(abs(sum - analysis.areas.squareKilometres[district]) < 1e-6 * sum)
        // Against a geodesic measure of one grid (PROJ's ellipsoidal polygon area).
        let g = analysis.areas.grids[0]
        let geodesic = Geodesic.polygonArea(areas[g].geometry.polygons[0].exterior) / 1e6
        #expect(abs(analysis.areas.squareKilometres[g] - geodesic) < 0.002 * geodesic)
    }

    @Test func binCountsEqualBruteForce() throws {
        let (analysis, records, _) = Self.sample
        var projected = records.map(\.position)
        try ProjTransformer(fromEPSG: 4326, toEPSG: analysis.crs).forward(&projected)
        for grid in [BinGrid(.hex, size: 250), BinGrid(.square, size: 500), BinGrid(.hex, size: 97.5)] {
            for f in Self.filters(records) {
                var expected: [BinKey: Int] = [:]
                for (r, p) in zip(records, projected) where f.admits(r) { expected[bruteForceBin(grid, p), default: 0] += 1 }
                let got = try analysis.bins(grid, filter: f)
                #expect(Dictionary(uniqueKeysWithValues: got.map { ($0.key, $0.count) }) == expected, "\(grid) \(f)")
                #expect(got.allSatisfy { $0.count > 0 })
            }
        }
    }

    /// A category whose only events lie outside the days the totals cover (an absurd clock)
    /// has no totals at all: its events are still counted, from the columns.
    @Test func categoriesWithoutTotalsAreCounted() {
        let p = Coordinate(500_000, 3_350_000)
        func event(_ time: Int64, _ category: String) -> EventRecord {
            EventRecord(time: time, position: Coordinate(120, 30), projected: p, category: category, status: "reported", source: "hotline", grid: 0)
        }
        let day: Int64 = 86_400, t0: Int64 = 1_790_000_000
        var columns = EventColumns(crs: 4549, gridCount: 2, records: (0..<100).map { event(t0 + Int64($0) * day / 4, "noise") },
                                   binExtent: BoundingBox(minX: 499_000, minY: 3_349_000, maxX: 501_000, maxY: 3_351_000))
        columns.append(event(4_102_444_800, "typo_clock"))   // 2100: outside the covered days
        var f = EventFilter(); f.categories = ["typo_clock"]
        #expect(columns.gridCounts(f) == [1, 0, 0])
        #expect(columns.binsFromCubes(BinGrid(.hex, size: 250), filter: f)?.map(\.count) == [1])
        f.categories = ["typo_clock", "noise"]
        #expect(columns.gridCounts(f) == [101, 0, 0])
    }

    /// Category filters on the default bin sizes are answered from per-category day totals
    /// (the brute-force comparison above covers their values).
    @Test func categoryBinsComeFromDayTotals() {
        let (analysis, records, _) = Self.sample
        let categories = Self.filters(records)[7]
        #expect(categories.categories != nil && categories.statuses == nil)
        #expect(analysis.events.binsFromCubes(BinGrid(.hex, size: 250), filter: categories) != nil)
        #expect(analysis.events.binsFromCubes(BinGrid(.square, size: 500), filter: categories) != nil)
        #expect(analysis.events.binsFromCubes(BinGrid(.hex, size: 500), filter: categories) == nil)
        #expect(analysis.events.binsFromCubes(BinGrid(.hex, size: 250), filter: Self.filters(records)[8]) == nil)
    }

    /// The bin whose centre is nearest (a hexagonal tiling is the Voronoi diagram of its
    /// centres); squares by floor.
    func bruteForceBin(_ grid: BinGrid, _ p: Coordinate) -> BinKey {
        guard grid.shape == .hex else { return BinKey(Int32((p.x / grid.size).rounded(.down)), Int32((p.y / grid.size).rounded(.down))) }
        let r0 = Int32((p.y / (1.5 * grid.size)).rounded())
        var best = BinKey(0, 0), bestDistance = Double.infinity
        for r in (r0 - 2)...(r0 + 2) {
            let q0 = Int32((p.x / (grid.size * 3.0.squareRoot()) - Double(r) / 2).rounded())
            for q in (q0 - 2)...(q0 + 2) {
                let c = grid.centre(BinKey(q, r))
                let d = (c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y)
                if d < bestDistance { bestDistance = d; best = BinKey(q, r) }
            }
        }
        return best
    }

    @Test func lateAndShuffledEventsKeepTimeOrderAndCounts() throws {
        let (analysis, records, _) = Self.sample
        var rng = TestData.random("late events")
        // Rebuild from a shuffled copy, then append events older than everything and in between.
        var order = Array(records.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(0, i)) }
        var projected = records.map(\.position)
        try ProjTransformer(fromEPSG: 4326, toEPSG: analysis.crs).forward(&projected)
        var added: [EventRecord] = order.prefix(50_000).map { i in
            var r = records[i]; r.grid = Int32(i % analysis.events.gridCount); r.projected = projected[i]; return r
        }
        var columns = EventColumns(crs: analysis.crs, gridCount: analysis.events.gridCount, records: added,
                                   binExtent: analysis.events.projectedBox)
        let t0 = records.map(\.time).min()!
        for n in 0..<200 {
            var r = records[rng.int(0, records.count - 1)]
            // Late reports, reports a few hours off, and absurd clocks (1970, 2100, 40 days early),
            // which the day totals leave to the columns.
            switch n % 10 {
            case 0: r.time = Int64(rng.int(0, 86_400 * 3))
            case 1: r.time = 4_102_444_800 + Int64(rng.int(0, 86_400))
            case 2: r.time = t0 - 40 * 86_400 - Int64(rng.int(0, 86_400))
            case 3, 4, 5: r.time = t0 - Int64(rng.int(1, 20 * 86_400))
            default: r.time = r.time + Int64(rng.int(-3_600, 3_600))
            }
            r.grid = Int32(rng.int(0, analysis.events.gridCount - 1))
            r.projected = projected[rng.int(0, projected.count - 1)]
            columns.append(r); added.append(r)
        }
        #expect(zip(columns.times, columns.times.dropFirst()).allSatisfy { $0 <= $1 })
        var answered = 0
        for f in Self.filters(records) + Self.filters(added) {
            var expected = [Int](repeating: 0, count: analysis.events.gridCount + 1)
            for r in added where f.admits(r) { expected[Int(r.grid)] += 1 }
            #expect(columns.gridCounts(f) == expected, "filter \(f)")
            // Bins from the pre-aggregated cubes, where they answer: aggregated squares, hexagons.
            for grid in [BinGrid(.square, size: 500), BinGrid(.hex, size: 250)] {
                if let bins = columns.binsFromCubes(grid, filter: f) {
                    var byKey: [BinKey: Int] = [:]
                    for r in added where f.admits(r) { byKey[grid.key(of: r.projected), default: 0] += 1 }
                    #expect(Dictionary(uniqueKeysWithValues: bins.map { ($0.key, $0.count) }) == byKey, "\(grid), filter \(f)")
                    answered += 1
                }
            }
        }
        #expect(answered >= 10)
    }

    /// Hot spots over bins in a CRS the user names (UTM 51N instead of the district's
    /// Gauss–Krüger zone): the events are projected there, bins aligned to its origin.
    @Test func hotSpotsInANamedCRS() throws {
        let (analysis, records, _) = Self.sample
        let f = Self.filters(records)[2]
        let grid = BinGrid(.square, size: 500)
        let spots = try analysis.hotSpots(.bins(grid, includeEmpty: true, crs: 32651), weights: .contiguity(.queen), filter: f)
        var projected = records.filter(f.admits).map(\.position)
        try ProjTransformer(fromEPSG: 4326, toEPSG: 32651).forward(&projected)
        var expected: [BinKey: Int] = [:]
        for p in projected { expected[grid.key(of: p), default: 0] += 1 }
        #expect(Dictionary(uniqueKeysWithValues: spots.filter { $0.count > 0 }.map { ($0.bin!, $0.count) }) == expected)
        // The full rectangle: every cell between the extreme keys.
        let a = expected.keys.map(\.a), b = expected.keys.map(\.b)
        #expect(spots.count == Int(a.max()! - a.min()! + 1) * Int(b.max()! - b.min()! + 1))
        #expect(spots.contains { $0.result.classification == .hot99 })
    }
}
