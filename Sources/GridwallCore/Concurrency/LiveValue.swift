// A value that readers copy out and two kinds of writers change: small changes applied at once
// (an event's status after a dispatch) and slow rebuilds that work on a copy (new events read
// from the store, a reload). A rebuild that simply wrote its copy back would lose every change
// applied while it worked; here changes that land during a rebuild are also logged and applied
// to the rebuilt value, in order, before it is published.

/// A shared value with serialised changes and rebuilds that never lose a change.
///
/// ```swift
/// let live = LiveValue([1, 2, 3]) { (array: inout [Int], change: Int) in array.append(change) }
/// live.apply(4)                                   // at once
/// try live.rebuild { current in current + [5] }   // slow work on a copy; a change applied
///                                                 // meanwhile is applied to the result too
/// live.value                                      // [1, 2, 3, 4, 5]
/// ```
public final class LiveValue<Value: Sendable, Change: Sendable>: Sendable {
    private struct State: Sendable {
        var value: Value
        /// Changes applied since the running rebuild began; nil when none runs.
        var duringRebuild: [Change]?
    }
    private let state: Locked<State>
    /// Held for a whole rebuild, so rebuilds run one at a time (changes never wait for it).
    private let rebuilding = Locked(())
    private let applyChange: @Sendable (inout Value, Change) -> Void

    /// Starts with `value`; `apply` applies one change to a value.
    public init(_ value: Value, apply: @escaping @Sendable (inout Value, Change) -> Void) {
        state = Locked(State(value: value, duringRebuild: nil))
        applyChange = apply
    }

    /// The value as it stands (a copy: later changes do not reach it).
    public var value: Value { state.withLock { $0.value } }

    /// What `body` reads of the value as it stands. Unlike `value`, no copy outlives the call:
    /// while a reader holds a copy, the next change must copy every buffer the value shares
    /// with it (copy on write), so reads of a busy value go through here (changes wait for them).
    public func read<T>(_ body: (Value) throws -> T) rethrows -> T { try state.withLock { try body($0.value) } }

    /// Applies a change to the current value now (and to the result of a running rebuild).
    /// Changes must be idempotent where a rebuild may already see them (it reads the source
    /// the change was made in).
    public func apply(_ change: Change) {
        state.withLock { s in
            applyChange(&s.value, change)
            s.duringRebuild?.append(change)
        }
    }

    /// Runs `make` on a copy of the current value without holding up readers or changes; if it
    /// returns a value, the changes applied meanwhile are applied to it and it is published.
    /// Returns whether a new value was published.
    @discardableResult
    public func rebuild(_ make: (Value) throws -> Value?) throws -> Bool {
        try rebuilding.withLock { _ in
            let start = state.withLock { s -> Value in
                s.duringRebuild = []
                return s.value
            }
            let made: Value?
            do { made = try make(start) } catch {
                state.withLock { $0.duringRebuild = nil }
                throw error
            }
            return state.withLock { s in
                defer { s.duringRebuild = nil }
                guard var next = made else { return false }
                for change in s.duringRebuild ?? [] { applyChange(&next, change) }
                s.value = next
                return true
            }
        }
    }
}
