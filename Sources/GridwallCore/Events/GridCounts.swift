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

    /// The UTC days whose events the filter's window holds all of, clamped to the days held:
    /// [from, to). Empty (from >= to) when there is none. A day the window cuts counts whole
    /// when no event falls in the part of it the window leaves out: a live window ends just
    /// after the newest event, and today's events (all of them, on a busy day) need not be
    /// counted one by one on every request.
    func wholeDays(_ filter: EventFilter) -> (Int64, Int64) {
        let day = Self.secondsPerDay
        let fromDay = filter.from.map { from in
            let start = Self.day(of: from) * day
            return lowerBound(start) == lowerBound(from) ? Self.day(of: from) : Self.day(of: from + day - 1)
        } ?? allGridDays.firstDay
        let toDay = filter.to.map { to in
            let end = (Self.day(of: to) + 1) * day
            return lowerBound(to) == lowerBound(end) ? Self.day(of: to) + 1 : Self.day(of: to)
        } ?? allGridDays.lastDay
        return (max(allGridDays.firstDay, fromDay), min(allGridDays.lastDay, toDay))
    }
}
