// The one point that stands for an area when it is counted in a grid: a building belongs to the
// grid that holds this point. The centroid is the natural choice (it is what the sample district's
// populations were summed by), but an L- or U-shaped footprint can have its centroid outside
// itself; then the middle of the widest span of the shape along the centroid's latitude is used,
// which is always inside. Pure arithmetic, no GEOS: a plan's impact asks it of every building.

extension Polygon {
    /// The area-weighted centroid (holes subtracted, whatever the rings' orientation), or nil for
    /// a polygon without area. Computed relative to the first vertex so that lon/lat magnitudes
    /// do not eat the precision.
    public var centroid: Coordinate? {
        guard let origin = exterior.first else { return nil }
        var area2 = 0.0, cx = 0.0, cy = 0.0
        for (r, ring) in rings.enumerated() where ring.count >= 3 {
            var a = 0.0, x = 0.0, y = 0.0
            for i in 1..<ring.count {
                let ax = ring[i - 1].x - origin.x, ay = ring[i - 1].y - origin.y
                let bx = ring[i].x - origin.x, by = ring[i].y - origin.y
                let cross = ax * by - bx * ay
                a += cross; x += (ax + bx) * cross; y += (ay + by) * cross
            }
            // Each ring's sums with a positive area; holes then subtract theirs.
            let sign = (a < 0 ? -1.0 : 1.0) * (r == 0 ? 1 : -1)
            area2 += sign * a; cx += sign * x; cy += sign * y
        }
        guard area2 > 0, area2.isFinite else { return nil }
        return Coordinate(origin.x + cx / (3 * area2), origin.y + cy / (3 * area2))
    }
}

extension Geometry {
    /// A point inside the area that represents it in counts: the centroid of its largest polygon
    /// when that lies inside the polygon, otherwise the middle of the polygon's widest inside span
    /// along the centroid's parallel. A point is itself; nil for lines and empty geometries.
    public var representativePoint: Coordinate? {
        if case .point(let p) = self { return p }
        let polygons = self.polygons
        guard let largest = polygons.max(by: { abs(Orientation.signedArea2($0.exterior)) < abs(Orientation.signedArea2($1.exterior)) }),
              let c = largest.centroid else { return nil }
        let shape = PlanarShape([largest])
        if shape.contains(c) { return c }
        return Self.widestSpanMiddle(shape, y: c.y) ?? largest.exterior.first
    }

    /// The middle of the widest stretch inside `shape` along the line at `y` (edges crossing it
    /// by the half-open rule, so a vertex on the line is counted once).
    private static func widestSpanMiddle(_ shape: PlanarShape, y: Double) -> Coordinate? {
        var xs: [Double] = []
        let e = shape.edges
        for k in 0..<shape.edgeCount {
            let ay = e[4 * k + 1], by = e[4 * k + 3]
            guard (ay > y) != (by > y) else { continue }
            let ax = e[4 * k], bx = e[4 * k + 2]
            xs.append(ax + (y - ay) / (by - ay) * (bx - ax))
        }
        xs.sort()
        var best: (width: Double, middle: Double)?
        var i = 0
        while i + 1 < xs.count {
            let width = xs[i + 1] - xs[i]
            if width > (best?.width ?? 0) { best = (width, (xs[i] + xs[i + 1]) / 2) }
            i += 2
        }
        return best.map { Coordinate($0.middle, y) }
    }
}
