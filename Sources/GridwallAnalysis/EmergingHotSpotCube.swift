// Emerging hot spots of the events: the space-time cube (grids, or every bin of the rectangle
// covering the window's events, × day or week steps), each step counted like any heatmap
// window, then EmergingHotSpots (Gi* per cell, Mann–Kendall per location, a pattern per location).
import GridwallCore
import GridwallPROJ

/// An emerging hot-spot analysis: the cube and each location's results.
public struct EmergingHotSpotCube: Sendable {
    public var step: EventSeries.Step
    /// The first step's start and the end of the last (Unix seconds).
    public var from: Int64, to: Int64
    public var steps: Int
    public var lags: Int
    /// The locations: grid records (`AreaTable.records` indexes) or bins.
    public var records: [Int]?
    public var bins: [BinKey]?
    /// Events per location and step, step-major (`t × locations + i`).
    public var counts: [Int]
    public var locations: [EmergingHotSpots.Location]

    public var locationCount: Int { locations.count }
    /// The events of location `i` per step.
    public func counts(of i: Int) -> [Int] { (0..<steps).map { counts[$0 * locationCount + i] } }
}

extension EventAnalysis {
    /// The most steps and lags an analysis may take, and its cube's most cells.
    public static let emergingSteps = 2...520
    public static let emergingLags = 0...12
    public static let emergingCells = 5_000_000

    /// Emerging hot spots of the events passing `filter` over `units` (bins: every bin of the
    /// rectangle covering the window's events, empty ones too), per `step` from the step holding
    /// `from` to the one holding `to − 1`; a cell's neighbours are `weights` and the location
    /// itself, in its step and the `lags` steps before.
    public func emergingHotSpots(_ units: HotSpotUnits, weights kind: HotSpotWeights, transform: GetisOrd.Transform = .binary,
                                 falseDiscoveryRate: Bool = false, step: EventSeries.Step, from: Int64, to: Int64, lags: Int,
                                 filter: EventFilter) throws -> EmergingHotSpotCube {
        guard to > from else { throw GridwallError(.invalidParameter, "the window is empty: to must come after from", at: "to") }
        let first = step.start(of: from), last = step.start(of: to - 1) + step.seconds
        let steps = Int((last - first) / step.seconds)
        try HeatmapLimits.check(Double(steps), atMost: Double(Self.emergingSteps.upperBound), "steps", change: "step",
                                hint: "use a longer step or a shorter window")
        guard steps >= Self.emergingSteps.lowerBound else {
            throw GridwallError(.invalidParameter, "a trend needs at least \(Self.emergingSteps.lowerBound) steps; the window holds \(steps)", at: "steps")
        }
        guard Self.emergingLags.contains(lags) else {
            throw GridwallError(.invalidParameter, "expected \(Self.emergingLags.lowerBound) to \(Self.emergingLags.upperBound) steps", at: "lags")
        }
        // Each step counted as any heatmap window is: whole days from the day totals (or the
        // bin cubes), the rest from the event columns; one pass over the window in all. Every
        // budget is checked before the steps are counted: the locations (for bins, the rectangle
        // covering the whole window's events) and the space-time neighbour pairs.
        let windows = (0..<steps).map { t in filter.window(from: first + Int64(t) * step.seconds, to: first + Int64(t + 1) * step.seconds) }
        var cube = EmergingHotSpotCube(step: step, from: first, to: last, steps: steps, lags: lags, records: nil, bins: nil, counts: [], locations: [])
        let weights: SpatialWeights
        switch units {
        case .grids:
            let n = areas.grids.count
            guard n > 0 else { throw GridwallError(.invalidParameter, "the district has no grids; use hex or square units", at: "units") }
            try checkCells(n, steps)
            weights = try gridWeights(kind)
            try checkPairs(weights, steps: steps, lags: lags)
            var counts = [Int](repeating: 0, count: n * steps)
            for (t, w) in windows.enumerated() {
                let perGrid = events.gridCounts(w)
                for g in 0..<n { counts[t * n + g] = perGrid[g] }
            }
            cube.records = areas.grids
            cube.counts = counts
        case .bins(let grid, _, let crs):
            func count(_ w: EventFilter) throws -> [BinCount] { try crs.map { try bins(grid, filter: w, crs: $0) } ?? bins(grid, filter: w) }
            let rectangle = try Self.keyRectangle(try count(filter.window(from: first, to: last)).map(\.key), what: "the bins of the window's rectangle",
                                                  hint: "use larger bins, a shorter window or a bbox")
            guard !rectangle.keys.isEmpty else { throw GridwallError(.notFound, "no events in the window", at: "from") }
            let n = rectangle.keys.count
            try checkCells(n, steps)
            weights = try Self.binWeights(rectangle.keys, grid: grid, kind)
            try checkPairs(weights, steps: steps, lags: lags)
            var counts = [Int](repeating: 0, count: n * steps)
            for (t, w) in windows.enumerated() {
                for c in try count(w) { counts[t * n + rectangle.index(c.key)] = c.count }
            }
            cube.bins = rectangle.keys
            cube.counts = counts
        }
        cube.locations = EmergingHotSpots.analyse(counts: cube.counts.map(Double.init), locations: weights.count, weights: weights, lags: lags,
                                                  transform: transform, falseDiscoveryRate: falseDiscoveryRate)
        return cube
    }

    private func checkPairs(_ weights: SpatialWeights, steps: Int, lags: Int) throws {
        let pairs = Double(weights.neighbours.count + weights.count) * Double(steps) * Double(lags + 1)
        try HeatmapLimits.check(pairs, atMost: Double(HeatmapLimits.neighbourPairs) * 4, "space-time neighbour pairs", change: "lags",
                                hint: "use fewer lags, fewer steps, larger bins or fewer neighbours")
    }

    private func checkCells(_ locations: Int, _ steps: Int) throws {
        try HeatmapLimits.check(Double(locations) * Double(steps), atMost: Double(Self.emergingCells), "locations × steps", change: "size_m",
                                hint: "use larger bins, a longer step or fewer steps")
    }

    /// Every key of the rectangle covering `keys`, row by row, within the hot-spot unit budget.
    static func keyRectangle(_ keys: [BinKey], what: String, hint: String) throws -> (keys: [BinKey], index: (BinKey) -> Int) {
        guard let firstKey = keys.first else { return ([], { _ in 0 }) }
        var lo = firstKey, hi = firstKey
        for k in keys { lo = BinKey(min(lo.a, k.a), min(lo.b, k.b)); hi = BinKey(max(hi.a, k.a), max(hi.b, k.b)) }
        let width = Int(hi.a) - Int(lo.a) + 1, height = Int(hi.b) - Int(lo.b) + 1
        // Counted before it is filled.
        try HeatmapLimits.check(Double(width) * Double(height), atMost: Double(HeatmapLimits.hotSpotUnits), what, change: "size_m", hint: hint)
        var all: [BinKey] = []
        all.reserveCapacity(width * height)
        for b in lo.b...hi.b { for a in lo.a...hi.a { all.append(BinKey(a, b)) } }
        let origin = lo
        return (all, { k in Int(k.b - origin.b) * width + Int(k.a - origin.a) })
    }
}
