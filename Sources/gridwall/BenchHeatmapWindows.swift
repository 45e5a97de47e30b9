// `gridwall bench heatmap`, windows a user would ask for: 100 windows of 30 and of 7 days ending
// at random moments of the last 60 days (so both ends cut through a day, and the partial days
// are counted from the event columns while the whole days come from the totals), with and
// without a category filter; per-grid counts, 250 m hexagons and Gi* over 500 m squares, each
// window timed once, median and p99. The first windows of each kind are checked against
// counting every event. `gridwall bench city` times the same windows at city scale.
import Foundation
import GridwallAnalysis
import GridwallCore

/// Times the random windows over `store` and prints one line per kind.
func timeRandomWindows(_ store: EventAnalysis, category: String) throws {
    var rng = SeededRandom(seed: 23)
    let last = store.events.times.last! + 1
    let kinds: [(String, Int64, Set<String>?)] = [("30 days", 30 * 86_400, nil), ("30 days, 1 category", 30 * 86_400, [category]),
                                                   ("7 days", 7 * 86_400, nil), ("7 days, 1 category", 7 * 86_400, [category])]
    let hex = BinGrid(.hex, size: 250), squares = BinGrid(.square, size: 500)
    let everyStatus = Set(store.events.statusNames.names)
    print("random windows (100 of each kind, ending at random moments of the last 60 days; each timed once; median / p99):")
    for (name, length, categories) in kinds {
        let filters = (0..<100).map { _ -> EventFilter in
            let end = last - Int64(rng.int(0, 60 * 86_400))
            var f = EventFilter(from: end - length, to: end)
            f.categories = categories
            return f
        }
        var grid: [Double] = [], bins: [Double] = [], gi: [Double] = []
        var events = 0
        for (k, f) in filters.enumerated() {
            var counts: [Int] = [], cells: [BinCount] = [], spots: [HotSpot] = []
            grid.append(timed { counts = store.events.gridCounts(f) })
            bins.append(timed { cells = store.events.bins(hex, filter: f) })
            gi.append(try timed {
                spots = try store.hotSpots(.bins(squares, includeEmpty: true, crs: nil), weights: .contiguity(.queen), filter: f)
            })
            events += counts.reduce(0, +)
            guard k < 5 else { continue }
            // Naming every status keeps the day totals out: the same answers counted from the events.
            var scan = f; scan.statuses = everyStatus
            let same = store.events.gridCounts(scan) == counts && store.events.bins(hex, filter: scan) == cells
                && (try store.hotSpots(.bins(squares, includeEmpty: true, crs: nil), weights: .contiguity(.queen), filter: scan)) == spots
            if !same { throw GridwallError(.invalidInput, "a random window (\(name)) counted from the totals differs from counting the events") }
        }
        func summary(_ seconds: [Double]) -> String {
            let s = seconds.sorted()
            return String(format: "%.3f / %.3f ms", s[s.count / 2] * 1000, s[min(s.count - 1, Int((Double(s.count) * 0.99).rounded(.up)) - 1)] * 1000)
        }
        print("  \(name) (\(events / filters.count) events on average): per-grid counts \(summary(grid)); hexagons 250 m \(summary(bins)); Gi* 500 m squares \(summary(gi))")
    }
}
