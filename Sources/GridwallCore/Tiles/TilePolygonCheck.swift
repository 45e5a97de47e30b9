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
        var r = ring
        let n = r.withUnsafeMutableBufferPointer { cleanInPlace($0) }
        r.removeLast(r.count - n)
        return r
    }

    /// `clean` in place: the cleaned ring is the buffer's first points, how many returned.
    /// One pass with the kept points as a stack (a point that makes the top two straight pops
    /// the top, so spikes fold back point by point), then the same rules across the seam
    /// between the last point and the first.
    static func cleanInPlace(_ ring: UnsafeMutableBufferPointer<TilePoint>) -> Int {
        var kept = 0
        for i in 0..<ring.count {
            let p = ring[i]
            while kept >= 2 && orientation(ring[kept - 2], ring[kept - 1], p) == 0 { kept -= 1 }
            if kept > 0 && ring[kept - 1] == p { continue }
            ring[kept] = p
            kept += 1
        }
        var first = 0
        while kept - first >= 3 {
            if ring[kept - 1] == ring[first] || orientation(ring[kept - 2], ring[kept - 1], ring[first]) == 0 {
                kept -= 1
            } else if orientation(ring[kept - 1], ring[first], ring[first + 1]) == 0 {
                first += 1
            } else {
                break
            }
        }
        let n = kept - first
        if first > 0 { for i in 0..<max(0, n) { ring[i] = ring[first + i] } }
        return max(0, n)
    }

    /// Twice the signed area by the surveyor's formula in tile coordinates (positive: clockwise
    /// on screen, an exterior ring in MVT).
    static func surveyorArea(_ ring: UnsafeBufferPointer<TilePoint>) -> Int64 {
        guard var previous = ring.last else { return 0 }
        var sum: Int64 = 0
        for p in ring {
            sum += Int64(previous.x) * Int64(p.y) - Int64(p.x) * Int64(previous.y)
            previous = p
        }
        return sum
    }

    /// Buffers the check reuses from one feature to the next.
    public struct Scratch: Sendable {
        var boxes: [(Int32, Int32, Int32, Int32)] = []
        var order: [UInt64] = [], maxY: [Int32] = []
        public init() {}
    }

    /// Whether every polygon is simple, its holes inside its exterior, and no two rings (of one
    /// polygon or of two) meet.
    public static func isValid(_ polygons: [[[TilePoint]]]) -> Bool {
        var scratch = Scratch()
        return isValid(TilePolygons(polygons), scratch: &scratch)
    }

    /// `isValid` on flat polygons.
    public static func isValid(_ polygons: TilePolygons, scratch: inout Scratch) -> Bool {
        let ringCount = polygons.ringEnds.count
        return polygons.points.withUnsafeBufferPointer { points in
            func ring(_ r: Int) -> UnsafeBufferPointer<TilePoint> { UnsafeBufferPointer(rebasing: points[polygons.points(ofRing: r)]) }
            scratch.boxes.removeAll(keepingCapacity: true)
            for r in 0..<ringCount {
                let ring = ring(r)
                guard ring.count >= 3 else { return false }
                var b = (Int32.max, Int32.max, Int32.min, Int32.min)
                for p in ring { b = (min(b.0, p.x), min(b.1, p.y), max(b.2, p.x), max(b.3, p.y)) }
                scratch.boxes.append(b)
            }
            // Edges of one ring: only neighbours may share a point (their common vertex).
            for r in 0..<ringCount where !isSimple(ring(r), scratch: &scratch) { return false }
            // Edges of two rings: no contact at all.
            for i in 0..<ringCount {
                for j in (i + 1)..<max(i + 1, ringCount) {
                    let a = scratch.boxes[i], b = scratch.boxes[j]
                    if a.2 < b.0 || b.2 < a.0 || a.3 < b.1 || b.3 < a.1 { continue }
                    if ringsMeet(ring(i), ring(j)) { return false }
                }
            }
            // Holes inside their exterior; exteriors outside each other (no meeting edges, so one
            // vertex tells on which side a whole ring lies).
            let polygonCount = polygons.polygonEnds.count
            for p in 0..<polygonCount {
                let rings = polygons.rings(ofPolygon: p)
                let exterior = ring(rings.lowerBound)
                for h in rings.dropFirst() where !contains(exterior, ring(h)[0]) { return false }
                for q in 0..<polygonCount where q != p && contains(exterior, ring(polygons.rings(ofPolygon: q).lowerBound)[0]) { return false }
            }
            return true
        }
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
    /// overlap: the ring is cleaned of collinear points). Small rings test every pair; larger
    /// ones sweep.
    static func isSimple(_ ring: UnsafeBufferPointer<TilePoint>, scratch: inout Scratch) -> Bool {
        ring.count <= 12 ? isSimpleByEveryPair(ring) : isSimpleBySweep(ring, scratch: &scratch)
    }

    /// A sweep in y: edges sorted by their lowest y, each compared only with the edges that
    /// start before it ends, so a grid of a hundred vertices costs a few hundred segment tests
    /// instead of five thousand.
    static func isSimpleBySweep(_ ring: UnsafeBufferPointer<TilePoint>, scratch: inout Scratch) -> Bool {
        let n = ring.count
        guard n > 3 else { return true }   // a triangle's edges are all neighbours
        // (lowest y, offset to be non-negative) << 32 | edge: sorting the integers sorts the edges.
        scratch.order.removeAll(keepingCapacity: true)
        scratch.maxY.removeAll(keepingCapacity: true)
        for i in 0..<n {
            let a = ring[i], b = ring[i + 1 == n ? 0 : i + 1]
            scratch.order.append(UInt64(Int64(min(a.y, b.y)) + (1 << 31)) << 32 | UInt64(i))
            scratch.maxY.append(max(a.y, b.y))
        }
        scratch.order.sort()
        return scratch.order.withUnsafeBufferPointer { order in scratch.maxY.withUnsafeBufferPointer { maxY in
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
        } }
    }

    /// Every pair of non-neighbouring edges tested: the sweep's reference in the tests, and
    /// faster than sorting for a small ring.
    static func isSimpleByEveryPair(_ ring: UnsafeBufferPointer<TilePoint>) -> Bool {
        let n = ring.count
        for i in 0..<n {
            let a = ring[i], b = ring[i + 1 == n ? 0 : i + 1]
            for j in (i + 2)..<max(i + 2, n) where !(i == 0 && j == n - 1) {
                if segmentsMeet(a, b, ring[j], ring[j + 1 == n ? 0 : j + 1]) { return false }
            }
        }
        return true
    }

    static func ringsMeet(_ r: UnsafeBufferPointer<TilePoint>, _ s: UnsafeBufferPointer<TilePoint>) -> Bool {
        var a = r[r.count - 1]
        for b in r {
            var c = s[s.count - 1]
            for d in s {
                if segmentsMeet(a, b, c, d) { return true }
                c = d
            }
            a = b
        }
        return false
    }

    /// Whether p lies strictly inside the ring (even–odd; p is not on it: rings do not meet).
    static func contains(_ ring: UnsafeBufferPointer<TilePoint>, _ p: TilePoint) -> Bool {
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
