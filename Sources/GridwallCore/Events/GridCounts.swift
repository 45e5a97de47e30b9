// Events per grid for a filter: the per-grid heatmap's numbers.

extension EventColumns {
    /// Events per grid passing `filter`: `counts[g]` for grid g, `counts[gridCount]` for events
    /// outside every grid.
    ///
    /// A window of whole UTC days filtered by category at most is summed from the per-day counts
    /// (a 30-day window over one category adds 30 blocks of grid counts); the partial days at
    /// either end, and every other filter, are counted from the event columns.
    public func gridCounts(_ filter: EventFilter) -> [Int] {
        var counts = [Int](repeating: 0, count: gridSlots)
        let (fromDay, toDay) = wholeDays(filter)
        guard filter.isTimeAndCategoryOnly, fromDay < toDay else {
            grids.withUnsafeBufferPointer { grids in forEachMatch(filter) { counts[Int(grids[$0])] += 1 } }
            return counts
        }
        var sums = [Int32](repeating: 0, count: gridSlots)
        sums.withUnsafeMutableBufferPointer { sums in
            DayCounts.add(gridDays, else: allGridDays, categories: categoryCodes(filter), from: fromDay, to: toDay, into: sums)
        }
        for g in 0..<gridSlots { counts[g] = Int(sums[g]) }
        grids.withUnsafeBufferPointer { grids in
            forEachMatchInPartialDays(filter, wholeDays: (fromDay, toDay)) { counts[Int(grids[$0])] += 1 }
        }
        return counts
    }

    /// The category codes a filter names (unknown names dropped); nil when it names none.
    func categoryCodes(_ filter: EventFilter) -> Set<UInt16>? {
        filter.categories.map { Set($0.compactMap { categoryNames.existingCode($0) }) }
    }

    /// Calls `body` for the events passing `filter` outside the whole days answered from the
    /// totals: the partial days at both ends of the window (and any days the totals do not cover).
    func forEachMatchInPartialDays(_ filter: EventFilter, wholeDays: (Int64, Int64), _ body: (Int) -> Void) {
        forEachMatch(filter.window(from: filter.from, to: wholeDays.0 * Self.secondsPerDay), body)
        forEachMatch(filter.window(from: wholeDays.1 * Self.secondsPerDay, to: filter.to), body)
    }

    /// The whole UTC days inside the filter's window, clamped to the days held: [from, to).
    /// Empty (from >= to) when there is none.
    func wholeDays(_ filter: EventFilter) -> (Int64, Int64) {
        let day = Self.secondsPerDay
        let fromDay = max(allGridDays.firstDay, filter.from.map { Self.day(of: $0 + day - 1) } ?? allGridDays.firstDay)
        let toDay = min(allGridDays.lastDay, filter.to.map { Self.day(of: $0) } ?? allGridDays.lastDay)
        return (fromDay, toDay)
    }
}
