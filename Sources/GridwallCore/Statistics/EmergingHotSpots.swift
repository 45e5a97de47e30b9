// Emerging hot spots: where it is getting hotter, as the space-time pattern mining tools define
// it. The events are counted in a cube of locations (grids or bins) × time steps. Every cell of
// the cube gets a Gi* z-score (GetisOrd, binary or row-standardised, over the whole cube as one
// population) whose neighbours are the location's spatial neighbours and itself, in the same
// step and in the `lags` steps before it. Each location's series of z-scores then gets a
// Mann–Kendall trend, and the location a pattern by the rules of `Pattern.classify`.
//
// The rules (a step is "hot" when its Gi* is significant at 90 % with z > 0, "cold" with z < 0;
// the trend is significant when its two-sided p < 0.05; n steps; "most" means at least 90 % of
// them; the cold patterns mirror the hot ones):
//   final step hot, most steps hot: intensifying (trend up), diminishing (trend down), else
//     persistent;
//   final step hot, fewer: oscillating if any step was cold, else new if no earlier step was
//     hot, consecutive if the hot steps are one run of two or more ending at the final step,
//     sporadic otherwise;
//   final step neither: historical if most steps were hot (cold); else no pattern.

/// Emerging hot-spot analysis over a space-time cube of counts.
public enum EmergingHotSpots {
    /// A location's pattern over the steps.
    public enum Pattern: String, Sendable, CaseIterable {
        case newHot = "new_hot_spot", consecutiveHot = "consecutive_hot_spot", intensifyingHot = "intensifying_hot_spot"
        case persistentHot = "persistent_hot_spot", diminishingHot = "diminishing_hot_spot", sporadicHot = "sporadic_hot_spot"
        case oscillatingHot = "oscillating_hot_spot", historicalHot = "historical_hot_spot"
        case newCold = "new_cold_spot", consecutiveCold = "consecutive_cold_spot", intensifyingCold = "intensifying_cold_spot"
        case persistentCold = "persistent_cold_spot", diminishingCold = "diminishing_cold_spot", sporadicCold = "sporadic_cold_spot"
        case oscillatingCold = "oscillating_cold_spot", historicalCold = "historical_cold_spot"
        case none = "no_pattern"

        /// The pattern of a location whose steps are hot (+1), cold (−1) or neither (0), in
        /// order, with its trend (+1 rising significantly, −1 falling, 0 neither).
        public static func classify(_ steps: [Int], trend: Int) -> Pattern {
            guard let last = steps.last else { return .none }
            let n = steps.count
            func most(_ count: Int) -> Bool { Double(count) >= 0.9 * Double(n) }
            guard last != 0 else {
                if most(steps.filter { $0 == 1 }.count) { return .historicalHot }
                if most(steps.filter { $0 == -1 }.count) { return .historicalCold }
                return .none
            }
            let hot = last == 1
            let same = steps.filter { $0 == last }.count
            if most(same) {
                // Intensifying: hot spots hotter (z up), cold spots colder (z down).
                if trend == last { return hot ? .intensifyingHot : .intensifyingCold }
                if trend == -last { return hot ? .diminishingHot : .diminishingCold }
                return hot ? .persistentHot : .persistentCold
            }
            if steps.contains(-last) { return hot ? .oscillatingHot : .oscillatingCold }
            if same == 1 { return hot ? .newHot : .newCold }
            let run = steps.reversed().prefix { $0 == last }.count
            if run == same { return hot ? .consecutiveHot : .consecutiveCold }
            return hot ? .sporadicHot : .sporadicCold
        }
    }

    /// The significance level of a trend (a step's is GetisOrd's 90 % class).
    public static let trendAlpha = 0.05

    /// One location's results.
    public struct Location: Sendable {
        /// Gi* per step.
        public var steps: [GetisOrd.Result]
        public var trend: MannKendall.Result
        public var pattern: Pattern
    }

    /// The analysis of `counts` (step-major: the count of location i in step t at
    /// `t × locations + i`) with spatial `weights` between the locations.
    public static func analyse(counts: [Double], locations: Int, weights: SpatialWeights, lags: Int,
                               transform: GetisOrd.Transform = .binary, falseDiscoveryRate: Bool = false) -> [Location] {
        precondition(weights.count == locations && locations > 0 && counts.count % locations == 0, "one count per location and step")
        let steps = counts.count / locations
        let cube = spaceTime(weights, steps: steps, lags: lags)
        let gi = GetisOrd.giStar(counts, weights: cube, transform: transform, falseDiscoveryRate: falseDiscoveryRate)
        return (0..<locations).map { i in
            let series = (0..<steps).map { gi[$0 * locations + i] }
            let trend = MannKendall.test(series.map(\.z))
            let marks = series.map { r -> Int in
                guard r.z.isFinite, r.classification != .notSignificant else { return 0 }
                return r.z > 0 ? 1 : -1
            }
            return Location(steps: series, trend: trend, pattern: Pattern.classify(marks, trend: trend.direction(alpha: trendAlpha)))
        }
    }

    /// Weights over the cube's cells (cell = step × locations + location): a cell's neighbours
    /// are its location's neighbours and itself in its own step and the `lags` steps before
    /// (itself in its own step left out, as Gi* adds it).
    public static func spaceTime(_ weights: SpatialWeights, steps: Int, lags: Int) -> SpatialWeights {
        let n = weights.count
        var offsets = [0], flat: [Int32] = []
        offsets.reserveCapacity(n * steps + 1)
        flat.reserveCapacity(steps * (weights.neighbours.count + n) * (lags + 1))
        for t in 0..<steps {
            for i in 0..<n {
                for s in max(0, t - lags)...t {
                    let base = Int32(s * n)
                    var selfAdded = false
                    for j in weights.neighbours(of: i) {
                        if !selfAdded && Int(j) > i {
                            if s != t { flat.append(base + Int32(i)) }
                            selfAdded = true
                        }
                        flat.append(base + j)
                    }
                    if !selfAdded && s != t { flat.append(base + Int32(i)) }
                }
                offsets.append(flat.count)
            }
        }
        return SpatialWeights(offsets: offsets, neighbours: flat)
    }
}
