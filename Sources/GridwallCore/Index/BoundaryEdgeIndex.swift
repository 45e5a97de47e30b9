// The nearest feature to a point that no feature contains. For such a point the nearest point of
// the union of all features lies on the union's boundary, and every boundary point of the union
// lies on an edge that only one feature has (an edge two features share has them on both sides,
// so it is interior to the union). So only the unshared edges are searched: for a tiling of
// 600 grids that is the district outline and the rims of its gaps, a few percent of all edges.
// They sit in a coarse bucket grid searched ring by ring outward, stopping when no closer edge
// can remain.

struct BoundaryEdgeIndex: Sendable {
    /// Unshared edges: ax, ay, bx, by (degrees), and their features.
    let edges: [Double]
    let features: [Int32]
    let originX: Double, originY: Double, cellWidth: Double, cellHeight: Double
    let columns: Int, rows: Int
    let offsets: [Int32]
    let items: [Int32]

    /// `edges` holds every edge of every feature (normalised, 4 doubles each), `ranges` each
    /// feature's [start, end) in edges.
    init(edges all: [Double], ranges: [Int32], featureCount: Int, bounds: BoundingBox) {
        struct Key: Hashable { let ax, ay, bx, by: Double }
        var uses: [Key: Int] = [:]
        uses.reserveCapacity(all.count / 4)
        for e in 0..<(all.count / 4) {
            uses[Key(ax: all[4 * e], ay: all[4 * e + 1], bx: all[4 * e + 2], by: all[4 * e + 3]), default: 0] += 1
        }
        var edges: [Double] = [], features: [Int32] = []
        for f in 0..<featureCount {
            for e in Int(ranges[2 * f])..<Int(ranges[2 * f + 1])
            where uses[Key(ax: all[4 * e], ay: all[4 * e + 1], bx: all[4 * e + 2], by: all[4 * e + 3])] == 1 {
                edges.append(contentsOf: all[(4 * e)..<(4 * e + 4)])
                features.append(Int32(f))
            }
        }
        self.edges = edges
        self.features = features
        let box = bounds.isEmpty ? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1) : bounds
        let n = max(1, Int(Double(features.count / 4).squareRoot()))
        columns = n; rows = n
        originX = box.minX; originY = box.minY
        cellWidth = max(box.width, 1e-9) / Double(n); cellHeight = max(box.height, 1e-9) / Double(n)
        var lists = [[Int32]](repeating: [], count: n * n)
        for e in 0..<features.count {
            let c0 = Self.clamp(Int((min(edges[4 * e], edges[4 * e + 2]) - box.minX) / cellWidth), n)
            let c1 = Self.clamp(Int((max(edges[4 * e], edges[4 * e + 2]) - box.minX) / cellWidth), n)
            let r0 = Self.clamp(Int((edges[4 * e + 1] - box.minY) / cellHeight), n)
            let r1 = Self.clamp(Int((edges[4 * e + 3] - box.minY) / cellHeight), n)
            for r in r0...r1 { for c in c0...c1 { lists[r * n + c].append(Int32(e)) } }
        }
        var offsets: [Int32] = [0], items: [Int32] = []
        for l in lists { items.append(contentsOf: l); offsets.append(Int32(items.count)) }
        self.offsets = offsets
        self.items = items
    }

    private static func clamp(_ v: Int, _ n: Int) -> Int { max(0, min(n - 1, v)) }

    /// The feature owning the nearest unshared edge, and the distance in metres (local frame at the point).
    func nearest(x: Double, y: Double) -> (feature: Int32, distance: Double)? {
        guard !features.isEmpty, x.isFinite, y.isFinite else { return nil }
        let frame = LocalFrame(origin: Coordinate(x, y))
        let kx = frame.metresPerDegreeX, ky = frame.metresPerDegreeY
        let cx = Self.clamp(Int(((x - originX) / cellWidth).rounded(.down)), columns)
        let cy = Self.clamp(Int(((y - originY) / cellHeight).rounded(.down)), rows)
        let step = min(cellWidth * kx, cellHeight * ky)
        var best = Double.infinity, bestEdge = -1
        var ring = 0
        while ring <= max(columns, rows) {
            // Cells of this ring are at least (ring - 1) cells from the point's (clamped) cell.
            if Double(ring - 1) * step > best { break }
            for r in (cy - ring)...(cy + ring) where r >= 0 && r < rows {
                for c in (cx - ring)...(cx + ring) where c >= 0 && c < columns {
                    guard abs(r - cy) == ring || abs(c - cx) == ring else { continue }
                    let cell = r * columns + c
                    for k in Int(offsets[cell])..<Int(offsets[cell + 1]) {
                        let e = Int(items[k])
                        let d = PolygonIndex.segmentDistanceSquared(0, 0, (edges[4 * e] - x) * kx, (edges[4 * e + 1] - y) * ky,
                                                                    (edges[4 * e + 2] - x) * kx, (edges[4 * e + 3] - y) * ky)
                        if d < best * best || (d == best * best && e < bestEdge) { best = d.squareRoot(); bestEdge = e }
                    }
                }
            }
            ring += 1
        }
        return bestEdge < 0 ? nil : (features[bestEdge], best)
    }
}
