// The areas heatmaps aggregate to: grids (where events are located) and the communities and
// streets above them, each with its size in square kilometres measured in the metric CRS.
import GridwallCore
import GridwallGEOS
import GridwallPROJ

/// The areas heatmaps count into: grids by code, their sizes in km², centroids and contiguity, and the roll-up to communities and streets.
public struct AreaTable: Sendable {
    /// Every area, in the order given.
    public let records: [AreaRecord]
    /// Record indices of the grids, in grid-code order (event grid codes index this).
    public let grids: [Int]
    /// Square kilometres per record (planar area in the metric CRS).
    public let squareKilometres: [Double]
    /// The box of the grids in the metric CRS (empty without grids).
    public let gridExtent: BoundingBox
    /// Planar centroid per record in the metric CRS (distance-band and nearest-neighbour weights).
    public let centroids: [Coordinate]
    /// Queen and rook contiguity between the grids (GEOS), computed once.
    public let gridContiguity: [SpatialWeights.Contiguity: SpatialWeights]
    /// Per level: for each grid code, the record index of the area at that level containing it
    /// (following parent ids), or -1.
    private let ancestors: [AreaLevel: [Int]]

    init(_ records: [AreaRecord], transformer: ProjTransformer) throws {
        self.records = records
        grids = records.indices.filter { records[$0].level == .grid }
        let metric = try records.map { try transformer.forward($0.geometry) }
        squareKilometres = metric.map { g in
            g.polygons.reduce(0) { sum, p in
                sum + p.rings.enumerated().reduce(0) { s, ring in
                    let area = abs(Orientation.signedArea2(ring.element)) / 2
                    return ring.offset == 0 ? s + area : s - area
                }
            } / 1e6
        }
        centroids = metric.map(Self.centroid)
        gridExtent = grids.reduce(into: BoundingBox.empty) { box, g in if let b = metric[g].boundingBox { box.extend(b) } }
        let gridGeometries = grids.map { records[$0].geometry }
        gridContiguity = [.queen: try Contiguity.weights(gridGeometries, rule: .queen),
                          .rook: try Contiguity.weights(gridGeometries, rule: .rook)]
        var index: [String: Int] = [:]
        for (i, a) in records.enumerated() { index[a.id] = i }
        var ancestors: [AreaLevel: [Int]] = [:]
        for level in AreaLevel.allCases {
            ancestors[level] = grids.map { g in
                var at: Int? = g, seen = Set<Int>()
                while let i = at, seen.insert(i).inserted {
                    if records[i].level == level { return i }
                    at = records[i].parentID.flatMap { index[$0] }
                }
                return -1
            }
        }
        self.ancestors = ancestors
    }

    /// The area-weighted centroid of the exteriors (holes are rare in management areas and move
    /// it little; the weights only need a representative point).
    static func centroid(_ g: Geometry) -> Coordinate {
        var a = 0.0, cx = 0.0, cy = 0.0
        for p in g.polygons {
            let r = p.exterior
            guard r.count > 2 else { continue }
            for i in 1..<r.count {
                let cross = r[i - 1].x * r[i].y - r[i].x * r[i - 1].y
                a += cross; cx += (r[i - 1].x + r[i].x) * cross; cy += (r[i - 1].y + r[i].y) * cross
            }
        }
        return a == 0 ? (g.boundingBox?.center ?? Coordinate(0, 0)) : Coordinate(cx / (3 * a), cy / (3 * a))
    }

    /// Record indices of the areas at `level`, in the order given.
    public func indices(at level: AreaLevel) -> [Int] { records.indices.filter { records[$0].level == level } }

    /// The grid codes inside the area at record `index` (the grid's own for a grid).
    public func gridCodes(inside index: Int) -> [Int] {
        let level = records[index].level
        if level == .grid { return grids.indices.filter { grids[$0] == index } }
        let up = ancestors[level] ?? []
        return grids.indices.filter { $0 < up.count && up[$0] == index }
    }

    /// Per-grid counts (grid codes; the extra "outside" slot is ignored) summed to the areas of
    /// `level`: record index → count, for every area of that level (zero included).
    public func rollUp(_ gridCounts: [Int], to level: AreaLevel) -> [Int: Int] {
        var out: [Int: Int] = [:]
        for i in indices(at: level) { out[i] = 0 }
        let up = ancestors[level] ?? []
        for g in 0..<min(grids.count, gridCounts.count) where up[g] >= 0 { out[up[g], default: 0] += gridCounts[g] }
        return out
    }
}
