// A simple ring cut into triangles by ear clipping, so that overlap areas with any grid can be
// measured by convex clipping (ConvexClip) instead of an overlay. Quadratic in the ring's
// vertices, which is cheap at grid sizes (tens to a few hundred vertices); a ring it cannot
// cut (self-touching, or too degenerate for exact ear tests) gets nil, and callers fall back
// to GEOS.

public enum EarClipping {
    /// Triangles (counter-clockwise, open) covering the simple ring exactly, or nil. The ring may
    /// be closed or open, either orientation, with repeated points and straight runs.
    public static func triangles(_ ring: [Coordinate]) -> [[Coordinate]]? {
        guard let points = Orientation.openCounterClockwise(ring) else { return nil }
        var out: [[Coordinate]] = []
        out.reserveCapacity(points.count - 2)
        var left = points
        var k = 0
        var sinceLastCut = 0
        while left.count > 3 {
            guard sinceLastCut <= left.count else { return nil }   // once round without an ear
            let n = left.count, i = k % n
            let a = left[(i + n - 1) % n], b = left[i], c = left[(i + 1) % n]
            let turn = cross(a, b, c)
            if turn == 0 {
                // Straight on: b adds nothing. Straight back (a spike) is not a simple ring.
                guard (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y) > 0 else { return nil }
            } else if turn < 0 || !isEar(a, b, c, among: left, skipping: i) {
                k = (i + 1) % n
                sinceLastCut += 1
                continue
            } else {
                out.append([a, b, c])
            }
            left.remove(at: i)
            sinceLastCut = 0
            k = (i + left.count - 1) % left.count   // the previous vertex may have become an ear
        }
        if cross(left[0], left[1], left[2]) > 0 { out.append(left) }
        return out
    }

    /// Twice the signed area of a → b → c (positive: a left turn).
    static func cross(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
        (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    }

    /// Whether no other vertex lies in the triangle a b c or on its sides (b is `left[at]`).
    private static func isEar(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate, among left: [Coordinate], skipping at: Int) -> Bool {
        let n = left.count
        let minX = min(a.x, b.x, c.x), maxX = max(a.x, b.x, c.x), minY = min(a.y, b.y, c.y), maxY = max(a.y, b.y, c.y)
        var j = (at + 2) % n
        while j != (at + n - 1) % n {
            let p = left[j]
            j = (j + 1) % n
            guard p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY, p != a, p != c else { continue }
            if cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0 { return false }
        }
        return true
    }
}
