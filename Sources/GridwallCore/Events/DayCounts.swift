// Event counts per UTC day and slot (a grid, a fine square cell), kept as running totals so
// that the counts of any run of whole days are one row minus another, whatever the length.

struct DayCounts: Sendable {
    let slots: Int
    /// The first day held (Unix seconds / 86,400) and how many.
    private(set) var firstDay: Int64 = 0
    private(set) var dayCount = 0
    /// Row d (0...dayCount) holds, per slot, the events of days firstDay ..< firstDay + d.
    private var totals: [Int32] = []

    init(slots: Int) { self.slots = slots }

    var lastDay: Int64 { firstDay + Int64(dayCount) }

    /// Counts one event on `day` in `slot`. Today's events touch only the last row; an event
    /// on an earlier day adds to every row after it (rare: late reports).
    mutating func add(day: Int64, slot: Int) {
        if dayCount == 0 && totals.isEmpty {
            firstDay = day
            totals = [Int32](repeating: 0, count: slots)
        }
        if day < firstDay {
            let extra = Int(firstDay - day)
            totals.insert(contentsOf: [Int32](repeating: 0, count: extra * slots), at: 0)
            firstDay = day; dayCount += extra
        }
        if day >= lastDay {
            // New rows start as copies of the last one (copied in place: appending a slice of
            // the array itself would copy the whole array every day).
            let extra = Int(day - lastDay) + 1, last = totals.count - slots
            totals.append(contentsOf: [Int32](repeating: 0, count: extra * slots))
            totals.withUnsafeMutableBufferPointer { t in
                for row in 1...extra {
                    let to = last + row * slots
                    for s in 0..<slots { t[to + s] = t[last + s] }
                }
            }
            dayCount += extra
        }
        var row = Int(day - firstDay) + 1
        while row <= dayCount { totals[row * slots + slot] += 1; row += 1 }
    }

    /// Per-slot events of the whole days `from ..< to` (clamped to the days held), added to `into`.
    func add(from: Int64, to: Int64, into out: UnsafeMutableBufferPointer<Int32>) {
        let a = Int(max(firstDay, min(lastDay, from)) - firstDay), b = Int(max(firstDay, min(lastDay, to)) - firstDay)
        guard b > a, !totals.isEmpty else { return }
        totals.withUnsafeBufferPointer { t in
            let hi = b * slots, lo = a * slots
            for s in 0..<slots { out[s] &+= t[hi + s] &- t[lo + s] }
        }
    }

    /// Events of whole days `from ..< to` in one slot.
    func count(from: Int64, to: Int64, slot: Int) -> Int {
        let a = Int(max(firstDay, min(lastDay, from)) - firstDay), b = Int(max(firstDay, min(lastDay, to)) - firstDay)
        guard b > a, !totals.isEmpty else { return 0 }
        return Int(totals[b * slots + slot] - totals[a * slots + slot])
    }

    /// Adds the whole days `from ..< to` of the categories `codes` from `perCategory` (indexed
    /// by category code; a category without totals has no events in the days they cover), or of
    /// `all` when `codes` is nil.
    static func add(_ perCategory: [DayCounts], else all: DayCounts, categories codes: Set<UInt16>?,
                    from: Int64, to: Int64, into out: UnsafeMutableBufferPointer<Int32>) {
        guard let codes else { all.add(from: from, to: to, into: out); return }
        for c in codes where Int(c) < perCategory.count { perCategory[Int(c)].add(from: from, to: to, into: out) }
    }
}
