// Valid vector-tile polygons with GEOS: clip to the tile's rectangle (GEOSClipByRect) and
// snap-round to the integer grid (GEOSGeom_setPrecision with grid size 1, OverlayNG noding),
// which together never leave an invalid polygon, the promise MVT 2.1 asks of an encoder; or
// only the clip, whose result the tile clipper rounds and checks itself first.
import GridwallCore

/// Clips and snap-rounds tile polygons with one GEOS context (one owner at a time: make one
/// per tile request or per export worker).
public final class GeosTileCutter: TilePolygonCutter {
    let context: GeosContext

    public init(context: GeosContext = GeosContext()) { self.context = context }

    public func cut(_ polygons: [[[Coordinate]]], to rectangle: BoundingBox, whollyInside: Bool) throws -> [[[TilePoint]]] {
        guard var g = try geometry(polygons) else { return [] }
        if !whollyInside { g = try g.clipped(to: rectangle) }
        guard let snapped = try g.snapRounded(gridSize: 1).polygonalPart() else { return [] }
        return snapped.polygons.map { p in p.rings.map { ring in ring.map { TilePoint(Int32($0.x.rounded()), Int32($0.y.rounded())) } } }
    }

    public func clip(_ polygons: [[[Coordinate]]], to rectangle: BoundingBox) throws -> [[[Coordinate]]] {
        guard let g = try geometry(polygons), let clipped = try g.clipped(to: rectangle).polygonalPart() else { return [] }
        return clipped.polygons.map(\.rings)
    }

    /// The polygons as one GEOS geometry (rings closed; rings of fewer than three points dropped).
    private func geometry(_ polygons: [[[Coordinate]]]) throws -> GeosGeometry? {
        let closed = polygons.compactMap { rings -> Polygon? in
            let r = rings.map { ring in ring.first == ring.last ? ring : ring + ring.prefix(1) }.filter { $0.count >= 4 }
            return r.isEmpty ? nil : Polygon(rings: r)
        }
        guard !closed.isEmpty else { return nil }
        return try context.geometry(closed.count == 1 ? .polygon(closed[0]) : .multiPolygon(closed))
    }
}
