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
            let weights = try gridWeights(kind)
            let results = GetisOrd.giStar(values, weights: weights, transform: transform, falseDiscoveryRate: falseDiscoveryRate)
            return areas.grids.indices.map { g in HotSpot(record: areas.grids[g], bin: nil, count: counts[g], result: results[g]) }
        case .bins(let grid, let includeEmpty, let crs):
            var cells = try crs.map { try bins(grid, filter: filter, crs: $0) } ?? bins(grid, filter: filter)
            let hint = "use larger bins (size_m), a shorter window or a bbox"
            try HeatmapLimits.check(Double(cells.count), atMost: Double(HeatmapLimits.hotSpotUnits), "the hot-spot units", change: "size_m", hint: hint)
            if includeEmpty, !cells.isEmpty {
                var counted: [BinKey: Int] = [:]
                for c in cells { counted[c.key] = c.count }
                let rectangle = try Self.keyRectangle(cells.map(\.key), what: "the hot-spot units with the empty bins",
                                                      hint: hint + ", or leave out empty=true")
                cells = rectangle.keys.map { BinCount(key: $0, count: counted[$0] ?? 0) }
            }
            let values = cells.map { Double($0.count) }
            let weights = try Self.binWeights(cells.map(\.key), grid: grid, kind)
            let results = GetisOrd.giStar(values, weights: weights, transform: transform, falseDiscoveryRate: falseDiscoveryRate)
            return cells.indices.map { HotSpot(record: nil, bin: cells[$0].key, count: cells[$0].count, result: results[$0]) }
        }
    }

    /// The weights between the grids (contiguity from GEOS, kept with the areas).
    func gridWeights(_ kind: HotSpotWeights) throws -> SpatialWeights {
        switch kind {
        case .contiguity(let rule): return areas.gridContiguity[rule]!
        case .distanceBand(let d): return try Self.distanceBand(areas.grids.map { areas.centroids[$0] }, d)
        case .nearest(let k): return try Self.nearest(areas.grids.map { areas.centroids[$0] }, k: k)
        }
    }

    /// The weights between bins (`keys` in any order).
    static func binWeights(_ keys: [BinKey], grid: BinGrid, _ kind: HotSpotWeights) throws -> SpatialWeights {
        switch kind {
        case .contiguity(let rule):
            var index: [BinKey: Int] = [:]
            for (i, k) in keys.enumerated() { index[k] = i }
            return SpatialWeights(neighbourLists: keys.map { k in grid.neighbours(k, rule).compactMap { index[$0] } })
        case .distanceBand(let d): return try distanceBand(keys.map(grid.centre), d)
        case .nearest(let k): return try nearest(keys.map(grid.centre), k: k)
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
