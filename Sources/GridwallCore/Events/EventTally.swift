// How many events of each category, status and source a filter admits: the figures a duty
// officer reads beside the map (events today by category, how many are still open).

/// Counts of the events a filter admits, split by category, status and source.
public struct EventTally: Sendable, Equatable {
    public var total = 0
    /// Only the values that occur (no zero entries).
    public var byCategory: [String: Int] = [:]
    public var byStatus: [String: Int] = [:]
    public var bySource: [String: Int] = [:]

    /// No events.
    public init() {}
}

extension EventColumns {
    /// The events `filter` admits, counted per category, status and source in one pass over the
    /// window (codes counted in flat arrays, named only at the end).
    public func tally(_ filter: EventFilter) -> EventTally {
        var perCategory = [Int](repeating: 0, count: categoryNames.count)
        var perStatus = [Int](repeating: 0, count: statusNames.count)
        var perSource = [Int](repeating: 0, count: sourceNames.count)
        var tally = EventTally()
        forEachMatch(filter) { i in
            perCategory[Int(categories[i])] += 1
            perStatus[Int(statuses[i])] += 1
            perSource[Int(sources[i])] += 1
            tally.total += 1
        }
        func named(_ counts: [Int], _ names: Dictionary16) -> [String: Int] {
            var out: [String: Int] = [:]
            for (code, n) in counts.enumerated() where n > 0 { out[names.names[code]] = n }
            return out
        }
        tally.byCategory = named(perCategory, categoryNames)
        tally.byStatus = named(perStatus, statusNames)
        tally.bySource = named(perSource, sourceNames)
        return tally
    }
}
