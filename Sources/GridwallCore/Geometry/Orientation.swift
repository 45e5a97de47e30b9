// Ring orientation and signed areas (shoelace formula).

/// Ring orientation and signed areas (shoelace).
public enum Orientation {
    /// Twice the signed area of a closed ring: positive when counter-clockwise (x east, y north).
    public static func signedArea2(_ ring: [Coordinate]) -> Double {
        guard ring.count > 2 else { return 0 }
        var sum = 0.0
        for i in 1..<ring.count {
            sum += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y
        }
        return sum
    }

    /// The ring open (no closing point), without repeated points, counter-clockwise; nil when
    /// fewer than three points or no area are left.
    public static func openCounterClockwise(_ ring: [Coordinate]) -> [Coordinate]? {
        var points: [Coordinate] = []
        points.reserveCapacity(ring.count)
        for p in ring where points.last != p { points.append(p) }
        if points.count > 1 && points.first == points.last { points.removeLast() }
        guard points.count >= 3 else { return nil }
        let area2 = signedArea2(points + [points[0]])
        guard area2 != 0 else { return nil }
        if area2 < 0 { points.reverse() }
        return points
    }

    /// RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
    public static func rfc7946(_ p: Polygon) -> Polygon {
        Polygon(rings: p.rings.enumerated().map { i, ring in
            let ccw = signedArea2(ring) > 0
            return (i == 0) == ccw ? ring : ring.reversed()
        })
    }
}

extension Polygon {
    /// The area in the coordinates' own units squared: the exterior's less the holes', whatever
    /// the rings' orientation (planar; for metres, project first).
    public var planarArea: Double {
        abs(Orientation.signedArea2(exterior)) / 2 - holes.reduce(0) { $0 + abs(Orientation.signedArea2($1)) / 2 }
    }
}

extension Polygon {
    /// The area of the part inside `box` (planar, like `planarArea`): each ring cut to the box
    /// by Sutherland–Hodgman. Where a ring leaves and re-enters across one side the cut ring
    /// runs back and forth along that side, which adds no area, so the figure is exact.
    public func planarArea(inside box: BoundingBox) -> Double {
        var total = 0.0
        for (r, ring) in rings.enumerated() {
            var cut = ring.count > 1 && ring.first == ring.last ? Array(ring.dropLast()) : ring
            cut = TileClipper.clip(cut, axis: 0, bound: box.minX, keepAbove: true)
            cut = TileClipper.clip(cut, axis: 0, bound: box.maxX, keepAbove: false)
            cut = TileClipper.clip(cut, axis: 1, bound: box.minY, keepAbove: true)
            cut = TileClipper.clip(cut, axis: 1, bound: box.maxY, keepAbove: false)
            guard cut.count > 2 else { continue }
            let area = abs(Orientation.signedArea2(cut + [cut[0]])) / 2
            total += r == 0 ? area : -area
        }
        return max(0, total)
    }
}
