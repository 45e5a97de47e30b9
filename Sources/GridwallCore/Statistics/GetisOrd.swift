// Getis–Ord Gi* hot spots, with the analytical (normal) inference PySAL's `esda.G_Local(star=True)`
// uses, so that the z-scores agree with it to rounding.
//
// For feature i with value y_i, weights w_ij over its neighbours and itself (w_ii = 1 before
// any row-standardising), n features, S = Σ y:
//   G*_i = Σ_j w_ij y_j / S,  E = W_i / n  (W_i = Σ_j w_ij),
//   V = W_i (n − W_i) / (n − 1) / n² × s² / ȳ²  (ȳ = S / n, s² = Σ y² / n − ȳ²),
//   z = (G*_i − E) / √V.
// Binary weights give W_i = neighbours + 1; row-standardised ones give w_ij = 1 / (neighbours + 1)
// and W_i = 1.
import Foundation

/// Getis–Ord Gi* local statistics as PySAL esda defines them, with p-values, FDR and classes.
public enum GetisOrd {
    /// How weights are scaled: binary (B) or row-standardised (R).
    public enum Transform: String, Sendable, CaseIterable {
        /// Every neighbour (and the feature itself) weighs 1.
        case binary = "B"
        /// Each row of weights sums to 1.
        case rowStandardised = "R"
    }

    /// Confidence classes as hot-spot maps show them.
    public enum Class: String, Sendable, CaseIterable {
        case hot99 = "hot_99", hot95 = "hot_95", hot90 = "hot_90"
        case notSignificant = "not_significant"
        case cold90 = "cold_90", cold95 = "cold_95", cold99 = "cold_99"
    }

    /// One feature's z, two-sided p and class.
    public struct Result: Sendable, Hashable {
        public var g: Double
        public var z: Double
        /// Two-sided p-value of z under the normal approximation (PySAL's `p_norm` is one-sided:
        /// half of this).
        public var p: Double
        public var classification: Class
    }

    /// Gi* for every feature. `values.count` must equal `weights.count`. With
    /// `falseDiscoveryRate`, a feature counts as significant at a confidence level only if it
    /// passes the Benjamini–Hochberg procedure at that level over all features.
    public static func giStar(_ values: [Double], weights: SpatialWeights, transform: Transform = .binary,
                              falseDiscoveryRate: Bool = false) -> [Result] {
        precondition(values.count == weights.count, "one value per feature")
        let n = Double(values.count)
        guard values.count > 1 else { return values.map { _ in Result(g: .nan, z: .nan, p: .nan, classification: .notSignificant) } }
        var sum = 0.0, sumSquares = 0.0
        for y in values { sum += y; sumSquares += y * y }
        let mean = sum / n
        let variance = sumSquares / n - mean * mean
        var results: [Result] = []
        results.reserveCapacity(values.count)
        for i in 0..<values.count {
            var local = values[i]
            for j in weights.neighbours(of: i) { local += values[Int(j)] }
            let neighbours = Double(weights.offsets[i + 1] - weights.offsets[i])
            let (lag, cardinality) = transform == .binary ? (local, neighbours + 1) : (local / (neighbours + 1), 1.0)
            let g = lag / sum
            let expected = cardinality / n
            var v = cardinality * (n - cardinality)
            v /= n - 1
            v *= 1 / (n * n)
            v *= variance / (mean * mean)
            let z = (g - expected) / v.squareRoot()
            results.append(Result(g: g, z: z, p: erfc(abs(z) / 2.0.squareRoot()), classification: .notSignificant))
        }
        classify(&results, falseDiscoveryRate: falseDiscoveryRate)
        return results
    }

    /// Sets each result's class: hot or cold (sign of z) at the highest of 99, 95 and 90 % it is
    /// significant at.
    static func classify(_ results: inout [Result], falseDiscoveryRate: Bool) {
        let levels: [(Double, Class, Class)] = [(0.01, .hot99, .cold99), (0.05, .hot95, .cold95), (0.10, .hot90, .cold90)]
        for (alpha, hot, cold) in levels.reversed() {
            let limit = falseDiscoveryRate ? benjaminiHochberg(results.map(\.p), alpha: alpha) : alpha
            for i in results.indices where results[i].z.isFinite && results[i].p <= limit {
                results[i].classification = results[i].z > 0 ? hot : cold
            }
        }
    }

    /// The largest p-value the Benjamini–Hochberg procedure accepts at `alpha` (0 when none).
    public static func benjaminiHochberg(_ p: [Double], alpha: Double) -> Double {
        let sorted = p.filter { !$0.isNaN }.sorted()
        let m = Double(sorted.count)
        var limit = 0.0
        for (k, value) in sorted.enumerated() where value <= Double(k + 1) / m * alpha { limit = value }
        return limit
    }
}
