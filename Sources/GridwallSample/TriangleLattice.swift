// A jittered triangular lattice in local metres, clipped to the district outline. Areas are
// grown as sets of its triangles, so neighbouring areas share their boundary vertices exactly:
// the coverage is exact by construction, and GEOS only has to dissolve interior edges.
import GridwallCore

struct TriangleLattice {
    /// Node positions in local metres, already rounded so that they survive the trip to
    /// 7-decimal longitude/latitude text unchanged.
    var nodes: [Coordinate] = []
    /// WGS84 positions of the nodes (rounded to 1e-7 degrees).
    var lonLat: [Coordinate] = []
    /// Three node indices per triangle (counter-clockwise).
    var corners: [Int32] = []
    /// Three neighbour triangles per triangle, across the edge opposite each corner (-1: none).
    var neighbours: [Int32] = []
    var centroids: [Coordinate] = []

    var count: Int { centroids.count }

    init(frame: LocalFrame, shape: DistrictShape, spacing: Double, rng: inout SeededRandom) {
        let h = spacing * 3.0.squareRoot() / 2
        let extent = shape.maxRadius + 2 * spacing
        let cols = Int((2 * extent / spacing).rounded(.up)) + 2
        let rows = Int((2 * extent / h).rounded(.up)) + 2
        var nodeIndex = [Int32](repeating: -1, count: cols * rows)
        func node(_ c: Int, _ r: Int) -> Int32 {
            let key = r * cols + c
            if nodeIndex[key] >= 0 { return nodeIndex[key] }
            return -1
        }
        // Every lattice node gets its jitter from the sequence, in order, whether used or not,
        // so the layout does not depend on which triangles survive clipping.
        var raw = [Coordinate](repeating: Coordinate(0, 0), count: cols * rows)
        for r in 0..<rows {
            for c in 0..<cols {
                let jx = rng.uniform(-0.22, 0.22) * spacing, jy = rng.uniform(-0.22, 0.22) * spacing
                let x = -extent + Double(c) * spacing + (r % 2 == 1 ? spacing / 2 : 0) + jx
                let y = -extent + Double(r) * h + jy
                raw[r * cols + c] = Coordinate(x, y)
            }
        }
        var tris: [(Int, Int, Int)] = []
        for r in 0..<(rows - 1) {
            for c in 0..<(cols - 1) {
                let a = r * cols + c, b = r * cols + c + 1
                let d = (r + 1) * cols + c, e = (r + 1) * cols + c + 1
                if r % 2 == 0 {
                    tris.append((a, b, d)); tris.append((b, e, d))
                } else {
                    tris.append((a, e, d)); tris.append((a, b, e))
                }
            }
        }
        for (a, b, c) in tris {
            let g = Coordinate((raw[a].x + raw[b].x + raw[c].x) / 3, (raw[a].y + raw[b].y + raw[c].y) / 3)
            guard shape.contains(g) else { continue }
            var ids: [Int32] = []
            for k in [a, b, c] {
                if nodeIndex[k] < 0 {
                    nodeIndex[k] = Int32(lonLat.count)
                    let ll = frame.unproject(raw[k])
                    let rounded = Coordinate((ll.x * 1e7).rounded() / 1e7, (ll.y * 1e7).rounded() / 1e7)
                    lonLat.append(rounded)
                    nodes.append(frame.project(rounded))
                }
                ids.append(nodeIndex[k])
            }
            corners.append(contentsOf: ids)
            centroids.append(g)
        }
        _ = node
        // Neighbours through a map from undirected edge to the triangle that saw it first.
        neighbours = [Int32](repeating: -1, count: corners.count)
        var firstSeen: [Int64: Int32] = [:]
        firstSeen.reserveCapacity(corners.count * 2)
        for t in 0..<count {
            for k in 0..<3 {
                let u = Int64(corners[3 * t + (k + 1) % 3]), v = Int64(corners[3 * t + (k + 2) % 3])
                let key = min(u, v) << 32 | max(u, v)
                if let other = firstSeen[key] {
                    neighbours[3 * t + k] = other
                    let o = Int(other)
                    for j in 0..<3 {
                        let ou = Int64(corners[3 * o + (j + 1) % 3]), ov = Int64(corners[3 * o + (j + 2) % 3])
                        if min(ou, ov) << 32 | max(ou, ov) == key { neighbours[3 * o + j] = Int32(t) }
                    }
                } else {
                    firstSeen[key] = Int32(t)
                }
            }
        }
    }

    /// The triangle as a closed counter-clockwise ring in WGS84.
    func ring(_ t: Int) -> [Coordinate] {
        let a = lonLat[Int(corners[3 * t])], b = lonLat[Int(corners[3 * t + 1])], c = lonLat[Int(corners[3 * t + 2])]
        let cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        return cross >= 0 ? [a, b, c, a] : [a, c, b, a]
    }
}
