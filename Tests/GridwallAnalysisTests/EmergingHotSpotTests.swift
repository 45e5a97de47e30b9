// Emerging hot spots against PySAL and pymannkendall: the sample district's grids (12 weeks,
// queen contiguity) and Toronto's 2020 events in 500 m squares (53 weeks, queen lattice), each
// with one lag. The reference (scripts/reference/emerging_reference.py, fixtures in
// Tests/Fixtures/emerging) counts the cube itself, takes Gi* from esda over space-time weights it
// builds, the trend from pymannkendall, and the patterns from its own implementation of the
// documented rules. Also: the rules on hand-made step sequences, and Mann–Kendall on series whose
// statistics are known by hand.
import Foundation
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallTestSupport

@Suite struct EmergingHotSpotTests {
    static let week: Int64 = 604_800

    /// Compares every location with the reference row of the same key.
    func expectSame(_ cube: EmergingHotSpotCube, _ rows: [[String: String]], keys: [String], key: ([String: String]) -> String,
                    _ what: String) {
        #expect(cube.locationCount == rows.count, "\(what): locations")
        let byKey = Dictionary(rows.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        var patterns = 0, worst = 0.0
        for (i, k) in keys.enumerated() {
            guard let row = byKey[k] else { Issue.record("\(what): no reference for \(k)"); continue }
            let counts = cube.counts(of: i), l = cube.locations[i]
            #expect(counts.reduce(0, +) == Int(row["total"]!)!, "\(what) \(k): total")
            #expect(counts.enumerated().reduce(0) { $0 + $1.offset * $1.element } == Int(row["weighted"]!)!, "\(what) \(k): counts by step")
            let marks = String(l.steps.map { $0.classification == .notSignificant || !$0.z.isFinite ? "." : $0.z > 0 ? "H" : "C" })
            #expect(marks == row["marks"]!, "\(what) \(k): significant steps")
            let z = l.steps.map(\.z)
            for (ours, column) in [(z.reduce(0, +), "z_sum"), (z.reduce(0) { $0 + $1 * $1 }, "z_sumsq"), (z.last!, "z_last"),
                                   (l.trend.z, "mk_z"), (l.trend.p, "mk_p"), (l.trend.tau, "tau")] {
                let theirs = Double(row[column]!)!
                worst = max(worst, abs(ours - theirs) / max(1, abs(theirs)))
            }
            #expect(l.trend.s == Double(row["mk_s"]!)! && abs(l.trend.variance - Double(row["mk_var"]!)!) < 1e-9, "\(what) \(k): Mann–Kendall S and its variance")
            #expect(l.pattern.rawValue == row["pattern"]!, "\(what) \(k): pattern")
            if l.pattern != .none { patterns += 1 }
        }
        #expect(worst < 1e-9, "\(what): largest relative difference in z sums and trends \(worst)")
        #expect(patterns >= 20, "\(what): only \(patterns) locations with a pattern; the comparison would prove little")
    }

    @Test func sampleDistrictGridsMatchPySAL() throws {
        let analysis = EventAnalysisTests.sample.analysis
        let rows = try TestData.csv(TestData.url("Tests/Fixtures/emerging/sample_grids_weekly.csv"))
        let newest = analysis.events.times.last!
        let start = EventSeries.Step.week.start(of: newest) - 11 * Self.week
        let cube = try analysis.emergingHotSpots(.grids, weights: .contiguity(.queen), step: .week, from: start, to: newest + 1, lags: 1,
                                                  filter: EventFilter())
        #expect(cube.steps == 12)
        expectSame(cube, rows, keys: cube.records!.map { analysis.areas.records[$0].id }, key: { $0["grid_id"]! }, "sample district")

        // The same through the request parser and the answer (the window by default: 12 weeks up to the newest event).
        let q = try HeatmapRequest(given: ["by", "units"]) { ["by": "emerging", "units": "grid"][$0] }
        guard case .features(let features, let summary) = try analysis.heatmap(q) else { Issue.record("no features"); return }
        #expect(summary["steps"] == .number(12) && summary["from"] == .string(ISOTime.format(start)))
        let expected = Dictionary(rows.map { ($0["grid_id"]!, $0["pattern"]!) }, uniquingKeysWith: { a, _ in a })
        #expect(features.allSatisfy { f in
            guard case .string(let id) = f.properties["id"], case .string(let pattern) = f.properties["pattern"] else { return false }
            return expected[id] == pattern
        })
    }

    @Test func torontoSquaresMatchPySAL() throws {
        let rows = try TestData.csv(TestData.url("Tests/Fixtures/emerging/toronto_squares_weekly.csv"))
        let events = try TestData.csv(TestData.realdata.appendingPathComponent("toronto_mci_2020/events_2020.csv")).map { r in
            let p = Coordinate(Double(r["lon"]!)!, Double(r["lat"]!)!)
            return EventRecord(time: Int64(ISOTime.parse(r["time"]!)!), position: p, projected: p, category: r["category"]!,
                               status: "reported", source: "police", grid: -1)
        }
        let analysis = try EventAnalysis(areas: [], events: events, crs: 32617)
        let grid = BinGrid(.square, size: 500)
        let from = Int64(ISOTime.parse("2020-01-01T00:00:00Z")!), to = Int64(ISOTime.parse("2021-01-01T00:00:00Z")!)
        let cube = try analysis.emergingHotSpots(.bins(grid, includeEmpty: true, crs: nil), weights: .contiguity(.queen), step: .week,
                                                  from: from, to: to, lags: 1, filter: EventFilter())
        #expect(cube.steps == 53)
        // Naming a status keeps the day totals out: the same cube counted from the events.
        var scanning = EventFilter(); scanning.statuses = ["reported"]
        let scanned = try analysis.emergingHotSpots(.bins(grid, includeEmpty: true, crs: nil), weights: .contiguity(.queen), step: .week,
                                                     from: from, to: to, lags: 1, filter: scanning)
        #expect(scanned.counts == cube.counts && scanned.bins == cube.bins)
        expectSame(cube, rows, keys: cube.bins!.map { "\($0.a),\($0.b)" }, key: { "\($0["col"]!),\($0["row"]!)" }, "Toronto")
    }

    @Test func patternsFollowTheDocumentedRules() {
        typealias P = EmergingHotSpots.Pattern
        func marks(_ s: String) -> [Int] { s.map { $0 == "H" ? 1 : $0 == "C" ? -1 : 0 } }
        let cases: [(String, Int, P)] = [
            ("HHHHHHHHHH", 1, .intensifyingHot), ("HHHHHHHHHH", -1, .diminishingHot), ("HHHHHHHHHH", 0, .persistentHot),
            (".HHHHHHHHHH", 0, .persistentHot),             // 10 of 11 steps: at least 90 %
            ("..HHHHHHHHH", 0, .consecutiveHot),            // 9 of 11: fewer, one run at the end
            ("..........H", 0, .newHot), ("H.........H", 0, .sporadicHot), ("C.........H", 0, .oscillatingHot),
            ("C.......HHH", 0, .oscillatingHot), ("HHHHHHHHHH.", 0, .historicalHot), ("HHHHHHHHH..", 0, .none),
            ("CCCCCCCCCC", -1, .intensifyingCold), ("CCCCCCCCCC", 1, .diminishingCold), ("..........C", 0, .newCold),
            ("H.........C", 0, .oscillatingCold), ("C..C.....CC", 0, .sporadicCold), ("CCCCCCCCCC.", 0, .historicalCold),
            ("..........", 1, .none),
        ]
        for (s, trend, expected) in cases { #expect(P.classify(marks(s), trend: trend) == expected, "\(s), trend \(trend)") }
    }

    @Test func mannKendallOnSeriesKnownByHand() {
        // 1…5 rising: S = 10 (every pair rises), Var = 5·4·15/18, Z = 9/√Var, tau = 1.
        let rising = MannKendall.test([1, 2, 3, 4, 5])
        #expect(rising.s == 10 && abs(rising.variance - 50.0 / 3) < 1e-12 && rising.tau == 1)
        #expect(abs(rising.z - 9 / (50.0 / 3).squareRoot()) < 1e-12 && abs(rising.p - 0.027486) < 1e-6)
        // Ties: 1 1 2 → S = 2, Var = (3·2·11 − 2·1·9)/18 = 48/18, Z = 1/√Var.
        let tied = MannKendall.test([1, 1, 2])
        #expect(tied.s == 2 && abs(tied.variance - 48.0 / 18) < 1e-12 && abs(tied.z - 1 / (48.0 / 18).squareRoot()) < 1e-12)
        #expect(MannKendall.test([3, 3, 3]).p == 1 && MannKendall.test([2]).s == 0)
    }

    @Test func badRequestsNameTheParameter() throws {
        let analysis = EventAnalysisTests.sample.analysis
        for (given, parameter) in [(["by": "emerging", "step": "hour"], "step"), (["by": "emerging", "steps": "1"], "steps"),
                                   (["by": "emerging", "lags": "40"], "lags"),
                                   (["by": "emerging", "steps": "4", "from": "2026-09-01T00:00:00Z"], "steps")] {
            #expect {
                _ = try analysis.heatmap(try HeatmapRequest(given: Array(given.keys)) { given[$0] })
            } throws: { ($0 as? GridwallError)?.location == parameter }
        }
        let window = ["by": "emerging", "step": "day", "steps": "600"]
        #expect(throws: GridwallError.self) { _ = try HeatmapRequest(given: Array(window.keys)) { window[$0] } }
    }
}
