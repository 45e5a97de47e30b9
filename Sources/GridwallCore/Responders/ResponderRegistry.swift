// The live responder set: updates come in batches, each batch publishes a new immutable
// `ResponderIndex`. Readers take the current snapshot under a lock held only for a reference
// copy, never across a query, so a query never waits for a rebuild and never sees a torn
// position (a snapshot is never modified after it is published).

/// One position report.
public struct PositionUpdate: Sendable, Hashable {
    public var id: String
    public var position: Coordinate
    /// Unix seconds when the position was measured.
    public var time: Double
    /// A report that `id` was at `position` at `time`.
    public init(id: String, position: Coordinate, time: Double) { self.id = id; self.position = position; self.time = time }
}

/// The live responders: batched position and status changes publish new snapshots; queries never wait.
///
/// ```swift
/// let registry = ResponderRegistry(responders: try store.responders(), serviceArea: area.box)
/// registry.update([PositionUpdate(id: "R0001", position: Coordinate(120.21, 30.3), time: now)])
/// let nearest = NearestResponders.query(registry.snapshot, near: p, k: 5, filter: ResponderFilter(), now: now)
/// ```
public final class ResponderRegistry: Sendable {
    private struct State {
        var columns: ResponderIndex.Columns
        var indexOf: [String: Int]
        /// Incremented by every change, so that a slower rebuild of older state never replaces
        /// a newer snapshot.
        var generation: UInt64 = 0
    }
    private let state: Locked<State>
    private let published: Locked<ResponderIndex>
    public let cellSize: Double?

    /// `serviceArea`: where responders are expected (WGS84, margin included); see ResponderIndex.
    public init(responders: [Responder], cellSize: Double? = nil, serviceArea: BoundingBox? = nil) {
        self.cellSize = cellSize
        var indexOf: [String: Int] = [:]
        for (i, r) in responders.enumerated() { indexOf[r.id] = i }
        let first = ResponderIndex(responders: responders, cellSize: cellSize, serviceArea: serviceArea)
        // The frame and the bucketed area stay the first snapshot's: later ones only patch the
        // rows that change.
        state = Locked(State(columns: first.source, indexOf: indexOf))
        published = Locked(first)
    }

    /// The current snapshot (cheap: a reference copy).
    public var snapshot: ResponderIndex { published.withLock { $0 } }

    /// Applies a batch of position reports and publishes a new snapshot. Reports for unknown ids
    /// are returned (nothing is applied for them); a report older than the stored position is
    /// ignored, so retried or reordered batches cannot move anyone backwards in time.
    @discardableResult
    public func update(_ batch: [PositionUpdate]) -> (applied: Int, unknown: [String]) {
        var unknown: [String] = []
        var applied = 0
        let next: (ResponderIndex.Columns, UInt64) = state.withLock { s in
            for u in batch {
                guard let i = s.indexOf[u.id] else { unknown.append(u.id); continue }
                guard u.time >= s.columns.updated[i] else { continue }
                s.columns.move(i, to: u.position, at: u.time)
                applied += 1
            }
            s.generation += 1
            return (s.columns, s.generation)
        }
        publish(next.0, generation: next.1)
        return (applied, unknown)
    }

    /// Changes one responder's status (dispatch makes them busy, resolving frees them).
    public func setStatus(_ id: String, _ status: ResponderStatus) -> Bool {
        let next: (ResponderIndex.Columns, UInt64)? = state.withLock { s in
            guard let i = s.indexOf[id] else { return nil }
            s.columns.statuses[i] = status.code
            s.generation += 1
            return (s.columns, s.generation)
        }
        guard let next else { return false }
        publish(next.0, generation: next.1)
        return true
    }

    /// Builds outside every lock (a counting sort over the patched columns), then swaps it in
    /// unless a snapshot of newer state got there first.
    private func publish(_ columns: ResponderIndex.Columns, generation: UInt64) {
        var index = ResponderIndex(columns: columns)
        index.generation = generation
        published.withLock { current in
            if current.generation < generation { current = index }
        }
    }
}
