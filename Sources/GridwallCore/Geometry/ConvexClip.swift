// Exact overlap areas with a convex polygon, without an overlay engine. Sutherland–Hodgman
// clipping of any ring by a convex polygon keeps exactly the ring's part inside it, except that
// where the ring leaves and re-enters across one side the result runs back and forth along that
// side: that adds no area, so the area of the clipped ring is the area of the overlap. A
// polygon's overlap is its exterior's less its holes'. A concave polygon is first cut into
// triangles (EarClipping), and its overlap is the sum of theirs. Plan impacts ask this of
// hundreds of grid pairs, where building both in GEOS and overlaying them costs far more.
import Foundation

extension Polygon {
    /// The exterior ring counter-clockwise without its closing point, when the polygon is one
    /// convex ring without holes; nil otherwise. Straight runs are allowed; a ring that turns
    /// both ways, or all one way but round more than once (a star), is not convex.
    public var convexRing: [Coordinate]? {
        guard holes.isEmpty, let ring = Orientation.openCounterClockwise(exterior) else { return nil }
        var turning = 0.0
        let n = ring.count
        for i in 0..<n {
            let a = ring[i], b = ring[(i + 1) % n], c = ring[(i + 2) % n]
            let ux = b.x - a.x, uy = b.y - a.y, vx = c.x - b.x, vy = c.y - b.y
            let cross = ux * vy - uy * vx
            guard cross >= 0 else { return nil }
            turning += atan2(cross, ux * vx + uy * vy)
        }
        // Once round: the turns add up to 2π (a pentagram's add up to 4π).
        return abs(turning - 2 * .pi) < 1e-6 ? ring : nil
    }

    /// Convex rings (counter-clockwise, open) that cover this polygon exactly without
    /// overlapping: the polygon itself when convex, else its triangles (EarClipping); nil for a
    /// polygon with holes or a ring that cannot be cut.
    public var convexPieces: [[Coordinate]]? {
        if let ring = convexRing { return [ring] }
        guard holes.isEmpty else { return nil }
        return EarClipping.triangles(exterior)
    }

    /// The planar area of this polygon's part inside the convex `pieces` (as `convexPieces`
    /// gives them: they must not overlap).
    public func planarArea(insidePieces pieces: [[Coordinate]]) -> Double {
        var box = BoundingBox.empty
        for p in exterior { box.extend(p) }
        var total = 0.0
        for piece in pieces {
            var pieceBox = BoundingBox.empty
            for p in piece { pieceBox.extend(p) }
            if pieceBox.intersects(box) { total += planarArea(insideConvex: piece) }
        }
        return total
    }

    /// The planar area of this polygon's part inside the convex ring `convex` (as `convexRing`
    /// gives it: counter-clockwise, open).
    public func planarArea(insideConvex convex: [Coordinate]) -> Double {
        var total = 0.0
        for (r, ring) in rings.enumerated() {
            var cut = ring.count > 1 && ring.first == ring.last ? Array(ring.dropLast()) : ring
            for i in 0..<convex.count where cut.count > 2 {
                cut = Self.keepLeft(of: convex[i], convex[(i + 1) % convex.count], cut)
            }
            guard cut.count > 2 else { continue }
            let area = abs(Orientation.signedArea2(cut + [cut[0]])) / 2
            total += r == 0 ? area : -area
        }
        return max(0, total)
    }

    /// The part of the open ring on the left of (or on) the line a → b.
    static func keepLeft(of a: Coordinate, _ b: Coordinate, _ ring: [Coordinate]) -> [Coordinate] {
        let dx = b.x - a.x, dy = b.y - a.y
        func side(_ p: Coordinate) -> Double { dx * (p.y - a.y) - dy * (p.x - a.x) }
        var out: [Coordinate] = []
        out.reserveCapacity(ring.count + 4)
        var previous = ring[ring.count - 1]
        var previousSide = side(previous)
        for p in ring {
            let s = side(p)
            if (s >= 0) != (previousSide >= 0) {
                let t = previousSide / (previousSide - s)
                out.append(Coordinate(previous.x + t * (p.x - previous.x), previous.y + t * (p.y - previous.y)))
            }
            if s >= 0 { out.append(p) }
            previous = p
            previousSide = s
        }
        return out
    }
}
