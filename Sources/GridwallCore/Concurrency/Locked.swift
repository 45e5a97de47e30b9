// A value behind a pthread mutex, for the few places where threads share state (the live
// snapshots the server publishes).
//
// Why not `Synchronization.Mutex`: on Linux it locks with raw futex system calls, which
// ThreadSanitizer cannot see, so every value handed from one thread to another through it is
// reported as a data race (measured: a writer publishing arrays through a Mutex and readers
// copying them out gave a report on every run; the same program with this lock, none). With
// a sanitizer that cannot tell real races from these, the race check of the live registry
// (scripts/tsan) would be worthless. An uncontended pthread mutex costs about the same.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value shared between threads, touched only under a pthread mutex.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched between lock and unlock below. `Value: Sendable`
    // because what `withLock` returns (a copy of the value, say) leaves the lock for another thread.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Guards `value`.
    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held; keep it short (no I/O, no queries).
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
