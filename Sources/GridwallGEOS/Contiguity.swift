// Polygon contiguity for hot-spot weights: which areas share a boundary (rook: a stretch of
// edge; queen: at least a point), computed with GEOS's DE-9IM relate on candidate pairs from an
// STRtree, so it holds for real boundaries too (PySAL compares shared vertices instead; on
// properly noded tilings the two agree, which the tests check on the sample district and the
// Boston tracts).
import GridwallCore

/// Queen and rook contiguity between polygons by GEOS relate, for hot-spot weights.
public enum Contiguity {
    /// Neighbours of each polygon under `rule`, as hot-spot weights (same order as `polygons`).
    public static func weights(_ polygons: [Geometry], rule: SpatialWeights.Contiguity, context: GeosContext = GeosContext()) throws -> SpatialWeights {
        let geometries = try polygons.map { try context.geometry($0) }
        let tree = try GeosSTRtree(context: context)
        for (i, g) in geometries.enumerated() { tree.insert(g, id: i) }
        // Boundaries meet: anywhere (queen) or along a line (rook).
        let pattern = rule == .queen ? "****T****" : "****1****"
        var lists = [[Int]](repeating: [], count: polygons.count)
        var candidates: [Int] = []
        for (i, g) in geometries.enumerated() {
            tree.query(g, into: &candidates)
            for j in candidates where j > i {
                if try g.relate(geometries[j], pattern: pattern) {
                    lists[i].append(j); lists[j].append(i)
                }
            }
        }
        return SpatialWeights(neighbourLists: lists)
    }
}
