// Isobands of a density raster: the regions where the density lies between two levels, as
// polygons. The surface is taken as piecewise linear over triangles (each square of four cell
// centres cut along one diagonal), so every band is exact for that surface and neighbouring
// pieces share their edges exactly; the pieces of one band are then merged into its polygons
// (IsobandPolygons.swift). Triangles avoid the ambiguous saddles of classic marching squares.

/// Polygons where a raster lies within a band of values (piecewise linear over triangles).
public enum Isobands {
    /// The pieces of the band `low <= v < high` (high may be +infinity), in the raster's CRS:
    /// whole squares where all four corners are inside, clipped triangles elsewhere; each
    /// counterclockwise and closed.
    public static func pieces(_ raster: DensityRaster, low: Double, high: Double) -> [[Coordinate]] {
        var out: [[Coordinate]] = []
        guard raster.columns > 1, raster.rows > 1 else { return out }
        for r in 0..<(raster.rows - 1) {
            for c in 0..<(raster.columns - 1) {
                let values = [raster[column: c, row: r], raster[column: c + 1, row: r], raster[column: c + 1, row: r + 1], raster[column: c, row: r + 1]]
                if values.allSatisfy({ $0 >= low && $0 < high }) {
                    let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1), (c, r)].map { raster.centre(column: $0.0, row: $0.1) }
                    out.append(corners)
                    continue
                }
                out += trianglePieces(raster, column: c, row: r, low: low, high: high)
            }
        }
        return out
    }

    /// The band's pieces in the square whose lower left corner is cell centre (c, r), when not
    /// all four corners are in it: its two triangles (split along the diagonal from the lower
    /// left corner), each clipped to the band, closed; none when every corner is on one side.
    static func trianglePieces(_ raster: DensityRaster, column c: Int, row r: Int, low: Double, high: Double) -> [[Coordinate]] {
        let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)].map { (raster.centre(column: $0.0, row: $0.1), raster[column: $0.0, row: $0.1]) }
        let values = corners.map(\.1)
        if values.allSatisfy({ $0 < low }) || values.allSatisfy({ $0 >= high }) { return [] }
        var out: [[Coordinate]] = []
        for triangle in [[corners[0], corners[1], corners[2]], [corners[0], corners[2], corners[3]]] {
            var polygon = triangle
            polygon = clip(polygon, keepAbove: true, level: low)
            if high.isFinite { polygon = clip(polygon, keepAbove: false, level: high) }
            if polygon.count >= 3 { out.append(polygon.map(\.0) + [polygon[0].0]) }
        }
        return out
    }

    /// Sutherland–Hodgman against the half-space v >= level (or v <= level), with values
    /// interpolated linearly along the edges. The crossing point of an edge is computed from
    /// its endpoints in a fixed order, so two triangles sharing the edge get the same point.
    static func clip(_ polygon: [(Coordinate, Double)], keepAbove: Bool, level: Double) -> [(Coordinate, Double)] {
        func inside(_ v: Double) -> Bool { keepAbove ? v >= level : v <= level }
        var out: [(Coordinate, Double)] = []
        for i in polygon.indices {
            let a = polygon[i], b = polygon[(i + 1) % polygon.count]
            if inside(a.1) { out.append(a) }
            if inside(a.1) != inside(b.1) {
                // Canonical order: lower x, then lower y first.
                let (p, q) = (a.0.x, a.0.y) < (b.0.x, b.0.y) ? (a, b) : (b, a)
                let t = (level - p.1) / (q.1 - p.1)
                out.append((Coordinate(p.0.x + (q.0.x - p.0.x) * t, p.0.y + (q.0.y - p.0.y) * t), level))
            }
        }
        return out
    }

    /// The value of the piecewise-linear surface at a point (the same triangles), 0 outside
    /// the cell centres' hull: what the bands describe, for checking them.
    public static func surface(_ raster: DensityRaster, at p: Coordinate) -> Double {
        let fx = (p.x - raster.minX) / raster.cellSize - 0.5, fy = (p.y - raster.minY) / raster.cellSize - 0.5
        let c = Int(fx.rounded(.down)), r = Int(fy.rounded(.down))
        guard c >= 0, r >= 0, c < raster.columns - 1, r < raster.rows - 1 else { return 0 }
        let tx = fx - Double(c), ty = fy - Double(r)
        let v00 = raster[column: c, row: r], v10 = raster[column: c + 1, row: r]
        let v11 = raster[column: c + 1, row: r + 1], v01 = raster[column: c, row: r + 1]
        // Diagonal from (0,0) to (1,1): below it the triangle 00-10-11, above it 00-11-01.
        return tx >= ty ? v00 + (v10 - v00) * tx + (v11 - v10) * ty : v00 + (v11 - v01) * tx + (v01 - v00) * ty
    }
}
