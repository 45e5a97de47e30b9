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
        guard count > 0 else { return counts }
        guard filter.isTimeAndCategoryOnly else {
            grids.withUnsafeBufferPointer { grids in forEachMatch(filter) { counts[Int(grids[$0])] += 1 } }
            return counts
        }
        let day = Self.secondsPerDay
        let lastDay = firstDay + Int64(dayCount)
        // Whole days inside the window, clamped to the days held.
        let fromDay = max(firstDay, filter.from.map { Self.day(of: $0 + day - 1) } ?? firstDay)
        let toDay = min(lastDay, filter.to.map { Self.day(of: $0) } ?? lastDay)
        guard fromDay < toDay else {
            grids.withUnsafeBufferPointer { grids in forEachMatch(filter) { counts[Int(grids[$0])] += 1 } }
            return counts
        }
        let wanted: [Int] = filter.categories.map { names in names.compactMap { categoryNames.existingCode($0).map(Int.init) }.sorted() }
            ?? Array(0..<categoryNames.count)
        let slots = gridSlots
        var sums = [Int32](repeating: 0, count: slots)
        sums.withUnsafeMutableBufferPointer { sums in
            for c in wanted where c < dayCounts.count {
                dayCounts[c].withUnsafeBufferPointer { blocks in
                    for d in Int(fromDay - firstDay)..<Int(toDay - firstDay) {
                        let base = d * slots
                        for g in 0..<slots { sums[g] &+= blocks[base + g] }
                    }
                }
            }
        }
        for g in 0..<slots { counts[g] = Int(sums[g]) }
        // The partial days before and after.
        grids.withUnsafeBufferPointer { grids in
            forEachMatch(filter.window(from: filter.from, to: fromDay * day)) { counts[Int(grids[$0])] += 1 }
            forEachMatch(filter.window(from: toDay * day, to: filter.to)) { counts[Int(grids[$0])] += 1 }
        }
        return counts
    }
}
