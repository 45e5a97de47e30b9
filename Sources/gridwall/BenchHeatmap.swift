// `gridwall bench heatmap`: per-grid counts, hexagonal bins and Gi* over a 10,000,000-event
// store of the sample district, one core, against numpy, DuckDB, h3ronpy and esda on the same
// events and windows (scripts/reference/heatmap_reference.py), answers compared.
//
// The events: SyntheticEvents (the sample's events copied at random times over a year).
import ArgumentParser
import Foundation
import GridwallAnalysis
import GridwallCore
import GridwallStore

struct BenchHeatmap: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "heatmap", abstract: "Heatmap and hot-spot query times.")

    @Option(help: "Events in the store.") var events = 10_000_000
    @Option(help: "Events in the Gi* run (the most recent ones).") var gistarEvents = 1_000_000
    @Option(help: "Folder with the sample district.") var geodata = "geodata"
    @Option(help: "Python interpreter with numpy, pandas, duckdb, h3ronpy, esda and libpysal (skipped if missing).") var python = "python3"
    @Option(help: "Repetitions of each Gridwall query (the best is reported).") var repeats = 5
    @Option(help: "PostGIS: auto (when installed), off.") var postgis = "auto"

    func run() throws {
        print("# gridwall bench heatmap — \(events) events, sample district, 1 core, " + ISOTime.format(Int64(Date().timeIntervalSince1970)))
        let (store, loadTime) = try SyntheticEvents.analysis(events: events, geodata: geodata)
        print(String(format: "store: %d events over 365 days, %d grids, built in %.1f s (projection, grid location, columns, day counts); day totals %.0f kB per day",
                     store.events.count, store.areas.grids.count, loadTime, Double(store.events.dayTotalBytesPerDay) / 1000))

        // The queries: windows ending at the last event, so both ends cut through a day.
        let last = store.events.times.last! + 1
        try heatTiles(store, window: EventFilter(from: last - 30 * 86_400, to: last))
        let categories = store.events.categoryNames.names
        let busiest = mostFrequent(store.events.categories, count: categories.count).map { categories[$0] }
        var month = EventFilter(from: last - 30 * 86_400, to: last); month.categories = [busiest[0]]
        var week = EventFilter(from: last - 7 * 86_400, to: last); week.categories = Set(busiest[1...3])
        let windows: [(String, String, EventFilter)] = [
            ("month", "30 days, 1 category (\(busiest[0]))", month),
            ("week", "7 days, 3 categories", week),
            ("all", "whole history, no filter", EventFilter()),
        ]
        var ours: [String: (seconds: Double, counts: [Int])] = [:]
        for (name, _, f) in windows {
            var counts: [Int] = []
            let s = best(repeats) { counts = store.events.gridCounts(f) }
            ours[name] = (s, counts)
        }
        let hex = BinGrid(.hex, size: 250)
        var hexBins: [BinCount] = []
        let hexSeconds = best(repeats) { hexBins = store.events.bins(hex, filter: EventFilter()) }
        // The same bins counted from the events (naming every status keeps the day totals out).
        var everything = EventFilter(); everything.statuses = Set(store.events.statusNames.names)
        var scannedBins: [BinCount] = []
        let scanSeconds = best(min(repeats, 3)) { scannedBins = store.events.bins(hex, filter: everything) }
        if scannedBins != hexBins { throw GridwallError(.invalidInput, "hexagon counts from the cubes differ from the events") }
        // One category over 30 days, from the per-category totals, checked against counting.
        var monthHex: [BinCount] = []
        let monthHexSeconds = best(repeats) { monthHex = store.events.bins(hex, filter: month) }
        var monthScan = month; monthScan.statuses = Set(store.events.statusNames.names)
        if store.events.bins(hex, filter: monthScan) != monthHex { throw GridwallError(.invalidInput, "per-category hexagon totals differ from the events") }
        let firstGi = max(0, store.events.count - gistarEvents)
        let giFilter = EventFilter(from: store.events.times[firstGi], to: last)
        let giRange = store.events.range(from: giFilter.from, to: giFilter.to)
        var spots: [HotSpot] = []
        let giSeconds = try best(repeats) {
            spots = try store.hotSpots(.bins(BinGrid(.square, size: 500), includeEmpty: true, crs: nil), weights: .contiguity(.queen), filter: giFilter)
        }

        // The same Gi* counting the events (naming every status keeps the day totals out).
        var giScanFilter = giFilter; giScanFilter.statuses = Set(store.events.statusNames.names)
        var scannedSpots: [HotSpot] = []
        let giScanSeconds = try best(min(repeats, 3)) {
            scannedSpots = try store.hotSpots(.bins(BinGrid(.square, size: 500), includeEmpty: true, crs: nil), weights: .contiguity(.queen), filter: giScanFilter)
        }
        if scannedSpots != spots { throw GridwallError(.invalidInput, "Gi* from the day cubes differs from Gi* counting the events") }

        for (name, what, _) in windows {
            let o = ours[name]!
            print(String(format: "Gridwall per-grid counts, %@: %.4f ms (%d events)", what as NSString, o.seconds * 1000, o.counts.reduce(0, +)))
        }
        print(String(format: "Gridwall hex bins 250 m, whole history: %.3f ms from the day cubes (%d bins); %.1f ms counting every event (same bins)",
                     hexSeconds * 1000, hexBins.count, scanSeconds * 1000))
        print(String(format: "Gridwall hex bins 250 m, 30 days, 1 category: %.3f ms from the per-category day totals (%d bins, same as counting)",
                     monthHexSeconds * 1000, monthHex.count))
        print(String(format: "Gridwall Gi* over 500 m squares of %d events (binning, queen lattice, Gi*): %.2f ms from the day cubes (%d cells, %d hot at 99 %%); %.1f ms counting every event (same z)",
                     giRange.count, giSeconds * 1000, spots.count, spots.filter { $0.result.classification == .hot99 }.count, giScanSeconds * 1000))

        try timeRandomWindows(store, category: busiest[0])

        // The references, on the same columns.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-heatmap-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let e = store.events
        try write(e.times, dir, "time.bin"); try write(e.categories, dir, "category.bin"); try write(e.grids, dir, "grid.bin")
        try write(e.lons, dir, "lon.bin"); try write(e.lats, dir, "lat.bin"); try write(e.xs, dir, "x.bin"); try write(e.ys, dir, "y.bin")
        let queries: JSONValue = .object([
            "grid_slots": .number(Double(e.gridCount + 1)),
            "windows": .array(windows.map { name, _, f in .object([
                "name": .string(name), "from": f.from.map { .number(Double($0)) } ?? .null, "to": f.to.map { .number(Double($0)) } ?? .null,
                "categories": f.categories.map { .array($0.map { .number(Double(e.categoryNames.existingCode($0)!)) }) } ?? .null,
            ]) }),
            "gistar": .object(["first": .number(Double(giRange.lowerBound)), "last": .number(Double(giRange.upperBound)), "cell": .number(500)]),
        ])
        try queries.serialized.write(to: dir.appendingPathComponent("queries.json"), atomically: true, encoding: .utf8)
        if postgis != "off" {
            try benchPostgreSQL(store.events, windows: windows, ours: ours)
        }
        guard try runReferenceScript(python, "heatmap_reference.py", [dir.path], showErrors: true) != nil,
              let reference = try? JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("reference.json"))) else {
            print("references: skipped (\(python) with numpy, pandas, duckdb, h3ronpy, esda and libpysal not found)")
            return
        }
        var bestRatios: [String: Double] = [:]
        for tool in ["numpy", "duckdb"] {
            for (name, what, _) in windows {
                guard let seconds = reference[tool]?[name]?.doubleValue else { print("\(tool): \(reference["\(tool)_error"]?.stringValue ?? "not run")"); break }
                let theirs = try readInt64(dir.appendingPathComponent("\(tool)_\(name).out"))
                let same = theirs == ours[name]!.counts.map(Int64.init)
                let ratio = seconds / ours[name]!.seconds
                bestRatios[name] = min(bestRatios[name] ?? .infinity, ratio)
                print(String(format: "%@ per-grid counts, %@: %.2f ms; same counts: %@; ratio Gridwall / %@ = %.0f×",
                             tool as NSString, what as NSString, seconds * 1000, same ? "yes" : "NO", tool as NSString, ratio))
                if !same { throw GridwallError(.invalidInput, "\(tool) counts differ for the \(name) window") }
            }
        }
        if let h3 = reference["h3ronpy"], let seconds = h3["seconds"]?.doubleValue {
            let total = h3["events"]?.doubleValue.map(Int.init) ?? -1
            let ratio = seconds / hexSeconds
            bestRatios["hex"] = ratio
            print(String(format: "h3ronpy H3 resolution 9 cells, whole history: %.1f ms (%d cells); events binned: %d (Gridwall %d); ratio Gridwall / h3ronpy = %.0f× (%.1f× counting every event)",
                         seconds * 1000, h3["cells"]?.doubleValue.map(Int.init) ?? 0, total, hexBins.map(\.count).reduce(0, +), ratio, seconds / scanSeconds))
            if total != hexBins.map(\.count).reduce(0, +) { throw GridwallError(.invalidInput, "h3ronpy binned a different number of events") }
        } else { print("h3ronpy: \(reference["h3ronpy_error"]?.stringValue ?? "not run")") }
        if let esda = reference["esda"], let seconds = esda["seconds"]?.doubleValue {
            let z = try readDouble(dir.appendingPathComponent("esda_z.out"))
            let columns = Int(esda["columns"]!.doubleValue!), c0 = Int32(esda["first_column"]!.doubleValue!), r0 = Int32(esda["first_row"]!.doubleValue!)
            var worst = 0.0
            for s in spots {
                let i = Int(s.bin!.b - r0) * columns + Int(s.bin!.a - c0)
                worst = max(worst, abs(s.result.z - z[i]))
            }
            let binning = esda["binning_seconds"]?.doubleValue ?? 0
            let ratio = seconds / giSeconds
            bestRatios["gistar"] = ratio
            print(String(format: "esda G_Local(star=True) on the same %d cells: %.1f ms (numpy binning %.1f ms more); same cells: %@; largest |z − esda| = %.1e; ratio Gridwall / esda = %.0f× (%.0f× with binning; counting every event %.1f×)",
                         z.count, seconds * 1000, binning * 1000, z.count == spots.count ? "yes" : "NO", worst, ratio, (seconds + binning) / giSeconds,
                         (seconds + binning) / giScanSeconds))
            if z.count != spots.count || worst > 1e-9 { throw GridwallError(.invalidInput, "Gi* differs from esda") }
        } else { print("esda: \(reference["esda_error"]?.stringValue ?? "not run")") }
        print("best reference / Gridwall: " + ["month", "week", "all", "hex", "gistar"].compactMap { k in bestRatios[k].map { String(format: "%@ %.0f×", k, $0) } }.joined(separator: ", "))
    }

    /// The same per-grid counts in PostgreSQL (PostGIS's server): a table of (time, category,
    /// grid) with a B-tree on time, `GROUP BY grid` per window, best of 3, counts compared.
    func benchPostgreSQL(_ e: EventColumns, windows: [(String, String, EventFilter)], ours: [String: (seconds: Double, counts: [Int])]) throws {
        guard let cluster = try PostGISCluster.start() else {
            print("PostgreSQL: not installed (apt-get install postgresql-15-postgis-3); skipped")
            return
        }
        defer { cluster.stop() }
        var csv: [UInt8] = []
        csv.reserveCapacity(e.count * 20)
        for i in 0..<e.count {
            csv += String(e.times[i]).utf8; csv.append(44)
            csv += String(e.categories[i]).utf8; csv.append(44)
            csv += String(e.grids[i]).utf8; csv.append(10)
        }
        let file = try cluster.file("events.csv", bytes: csv)
        csv = []
        var script = """
            CREATE TABLE events (time bigint, category int, grid int);
            \\copy events FROM '\(file)' CSV
            CREATE INDEX ON events (time);
            VACUUM ANALYZE events;
            SET max_parallel_workers_per_gather = 0;
            \\timing on

            """
        var outputs: [String: String] = [:]
        for (name, _, f) in windows {
            var conditions = ["true"]
            if let from = f.from, let to = f.to { conditions.append("time >= \(from) AND time < \(to)") }
            if let c = f.categories { conditions.append("category IN (\(c.map { String(e.categoryNames.existingCode($0)!) }.joined(separator: ",")))") }
            let sql = "SELECT grid, count(*) FROM events WHERE \(conditions.joined(separator: " AND ")) GROUP BY grid"
            for _ in 0..<3 { script += "\(sql);\n" }
            outputs[name] = try cluster.file("counts-\(name).csv", "")
            script += "\\timing off\n\\copy (\(sql)) TO '\(outputs[name]!)' CSV\n\\timing on\n"
        }
        let timings = PostGISCluster.timings(try cluster.psql(script))
        guard timings.count >= 3 * windows.count else { throw GridwallError(.io, "PostgreSQL printed \(timings.count) timings") }
        for (w, (name, what, _)) in windows.enumerated() {
            let seconds = timings[(3 * w)..<(3 * w + 3)].min()! / 1000
            var counts = [Int](repeating: 0, count: e.gridCount + 1)
            for row in try String(contentsOfFile: outputs[name]!, encoding: .utf8).split(separator: "\n") {
                let f = row.split(separator: ",")
                if f.count == 2, let g = Int(f[0]), let n = Int(f[1]) { counts[g] = n }
            }
            let same = counts == ours[name]!.counts
            print(String(format: "PostgreSQL per-grid counts, %@: %.2f ms; same counts: %@; ratio Gridwall / PostgreSQL = %.0f×",
                         what as NSString, seconds * 1000, same ? "yes" : "NO", seconds / ours[name]!.seconds))
            if !same { throw GridwallError(.invalidInput, "PostgreSQL counts differ for the \(name) window") }
        }
    }

    func mostFrequent(_ codes: [UInt16], count: Int) -> [Int] {
        var n = [Int](repeating: 0, count: count)
        for c in codes { n[Int(c)] += 1 }
        return n.indices.sorted { n[$0] > n[$1] }
    }

}

extension BenchHeatmap {
    /// Kernel density over 30 days of the store (300 m, 50 m cells) and the heat tiles over its
    /// densest spot at zoom 12 (from that raster) and zoom 18 (a raster of the tile's own),
    /// each drawn uncached, as a first request would.
    func heatTiles(_ store: EventAnalysis, window: EventFilter) throws {
        var whole = DensityRaster(minX: 0, minY: 0, cellSize: 1, columns: 1, rows: 1)
        let rasterTime = try best(repeats) { whole = try store.density(filter: window, bandwidth: 300, cellSize: 50) }
        var matched = 0
        store.events.forEachMatch(window) { _ in matched += 1 }
        let densest = whole.values.indices.max { whole.values[$0] < whole.values[$1] }!
        let spot = try store.lonLat(whole.centre(column: densest % whole.columns, row: densest / whole.columns))
        var line = String(format: "heat tiles, 30 days (%d events), h 300 m, 50 m cells: the filter's raster %.1f ms (%d×%d cells)",
                          matched, rasterTime * 1000, whole.columns, whole.rows)
        for z in [12, 18] {
            let w = TileID.world(spot), n = Double(1 << z)
            let x = Int(w.x * n), y = Int(w.y * n)
            var cells = 0
            let seconds = try best(repeats) {
                let own = try store.tileRaster(filter: window, bandwidth: 300, cellSize: 50, z: z, x: x, y: y)
                cells = own.map { $0.columns * $0.rows } ?? 0
                _ = try store.heatTile(own ?? whole, scale: whole.displayScale, z: z, x: x, y: y)
            }
            line += String(format: "; z%d tile %.1f ms (%@)", z, seconds * 1000,
                           (cells > 0 ? "its own raster, \(cells) cells" : "read from the filter's raster") as NSString)
        }
        print(line)
    }
}

