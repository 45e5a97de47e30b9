// The Mann–Kendall trend test, as its original form is usually computed (and as `pymannkendall`'s
// `original_test` does): S counts rising pairs less falling ones, its variance is corrected for
// tied values, and Z (with the ±1 continuity correction) is read against the normal
// distribution, two-sided. Emerging hot spots ask it whether a location's Gi* z-scores rise or
// fall over the steps. Ties are exact equality, as in the reference: equal counts around a
// location give equal z-scores, and those are real ties.
import Foundation

/// The Mann–Kendall trend test of a series.
public enum MannKendall {
    public struct Result: Sendable, Hashable {
        /// Pairs rising minus pairs falling.
        public var s: Double
        /// The variance of S, corrected for ties.
        public var variance: Double
        /// The standardised statistic (continuity-corrected); 0 when S is 0.
        public var z: Double
        /// Two-sided p-value of `z`.
        public var p: Double
        /// Kendall's tau: S over the number of pairs.
        public var tau: Double

        /// A rising or falling trend significant at `alpha` (0 when none).
        public func direction(alpha: Double) -> Int { p < alpha ? (z > 0 ? 1 : -1) : 0 }
    }

    /// The test of `x` in order (NaN values are left out, as the reference skips missing
    /// values). Fewer than two values give S = 0, p = 1.
    public static func test(_ series: [Double]) -> Result {
        let x = series.filter { !$0.isNaN }
        let n = Double(x.count)
        guard x.count >= 2 else { return Result(s: 0, variance: 0, z: 0, p: 1, tau: 0) }
        var s = 0.0
        for i in 0..<(x.count - 1) {
            for j in (i + 1)..<x.count where x[j] != x[i] { s += x[j] > x[i] ? 1 : -1 }
        }
        var variance = n * (n - 1) * (2 * n + 5)
        var sorted = x.sorted()
        sorted.append(.infinity)
        var run = 1.0
        for i in 1..<sorted.count {
            if sorted[i] == sorted[i - 1] { run += 1; continue }
            if run > 1 { variance -= run * (run - 1) * (2 * run + 5) }
            run = 1
        }
        variance /= 18
        let z = s > 0 ? (s - 1) / variance.squareRoot() : s < 0 ? (s + 1) / variance.squareRoot() : 0
        return Result(s: s, variance: variance, z: z, p: erfc(abs(z) / 2.0.squareRoot()), tau: s / (n * (n - 1) / 2))
    }
}
