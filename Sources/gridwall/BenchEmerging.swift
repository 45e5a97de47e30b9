// `gridwall bench emerging`: emerging hot spots over the benchmark store (10,000,000 events of
// the sample district over a year, SyntheticEvents), 52 weekly steps, 500 m squares, queen
// lattice, one lag, one core; beside the same analysis in Python (numpy binning, libpysal
// space-time weights, esda G_Local, pymannkendall, the documented rules:
// scripts/reference/emerging_bench_reference.py) on the same events, answers compared.
import ArgumentParser
import Foundation
import GridwallAnalysis
import GridwallCore

struct BenchEmerging: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "emerging", abstract: "Emerging hot spots against esda + pymannkendall.")

    @Option(help: "Events in the store.") var events = 10_000_000
    @Option(help: "Weekly steps.") var steps = 52
    @Option(name: .customLong("size-m"), help: "Square bins' side in metres.") var size = 500.0
    @Option(help: "Folder with the sample district.") var geodata = "geodata"
    @Option(help: "Python with esda, libpysal and pymannkendall (default: the reference environment; skipped if missing).") var python: String?
    @Option(help: "Repetitions of each Gridwall run (the best is reported).") var repeats = 5

    func run() throws {
        print("# gridwall bench emerging — \(events) events, sample district, 1 core, " + ISOTime.format(Int64(Date().timeIntervalSince1970)))
        let (store, loadTime) = try SyntheticEvents.analysis(events: events, geodata: geodata)
        print(String(format: "store: %d events over 365 days, built in %.1f s", store.events.count, loadTime))
        let last = store.events.times.last! + 1
        let week = EventSeries.Step.week
        let from = week.start(of: last - 1) - Int64(steps - 1) * week.seconds
        let grid = BinGrid(.square, size: size)
        func analyse(_ filter: EventFilter) throws -> EmergingHotSpotCube {
            try store.emergingHotSpots(.bins(grid, includeEmpty: true, crs: nil), weights: .contiguity(.queen), step: week,
                                       from: from, to: last, lags: 1, filter: filter)
        }
        var cube = try analyse(EventFilter())
        let ours = try best(repeats) { cube = try analyse(EventFilter()) }
        // The same counting every event (naming every status keeps the day totals out).
        var scanning = EventFilter(); scanning.statuses = Set(store.events.statusNames.names)
        var scanned = cube
        let scanSeconds = try best(min(repeats, 3)) { scanned = try analyse(scanning) }
        if scanned.counts != cube.counts { throw GridwallError(.invalidInput, "the cube from the day totals differs from counting the events") }
        let events = cube.counts.reduce(0, +)
        var tally: [String: Int] = [:]
        for l in cube.locations { tally[l.pattern.rawValue, default: 0] += 1 }
        let patterns = tally.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print(String(format: "Gridwall: %d events in %d squares of %.0f m × %d weeks from %@ (lag 1, queen): %.1f ms from the day cubes, %.1f ms counting every event",
                     events, cube.locationCount, size, cube.steps, ISOTime.format(cube.from) as NSString, ours * 1000, scanSeconds * 1000))
        print("  patterns: \(patterns)")

        // The reference, on the window's events.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-emerging-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let range = store.events.range(from: cube.from, to: cube.to)
        let e = store.events
        try write(Array(e.times[range]), dir, "time.bin"); try write(Array(e.xs[range]), dir, "x.bin"); try write(Array(e.ys[range]), dir, "y.bin")
        let meta: JSONValue = .object(["first": .number(Double(cube.from)), "step": .number(Double(week.seconds)), "steps": .number(Double(cube.steps)),
                                       "lags": .number(1), "size": .number(size)])
        try meta.serialized.write(to: dir.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        let interpreter = referencePython(python)
        guard try runReferenceScript(interpreter, "emerging_bench_reference.py", [dir.path], showErrors: true) != nil,
              let reference = try? JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("reference.json"))),
              let rows = try? String(contentsOf: dir.appendingPathComponent("locations.csv"), encoding: .utf8) else {
            print("reference: skipped (\(interpreter) with esda, libpysal and pymannkendall not found)")
            return
        }
        // The reference's rows are its rectangle's cells, row by row from the lower left, as ours.
        let lines = rows.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        var samePatterns = 0, sameMarks = 0, sameTotals = 0, worst = 0.0
        for (i, fields) in lines.enumerated() where i < cube.locationCount {
            let l = cube.locations[i], key = cube.bins![i]
            guard Int32(fields[0]) == key.a, Int32(fields[1]) == key.b else { throw GridwallError(.invalidInput, "the reference's cells are not ours") }
            if Int(fields[2]) == cube.counts(of: i).reduce(0, +) { sameTotals += 1 }
            let marks = String(l.steps.map { $0.classification == .notSignificant || !$0.z.isFinite ? "." : $0.z > 0 ? "H" : "C" })
            if marks == fields[3] { sameMarks += 1 }
            if l.pattern.rawValue == fields[5] { samePatterns += 1 }
            let zSum = l.steps.reduce(0) { $0 + $1.z }
            worst = max(worst, abs(zSum - Double(fields[4])!) / max(1, abs(zSum)))
        }
        let binning = reference["binning_seconds"]?.doubleValue ?? 0, analysis = reference["analysis_seconds"]?.doubleValue ?? 0
        print(String(format: "esda %@ + pymannkendall %@ (libpysal W over the %d cells): numpy binning %.0f ms, weights + Gi* + trends + patterns %.0f ms",
                     (reference["esda"]?.stringValue ?? "?") as NSString, (reference["pymannkendall"]?.stringValue ?? "?") as NSString,
                     cube.counts.count, binning * 1000, analysis * 1000))
        print(String(format: "  same: totals %d, significant steps %d, patterns %d of %d locations (reference %d); largest relative difference of a z sum %.1e",
                     sameTotals, sameMarks, samePatterns, cube.locationCount, lines.count, worst))
        print(String(format: "ratio: Gridwall / reference = %.0f× (%.0f× against its analysis alone; counting every event %.0f×)",
                     (binning + analysis) / ours, analysis / ours, (binning + analysis) / scanSeconds))
        if lines.count != cube.locationCount || samePatterns != cube.locationCount || worst > 1e-9 {
            throw GridwallError(.invalidInput, "emerging hot spots differ from the reference")
        }
    }
}
