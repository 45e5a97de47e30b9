// Encoded tiles kept by what they show (their ETag), up to a byte budget, so that a wall of
// screens asking for the same tiles gets each cut once. Oldest first out: tiles of a stale
// version are never asked for again (their tag names the version), so they simply age out.
// A plain value: the server keeps one behind a lock.

/// Byte strings by key, at most `budget` bytes of them, the oldest dropped first.
public struct TileCache<Key: Hashable & Sendable>: Sendable {
    public let budget: Int
    public private(set) var bytes = 0
    private var entries: [Key: [UInt8]] = [:]
    /// Keys in the order they came; `head` is the oldest still counted.
    private var order: [Key] = []
    private var head = 0

    /// `budget` bytes; the server's default, 64 MB, holds the sample district's whole zoom 10–16
    /// pyramid of grids and buildings (9 MB) several times over.
    public init(budget: Int = 64 << 20) { self.budget = budget }

    public var count: Int { entries.count }

    public subscript(key: Key) -> [UInt8]? { entries[key] }

    /// Keeps `value` under `key` (unless it alone is over the budget), dropping the oldest
    /// entries until the budget holds.
    public mutating func insert(_ value: [UInt8], for key: Key) {
        guard value.count <= budget, entries[key] == nil else { return }
        entries[key] = value
        order.append(key)
        bytes += value.count
        while bytes > budget, head < order.count {
            if let old = entries.removeValue(forKey: order[head]) { bytes -= old.count }
            head += 1
        }
        // The dropped keys' slots are reclaimed once they are half the list.
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
