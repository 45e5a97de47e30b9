// An exact validity check for polygons on the integer tile grid, so that most features skip
// the robust (and slower) GEOS path: integer coordinates make every orientation test exact.
// It is deliberately strict: any contact between two rings, or between non-neighbouring edges
// of one ring, counts as invalid (OGC would allow a hole touching its shell at a point); such
// polygons simply take the robust path.

/// Exact checks on polygons in integer tile coordinates.
public enum TilePolygonCheck {
    /// Drops repeated points and points on a straight line between their neighbours (which
    /// also removes spikes that go out and back), until none is left.
    public static func clean(_ ring: [TilePoint]) -> [TilePoint] {
        // Most rings need nothing: check before building a new one.
        if ring.count >= 3, hasNoRepeats(ring), ring.first != ring.last {
            var straight = false
            for i in ring.indices where orientation(ring[(i + ring.count - 1) % ring.count], ring[i], ring[(i + 1) % ring.count]) == 0 {
                straight = true; break
            }
            if !straight { return ring }
        }
        var r = ring
        while true {
            var out: [TilePoint] = []
            out.reserveCapacity(r.count)
            for p in r where out.last != p { out.append(p) }
            while out.count > 1, out.first == out.last { out.removeLast() }
            var i = 0
            while out.count >= 3 && i < out.count {
                let a = out[(i + out.count - 1) % out.count], b = out[i], c = out[(i + 1) % out.count]
                if orientation(a, b, c) == 0 { out.remove(at: i) } else { i += 1 }
            }
            if out.count == r.count || out.count < 3 { return out }
            r = out
        }
    }

    /// Whether no point equals the one before it.
    @inline(__always)
    static func hasNoRepeats(_ ring: [TilePoint]) -> Bool {
        for i in 1..<max(1, ring.count) where ring[i] == ring[i - 1] { return false }
        return true
    }

    /// Whether every polygon is simple, its holes inside its exterior, and no two rings (of one
    /// polygon or of two) meet.
    public static func isValid(_ polygons: [[[TilePoint]]]) -> Bool {
        var rings: [[TilePoint]] = []
        var boxes: [(Int32, Int32, Int32, Int32)] = []
        for polygon in polygons {
            for ring in polygon {
                guard ring.count >= 3 else { return false }
                rings.append(ring)
                var b = (Int32.max, Int32.max, Int32.min, Int32.min)
                for p in ring { b = (min(b.0, p.x), min(b.1, p.y), max(b.2, p.x), max(b.3, p.y)) }
                boxes.append(b)
            }
        }
        // Edges of one ring: only neighbours may share a point (their common vertex).
        for ring in rings where !isSimple(ring) { return false }
        // Edges of two rings: no contact at all.
        for i in rings.indices {
            for j in (i + 1)..<rings.count {
                let a = boxes[i], b = boxes[j]
                if a.2 < b.0 || b.2 < a.0 || a.3 < b.1 || b.3 < a.1 { continue }
                if ringsMeet(rings[i], rings[j]) { return false }
            }
        }
        // Holes inside their exterior; exteriors outside each other (no meeting edges, so one
        // vertex tells on which side a whole ring lies).
        var start = 0
        var exteriors: [Int] = []
        for polygon in polygons {
            exteriors.append(start)
            for h in 1..<max(1, polygon.count) where !contains(rings[start], rings[start + h][0]) { return false }
            start += polygon.count
        }
        for a in exteriors { for b in exteriors where a != b && contains(rings[a], rings[b][0]) { return false } }
        return true
    }

    /// The sign of the turn a → b → c (0: collinear), exact.
    @inline(__always)
    static func orientation(_ a: TilePoint, _ b: TilePoint, _ c: TilePoint) -> Int64 {
        let v = (Int64(b.x) - Int64(a.x)) * (Int64(c.y) - Int64(a.y)) - (Int64(b.y) - Int64(a.y)) * (Int64(c.x) - Int64(a.x))
        return v > 0 ? 1 : (v < 0 ? -1 : 0)
    }

    /// Whether q lies on segment p–r, given the three are collinear.
    @inline(__always)
    static func onSegment(_ p: TilePoint, _ q: TilePoint, _ r: TilePoint) -> Bool {
        q.x >= min(p.x, r.x) && q.x <= max(p.x, r.x) && q.y >= min(p.y, r.y) && q.y <= max(p.y, r.y)
    }

    /// Whether segments a–b and c–d share any point.
    @inline(__always)
    static func segmentsMeet(_ a: TilePoint, _ b: TilePoint, _ c: TilePoint, _ d: TilePoint) -> Bool {
        if max(a.x, b.x) < min(c.x, d.x) || max(c.x, d.x) < min(a.x, b.x) || max(a.y, b.y) < min(c.y, d.y) || max(c.y, d.y) < min(a.y, b.y) {
            return false
        }
        let o1 = orientation(a, b, c), o2 = orientation(a, b, d), o3 = orientation(c, d, a), o4 = orientation(c, d, b)
        if o1 != o2 && o3 != o4 { return true }
        return (o1 == 0 && onSegment(a, c, b)) || (o2 == 0 && onSegment(a, d, b)) || (o3 == 0 && onSegment(c, a, d)) || (o4 == 0 && onSegment(c, b, d))
    }

    /// No two edges of the ring meet, except neighbours at their common vertex (which cannot
    /// overlap: the ring is cleaned of collinear points). A sweep in y: edges sorted by their
    /// lowest y, each compared only with the edges that start before it ends, so a grid of a
    /// hundred vertices costs a few hundred segment tests instead of five thousand.
    static func isSimple(_ ring: [TilePoint]) -> Bool {
        let n = ring.count
        guard n > 3 else { return true }   // a triangle's edges are all neighbours
        // (lowest y, offset to be non-negative) << 32 | edge: sorting the integers sorts the edges.
        var order = [UInt64](repeating: 0, count: n)
        var maxY = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let a = ring[i], b = ring[i + 1 == n ? 0 : i + 1]
            order[i] = UInt64(Int64(min(a.y, b.y)) + (1 << 31)) << 32 | UInt64(i)
            maxY[i] = max(a.y, b.y)
        }
        order.sort()
        for p in 0..<n {
            let i = Int(order[p] & 0xFFFF_FFFF)
            let a = ring[i], b = ring[i + 1 == n ? 0 : i + 1]
            var q = p + 1
            while q < n {
                let lowest = Int64(order[q] >> 32) - (1 << 31)
                if lowest > Int64(maxY[i]) { break }
                let j = Int(order[q] & 0xFFFF_FFFF)
                q += 1
                let gap = abs(i - j)
                if gap == 1 || gap == n - 1 { continue }   // neighbours share their vertex
                if segmentsMeet(a, b, ring[j], ring[j + 1 == n ? 0 : j + 1]) { return false }
            }
        }
        return true
    }

    /// The pairwise check `isSimple` replaces: the reference its tests compare with.
    static func isSimpleByEveryPair(_ ring: [TilePoint]) -> Bool {
        let n = ring.count
        for i in 0..<n {
            let a = ring[i], b = ring[(i + 1) % n]
            for j in (i + 2)..<max(i + 2, n) where !(i == 0 && j == n - 1) {
                if segmentsMeet(a, b, ring[j], ring[(j + 1) % n]) { return false }
            }
        }
        return true
    }

    static func ringsMeet(_ r: [TilePoint], _ s: [TilePoint]) -> Bool {
        for i in r.indices {
            let a = r[i], b = r[(i + 1) % r.count]
            for j in s.indices where segmentsMeet(a, b, s[j], s[(j + 1) % s.count]) { return true }
        }
        return false
    }

    /// Whether p lies strictly inside the ring (even–odd; p is not on it: rings do not meet).
    static func contains(_ ring: [TilePoint], _ p: TilePoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in ring.indices {
            let a = ring[i], b = ring[j]
            if (a.y > p.y) != (b.y > p.y) {
                // p.x < a.x + (p.y − a.y)(b.x − a.x)/(b.y − a.y), exactly, by the sign of the denominator.
                let lhs = (Int64(p.x) - Int64(a.x)) * (Int64(b.y) - Int64(a.y))
                let rhs = (Int64(p.y) - Int64(a.y)) * (Int64(b.x) - Int64(a.x))
                if b.y > a.y ? lhs < rhs : lhs > rhs { inside.toggle() }
            }
            j = i
        }
        return inside
    }
}
