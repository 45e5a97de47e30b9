// Creating a transformer costs milliseconds (PROJ opens its SQLite database and resolves both
// systems): measured here, it was most of a live ingest commit, and a cost every heat tile and
// bin request paid. The pool keeps idle transformers per pair and lends each to one borrower at
// a time, so the one-owner rule of PROJ handles holds while creation is paid once per thread
// that ever needed one at the same moment.
import Foundation
import GridwallCore

/// Idle transformers per (source, target), lent out one borrower at a time.
public final class ProjTransformerPool: @unchecked Sendable {
    // @unchecked: `idle` is only touched under `lock`; a transformer is either in `idle` (nobody
    // uses it) or lent to exactly one borrower, never both.
    private let lock = NSLock()
    private var idle: [String: [ProjTransformer]] = [:]
    /// Idle transformers kept per pair (more are created when that many are lent at once).
    let keep: Int

    public init(keep: Int = 8) { self.keep = keep }

    /// The pool the analysis uses.
    public static let shared = ProjTransformerPool()

    /// Runs `body` with a transformer from EPSG `source` to EPSG `target` that nobody else uses meanwhile.
    public func with<T>(fromEPSG source: Int, toEPSG target: Int, _ body: (ProjTransformer) throws -> T) throws -> T {
        let key = "\(source)>\(target)"
        let lent = lock.withLock { idle[key]?.popLast() }
        let transformer = try lent ?? ProjTransformer(fromEPSG: source, toEPSG: target)
        defer {
            lock.withLock {
                if idle[key, default: []].count < keep { idle[key, default: []].append(transformer) }
            }
        }
        return try body(transformer)
    }
}

extension ProjTransformer {
    /// Runs `body` with a pooled transformer from EPSG `source` to EPSG `target`.
    public static func borrowing<T>(fromEPSG source: Int, toEPSG target: Int, _ body: (ProjTransformer) throws -> T) throws -> T {
        try ProjTransformerPool.shared.with(fromEPSG: source, toEPSG: target, body)
    }
}
