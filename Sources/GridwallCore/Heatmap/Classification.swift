// Five classes for a choropleth, the "five-colour risk map" districts use: red for the highest
// values, then orange, yellow, blue, green for the lowest.

/// The five colours of the risk map, green (1) to red (5).
public enum RiskClass: Int, Sendable, CaseIterable, Comparable {
    case green = 1, blue, yellow, orange, red

    public var name: String { String(describing: self) }
    /// Fill colour as #rrggbb.
    public var colour: String {
        switch self {
        case .red: "#d7191c"; case .orange: "#fdae61"; case .yellow: "#ffff8c"; case .blue: "#abd9e9"; case .green: "#1a9641"
        }
    }
    /// Lower risk first.
    public static func < (a: RiskClass, b: RiskClass) -> Bool { a.rawValue < b.rawValue }
}

/// How values are cut into the five classes.
public enum ClassificationMethod: Sendable, Hashable {
    /// Equal numbers of features per class.
    case quantile
    /// Fisher–Jenks natural breaks: classes that minimise the squared deviations within them.
    case jenks
    /// Four ascending thresholds: class k holds values above threshold k − 1 up to threshold k.
    case fixed([Double])
}

/// Class breaks (quantile, Fisher–Jenks natural breaks, fixed) and the class of a value.
public enum Classification {
    /// The four upper class limits (the fifth is the maximum) for `values` under `method`.
    /// A value v is in the first class whose limit is >= v.
    public static func breaks(_ values: [Double], method: ClassificationMethod) -> [Double] {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return [0, 0, 0, 0] }
        switch method {
        case .fixed(let t):
            precondition(t.count == 4, "four thresholds")
            return t
        case .quantile:
            // The upper limit of class k is the value at rank ⌈k n / 5⌉.
            return (1...4).map { k in sorted[max(0, Int((Double(k * sorted.count) / 5).rounded(.up)) - 1)] }
        case .jenks:
            return jenks(sorted, classes: 5)
        }
    }

    /// The class of each value.
    public static func classify(_ values: [Double], method: ClassificationMethod) -> [RiskClass] {
        classify(values, limits: breaks(values, method: method))
    }

    /// The class of each value under given upper limits (from `breaks`).
    public static func classify(_ values: [Double], limits: [Double]) -> [RiskClass] {
        values.map { v in
            let k = limits.firstIndex { v <= $0 } ?? 4
            return RiskClass(rawValue: k + 1)!
        }
    }

    /// Fisher–Jenks optimal breaks by dynamic programming over the sorted values (O(k n²); for
    /// more than 2,000 values it runs on 2,000 evenly spaced ranks, as the common tools do).
    static func jenks(_ all: [Double], classes k: Int) -> [Double] {
        let values: [Double] = all.count <= 2_000 ? all : (0..<2_000).map { all[$0 * (all.count - 1) / 1_999] }
        let n = values.count
        guard n > k else {
            // Fewer distinct places than classes: each value its own limit, padded.
            var limits = Array(values.prefix(k - 1))
            while limits.count < k - 1 { limits.append(values.last!) }
            return limits
        }
        // Prefix sums for the squared deviation of any run values[i..<j].
        var s = [Double](repeating: 0, count: n + 1), s2 = s
        for i in 0..<n { s[i + 1] = s[i] + values[i]; s2[i + 1] = s2[i] + values[i] * values[i] }
        func cost(_ i: Int, _ j: Int) -> Double {
            let m = Double(j - i), sum = s[j] - s[i]
            return (s2[j] - s2[i]) - sum * sum / m
        }
        // best[c][j]: least cost of splitting values[0..<j] into c classes; cut[c][j]: where the last starts.
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: n + 1), count: k + 1)
        var cut = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: k + 1)
        best[0][0] = 0
        for c in 1...k {
            for j in c...n {
                for i in (c - 1)..<j where best[c - 1][i] < .infinity {
                    let total = best[c - 1][i] + cost(i, j)
                    if total < best[c][j] { best[c][j] = total; cut[c][j] = i }
                }
            }
        }
        var limits: [Double] = []
        var j = n
        for c in stride(from: k, to: 1, by: -1) {
            let i = cut[c][j]
            limits.append(values[i - 1])
            j = i
        }
        return limits.reversed()
    }
}
