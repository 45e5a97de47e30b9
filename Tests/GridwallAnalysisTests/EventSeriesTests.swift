// Counts per step against a naive count over every event: for a grid, a community, a street and
// the whole district, per hour, day and week, with and without a category filter; steps start
// on UTC hours, days and Mondays.
import Foundation
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallTestSupport

@Suite struct EventSeriesTests {
    @Test func seriesEqualCountingEveryEvent() throws {
        let (analysis, _, _) = EventAnalysisTests.sample
        let events = analysis.events, records = analysis.areas.records
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Each grid code's chain of ancestor ids, walked by parent id (not the table's own roll-up).
        let chains: [Set<String>] = analysis.areas.grids.map { index in
            var chain: Set<String> = [], id: String? = records[index].id
            while let current = id, chain.insert(current).inserted { id = byID[current]?.parentID }
            return chain
        }
        let end = events.times.last! + 1
        let busiest = analysis.areaHeatmap(level: .grid, filter: EventFilter()).areas.max { $0.count < $1.count }!
        let grid = records[busiest.record]
        let community = byID[grid.parentID!]!, street = byID[community.parentID!]!
        let category = events.categoryNames.names[0]
        for (area, areaID) in [(Optional(busiest.record), grid.id), (records.firstIndex { $0.id == community.id }, community.id),
                               (records.firstIndex { $0.id == street.id }, street.id), (nil, "")] {
            for (step, span) in [(EventSeries.Step.hour, Int64(72 * 3_600)), (.day, 45 * 86_400), (.week, 20 * 604_800)] {
                for categories in [nil, Set([category])] {
                    var filter = EventFilter()
                    filter.categories = categories
                    let from = end - span
                    let series = try analysis.series(filter: filter, area: area, step: step, from: from, to: end)
                    #expect(series.from <= from && series.from + step.seconds > from && series.to >= end && series.to - step.seconds < end)
                    var naive = [Int](repeating: 0, count: series.counts.count)
                    for i in events.times.indices {
                        let t = events.times[i]
                        guard t >= series.from, t < series.to else { continue }
                        if let categories, !categories.contains(events.categoryNames.names[Int(events.categories[i])]) { continue }
                        let g = Int(events.grids[i])
                        if area != nil { guard g < chains.count, chains[g].contains(areaID) else { continue } }
                        naive[Int((t - series.from) / step.seconds)] += 1
                    }
                    #expect(series.counts == naive, "\(areaID.isEmpty ? "district" : areaID), \(step), \(categories?.first ?? "all")")
                    if categories == nil { #expect(series.total > 0) }
                }
            }
        }
        // Weeks start on Monday 00:00 UTC (1970-01-05 was a Monday).
        #expect(EventSeries.Step.week.start(of: 4 * 86_400 + 3_600) == 4 * 86_400)
        #expect((EventSeries.Step.week.start(of: end) - 4 * 86_400) % 604_800 == 0)
    }
}
