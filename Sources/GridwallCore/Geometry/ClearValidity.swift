// A quick validity verdict for the common case, so that checking a plan of 600 grids does not
// hand every one to GEOS (~20 µs each, half the check's time). It answers only "certainly
// valid", never "invalid": a polygon of one ring, closed, without repeated points, whose
// segments that are not neighbours stay farther apart than a margin, and whose neighbours do
// not fold back onto each other. The margin (1e-9°, a tenth of a millimetre) dwarfs the rounding
// of the arithmetic (done relative to the first vertex, ~1e-17°), so GEOS's exact predicates on
// the same doubles cannot disagree. Anything else (holes, several polygons, a near contact) is
// left to GEOS, which also says what is wrong and where.

extension Geometry {
    /// Whether this is certainly a valid polygon by the OGC rules (false: ask GEOS).
    public var isClearlyValid: Bool {
        guard case .polygon(let p) = self, p.rings.count == 1 else { return false }
        return ClearValidity.isClearlySimple(p.rings[0], margin: 1e-9)
    }
}

enum ClearValidity {
    /// Whether the closed ring is simple with every non-neighbouring pair of segments more than
    /// `margin` apart and no neighbours within `margin` of folding back.
    static func isClearlySimple(_ ring: [Coordinate], margin: Double) -> Bool {
        clearance(ring, upTo: margin * 2) > margin
    }

    /// How far the closed ring keeps clear of touching itself: the smallest distance between two
    /// segments that are not neighbours, and from each segment to the far end of its neighbour
    /// (a fold back); `cap` when all are larger, 0 when the ring is not a ring (fewer than three
    /// segments, not closed, a repeated point, a coordinate not finite) or crosses itself.
    /// Moving every vertex by less than half of it cannot make the ring touch itself, which is
    /// what lets a vector tile round a clear ring's vertices without checking the result.
    static func clearance(_ ring: [Coordinate], upTo cap: Double) -> Double {
        let n = ring.count - 1                          // segments
        guard n >= 3, ring[0] == ring[n] else { return 0 }
        let o = ring[0]
        var xs = [Double](repeating: 0, count: n + 1), ys = xs
        for k in 0...n {
            let c = ring[k]
            guard c.isFinite else { return 0 }
            xs[k] = c.x - o.x; ys[k] = c.y - o.y
        }
        for k in 0..<n where xs[k] == xs[k + 1] && ys[k] == ys[k + 1] { return 0 }
        var best2 = cap * cap
        @inline(__always) func distance2(_ p: Int, _ a: Int, _ b: Int) -> Double {
            PolygonIndex.segmentDistanceSquared(xs[p], ys[p], xs[a], ys[a], xs[b], ys[b])
        }
        // Neighbours share their common vertex only: neither far end comes back to the other segment.
        for k in 0..<n {
            // Segment k runs from point k to k + 1; the next from k + 1 to k + 2, or, after the
            // last, from the closing point (the first) to point 1.
            let a = k, b = k + 1, c = k + 2 <= n ? k + 2 : 1
            best2 = min(best2, distance2(c, a, b), distance2(a, b, c))
        }
        // Segments by their lowest y; each is compared with those starting below its top plus
        // the smallest distance so far.
        var order = Array(0..<n)
        let low = (0..<n).map { min(ys[$0], ys[$0 + 1]) }
        order.sort { low[$0] < low[$1] }
        for (position, s) in order.enumerated() {
            guard best2 > 0 else { return 0 }
            let best = best2.squareRoot()
            let top = max(ys[s], ys[s + 1]) + best
            let left = min(xs[s], xs[s + 1]) - best, right = max(xs[s], xs[s + 1]) + best
            var next = position + 1
            while next < n, low[order[next]] <= top {
                let t = order[next]
                next += 1
                // Neighbours (including the last and the first) were measured above.
                if abs(s - t) == 1 || abs(s - t) == n - 1 { continue }
                if max(xs[t], xs[t + 1]) < left || min(xs[t], xs[t + 1]) > right { continue }
                best2 = min(best2, segmentDistance2(s, t))
            }
        }
        return best2.squareRoot()

        /// The squared distance between segments s and t (0 when they cross).
        func segmentDistance2(_ s: Int, _ t: Int) -> Double {
            let ax = xs[s], ay = ys[s], bx = xs[s + 1], by = ys[s + 1]
            let cx = xs[t], cy = ys[t], dx = xs[t + 1], dy = ys[t + 1]
            let d1 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax), d2 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax)
            let d3 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx), d4 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx)
            if (d1 > 0) != (d2 > 0) && (d3 > 0) != (d4 > 0) { return 0 }
            return min(distance2(s, t, t + 1), distance2(s + 1, t, t + 1), distance2(t, s, s + 1), distance2(t + 1, s, s + 1))
        }
    }
}
