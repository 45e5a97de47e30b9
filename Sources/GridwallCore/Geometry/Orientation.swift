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

    /// RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
    public static func rfc7946(_ p: Polygon) -> Polygon {
        Polygon(rings: p.rings.enumerated().map { i, ring in
            let ccw = signedArea2(ring) > 0
            return (i == 0) == ccw ? ring : ring.reversed()
        })
    }
}
