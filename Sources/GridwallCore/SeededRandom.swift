/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast generator whose sequence depends only on
/// its seed, on every platform and Swift version, which `SystemRandomNumberGenerator` cannot
/// promise. The sample district and the property tests depend on that.
///
///     var rng = SeededRandom(seed: 42)
///     let u = rng.unit()          // in [0, 1)
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// A generator from `seed` (the same seed, the same sequence, on every machine).
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A double in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// An integer in lo...hi.
    public mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + Int(next() % UInt64(hi - lo + 1)) }

    /// A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func normal() -> Double {
        let u1 = Swift.max(unit(), 1e-300), u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }

    /// Picks an index with probability proportional to `weights`.
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var r = unit() * total
        for (i, w) in weights.enumerated() {
            r -= w
            if r < 0 { return i }
        }
        return weights.count - 1
    }
}

import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
