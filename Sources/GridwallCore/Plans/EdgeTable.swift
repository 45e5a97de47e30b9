// Directed edges → who runs them, for coverage checking. Why not a Dictionary: a plan of 600
// grids has 60,000 edges and every one is inserted and looked up a few times; hashing four
// Doubles through SipHash made that half of the whole check (~20 ms). Here the key is the four
// coordinates' bit patterns in a flat open-addressing table with a multiply–xor hash, ~10 ns a
// probe. Each slot keeps the first runner; the rare second and later runners (an overlap) go to
// a side dictionary the slot points at.

/// A directed edge (a → b) in planar coordinates, by the bits of its coordinates.
struct EdgeKey: Hashable {
    let ax, ay, bx, by: UInt64

    init(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) {
        // -0.0 and 0.0 are the same coordinate.
        self.ax = (ax == 0 ? 0 : ax).bitPattern; self.ay = (ay == 0 ? 0 : ay).bitPattern
        self.bx = (bx == 0 ? 0 : bx).bitPattern; self.by = (by == 0 ? 0 : by).bitPattern
    }

    private init(bits ax: UInt64, _ ay: UInt64, _ bx: UInt64, _ by: UInt64) { self.ax = ax; self.ay = ay; self.bx = bx; self.by = by }

    /// The same edge run the other way.
    var reversed: EdgeKey { EdgeKey(bits: bx, by, ax, ay) }

    var from: Coordinate { Coordinate(Double(bitPattern: ax), Double(bitPattern: ay)) }
    var to: Coordinate { Coordinate(Double(bitPattern: bx), Double(bitPattern: by)) }

    @inline(__always) var mixed: UInt64 {
        var h = ax &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ (h >> 32) ^ ay) &* 0xC2B2_AE3D_27D4_EB4F
        h = (h ^ (h >> 29) ^ bx) &* 0x1656_67B1_9E37_79F9
        h = (h ^ (h >> 32) ^ by) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }
}

/// Who runs each directed edge: the first runner in a flat table, the others aside.
struct EdgeTable {
    private var keys: [EdgeKey]
    private var first: [Int32]          // -1: empty slot
    private var hasMore: [Bool]
    private var more: [EdgeKey: [Int32]] = [:]
    private let mask: Int

    /// A table for about `count` edges.
    init(count: Int) {
        var capacity = 16
        while capacity < 2 * count { capacity <<= 1 }
        mask = capacity - 1
        keys = [EdgeKey](repeating: EdgeKey(0, 0, 0, 0), count: capacity)
        first = [Int32](repeating: -1, count: capacity)
        hasMore = [Bool](repeating: false, count: capacity)
    }

    @inline(__always) private func slot(_ key: EdgeKey) -> (index: Int, found: Bool) {
        var i = Int(truncatingIfNeeded: key.mixed) & mask
        while first[i] >= 0 {
            if keys[i] == key { return (i, true) }
            i = (i + 1) & mask
        }
        return (i, false)
    }

    /// Records that `runner` runs `key`.
    mutating func add(_ key: EdgeKey, _ runner: Int32) {
        let (i, found) = slot(key)
        if found {
            hasMore[i] = true
            more[key, default: []].append(runner)
        } else {
            keys[i] = key; first[i] = runner
        }
    }

    /// Everyone who runs `key`, in the order they were added.
    func runners(_ key: EdgeKey) -> [Int32] {
        let (i, found) = slot(key)
        guard found else { return [] }
        return hasMore[i] ? [first[i]] + more[key]! : [first[i]]
    }

    /// Whether more than one runs `key`.
    func isShared(_ key: EdgeKey) -> Bool {
        let (i, found) = slot(key)
        return found && hasMore[i]
    }

    /// Whether someone other than `runner` runs `key`.
    func isRun(_ key: EdgeKey, byAnotherThan runner: Int32) -> Bool {
        let (i, found) = slot(key)
        guard found else { return false }
        return first[i] != runner || (hasMore[i] && more[key]!.contains { $0 != runner })
    }

    /// Whether `runner` runs `key`.
    func isRun(_ key: EdgeKey, by runner: Int32) -> Bool {
        let (i, found) = slot(key)
        guard found else { return false }
        return first[i] == runner || (hasMore[i] && more[key]!.contains(runner))
    }
}
