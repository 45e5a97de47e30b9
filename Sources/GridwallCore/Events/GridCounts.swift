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
        let (fromDay, toDay) = wholeDays(filter)
        guard fromDay < toDay else {
            grids.withUnsafeBufferPointer { grids in forEachMatch(filter) { counts[Int(grids[$0])] += 1 } }
            return counts
        }
        var sums = [Int32](repeating: 0, count: gridSlots)
        sums.withUnsafeMutableBufferPointer { sums in
            if let names = filter.categories {
                for c in Set(names.compactMap { categoryNames.existingCode($0) }) { gridDays[Int(c)].add(from: fromDay, to: toDay, into: sums) }
            } else {
                allGridDays.add(from: fromDay, to: toDay, into: sums)
            }
        }
        for g in 0..<gridSlots { counts[g] = Int(sums[g]) }
        // The partial days before and after.
        grids.withUnsafeBufferPointer { grids in
            forEachMatch(filter.window(from: filter.from, to: fromDay * Self.secondsPerDay)) { counts[Int(grids[$0])] += 1 }
            forEachMatch(filter.window(from: toDay * Self.secondsPerDay, to: filter.to)) { counts[Int(grids[$0])] += 1 }
        }
        return counts
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
