// Getis–Ord Gi* hot spots of events over grids or bins, with the weights PySAL offers.
import GridwallCore
import GridwallGEOS

/// Who neighbours whom in a hot-spot statistic.
public enum HotSpotWeights: Sendable, Hashable {
    /// Shared boundary (grids: GEOS; bins: the lattice).
    case contiguity(SpatialWeights.Contiguity)
    /// Every unit whose centre lies within this many metres.
    case distanceBand(Double)
    /// The k nearest units by centre.
    case nearest(Int)
}

/// What hot spots are computed over: the grids, or bins of a size.
public enum HotSpotUnits: Sendable, Hashable {
    case grids
    /// Bins in the analysis CRS or the named one; `includeEmpty` adds every empty bin of the
    /// rectangle covering the selected events (a full lattice, as statistics usually want).
    case bins(BinGrid, includeEmpty: Bool, crs: Int?)
}

/// One unit's Gi* result with its count.
public struct HotSpot: Sendable, Hashable {
    /// The grid's record index (`AreaTable.records`) for grids; nil for bins.
    public var record: Int?
    /// The bin for bins.
    public var bin: BinKey?
    public var count: Int
    public var result: GetisOrd.Result
}

extension EventAnalysis {
    /// Getis–Ord Gi* of the events passing `filter` over `units` with `weights` (as PySAL esda computes it); throws `over_budget` past `HeatmapLimits`.
    public func hotSpots(_ units: HotSpotUnits, weights kind: HotSpotWeights, transform: GetisOrd.Transform = .binary,
                         falseDiscoveryRate: Bool = false, filter: EventFilter) throws -> [HotSpot] {
        switch units {
        case .grids:
            let counts = events.gridCounts(filter)
            let values = areas.grids.indices.map { Double(counts[$0]) }
            let weights: SpatialWeights
            switch kind {
            case .contiguity(let rule): weights = areas.gridContiguity[rule]!
            case .distanceBand(let d): weights = try Self.distanceBand(areas.grids.map { areas.centroids[$0] }, d)
            case .nearest(let k): weights = try Self.nearest(areas.grids.map { areas.centroids[$0] }, k: k)
            }
            let results = GetisOrd.giStar(values, weights: weights, transform: transform, falseDiscoveryRate: falseDiscoveryRate)
            return areas.grids.indices.map { g in HotSpot(record: areas.grids[g], bin: nil, count: counts[g], result: results[g]) }
        case .bins(let grid, let includeEmpty, let crs):
            var cells = try crs.map { try bins(grid, filter: filter, crs: $0) } ?? bins(grid, filter: filter)
            let hint = "use larger bins (size_m), a shorter window or a bbox"
            try HeatmapLimits.check(Double(cells.count), atMost: Double(HeatmapLimits.hotSpotUnits), "the hot-spot units", change: "size_m", hint: hint)
            if includeEmpty, let first = cells.first {
                var lo = first.key, hi = first.key
                for c in cells { lo = BinKey(min(lo.a, c.key.a), min(lo.b, c.key.b)); hi = BinKey(max(hi.a, c.key.a), max(hi.b, c.key.b)) }
                // The full rectangle, counted before it is filled.
                let rectangle = (Double(hi.a) - Double(lo.a) + 1) * (Double(hi.b) - Double(lo.b) + 1)
                try HeatmapLimits.check(rectangle, atMost: Double(HeatmapLimits.hotSpotUnits), "the hot-spot units with the empty bins", change: "size_m",
                                        hint: hint + ", or leave out empty=true")
                var counted: [BinKey: Int] = [:]
                for c in cells { counted[c.key] = c.count }
                cells = []
                for b in lo.b...hi.b { for a in lo.a...hi.a { cells.append(BinCount(key: BinKey(a, b), count: counted[BinKey(a, b)] ?? 0)) } }
            }
            let values = cells.map { Double($0.count) }
            let weights: SpatialWeights
            switch kind {
            case .contiguity(let rule):
                var index: [BinKey: Int] = [:]
                for (i, c) in cells.enumerated() { index[c.key] = i }
                weights = SpatialWeights(neighbourLists: cells.map { c in grid.neighbours(c.key, rule).compactMap { index[$0] } })
            case .distanceBand(let d): weights = try Self.distanceBand(cells.map { grid.centre($0.key) }, d)
            case .nearest(let k): weights = try Self.nearest(cells.map { grid.centre($0.key) }, k: k)
            }
            let results = GetisOrd.giStar(values, weights: weights, transform: transform, falseDiscoveryRate: falseDiscoveryRate)
            return cells.indices.map { HotSpot(record: nil, bin: cells[$0].key, count: cells[$0].count, result: results[$0]) }
        }
    }

    /// k-nearest weights with k capped at the other units there are; a lone unit has none
    /// (its Gi* is then undefined and reported as not significant).
    static func nearest(_ centres: [Coordinate], k: Int) throws -> SpatialWeights {
        try HeatmapLimits.check(Double(k) * Double(centres.count), atMost: Double(HeatmapLimits.neighbourPairs), "k × units", change: "weights",
                                hint: "use a smaller k, larger bins or a shorter window")
        return centres.count < 2 ? SpatialWeights(neighbourLists: centres.map { _ in [] }) : .nearest(centres, k: min(k, centres.count - 1))
    }

    /// Distance-band weights within the neighbour-pair budget.
    static func distanceBand(_ centres: [Coordinate], _ distance: Double) throws -> SpatialWeights {
        guard let weights = SpatialWeights.distanceBand(centres, threshold: distance, atMostPairs: HeatmapLimits.neighbourPairs) else {
            throw GridwallError(.overBudget, "a \(HeatmapRequest.format(distance)) m band gives more than \(HeatmapLimits.neighbourPairs) neighbour pairs; "
                                + "use a shorter distance, larger bins or a shorter window", at: "weights")
        }
        return weights
    }
}
