// The nearest feature to a point that no feature contains. For such a point the nearest point of
// the union of all features lies on the union's boundary, and every boundary point of the union
// lies on an edge that only one feature has (an edge two features share has them on both sides,
// so it is interior to the union). So only the unshared edges are searched: for a tiling of
// 600 grids that is the district outline and the rims of its gaps, a few percent of all edges.
// They sit in a coarse bucket grid. For a point inside the grid each bucket keeps, computed
// once, the few edges that can be nearest to any point in it (the edges whose box comes within
// the bucket centre's nearest distance plus the bucket's half-diagonal): a query scans that
// list alone. Points beyond the grid search the buckets ring by ring outward, stopping when no
// closer edge can remain. Both give the same edge (the lowest index among equally near ones).

struct BoundaryEdgeIndex: Sendable {
    /// Unshared edges: ax, ay, bx, by (degrees), and their features.
    let edges: [Double]
    let features: [Int32]
    let originX: Double, originY: Double, cellWidth: Double, cellHeight: Double
    let columns: Int, rows: Int
    let offsets: [Int32]
    let items: [Int32]
    /// Per bucket, the edges that can be nearest to a point in it, ascending.
    private(set) var candidateOffsets: [Int32] = []
    private(set) var candidateItems: [Int32] = []

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
        (candidateOffsets, candidateItems) = candidates()
    }

    /// For every bucket, the edges whose box lies within `limit` of the bucket, where `limit` is
    /// the nearest distance from its centre plus its half-diagonal (any point of the bucket has an
    /// edge that near, so its nearest edge is among them), with 1 % to spare for the local frame
    /// of a query point differing from the centre's.
    private func candidates() -> ([Int32], [Int32]) {
        var candidateOffsets: [Int32] = [0], candidateItems: [Int32] = []
        guard !features.isEmpty else { return ([Int32](repeating: 0, count: columns * rows + 1), []) }
        var seen = [Int32](repeating: -1, count: features.count)
        for cell in 0..<(columns * rows) {
            let r = cell / columns, c = cell % columns
            let cx = originX + (Double(c) + 0.5) * cellWidth, cy = originY + (Double(r) + 0.5) * cellHeight
            let frame = LocalFrame(origin: Coordinate(cx, cy))
            let kx = frame.metresPerDegreeX, ky = frame.metresPerDegreeY
            let halfWidth = cellWidth * kx / 2, halfHeight = cellHeight * ky / 2
            guard let centre = ringNearest(x: cx, y: cy) else { candidateOffsets.append(Int32(candidateItems.count)); continue }
            let limit = (centre.distance + (halfWidth * halfWidth + halfHeight * halfHeight).squareRoot()) * 1.01 + 1e-6
            let start = candidateItems.count
            let step = min(cellWidth * kx, cellHeight * ky)
            var ring = 0
            while ring <= max(columns, rows) && Double(ring - 1) * step <= limit {
                forEachEdge(inRing: ring, aroundRow: r, column: c) { e in
                    guard seen[e] != Int32(cell) else { return }
                    seen[e] = Int32(cell)
                    // The distance from the bucket to the edge's box: never more than to the edge.
                    let ax = (edges[4 * e] - cx) * kx, bx = (edges[4 * e + 2] - cx) * kx
                    let ay = (edges[4 * e + 1] - cy) * ky, by = (edges[4 * e + 3] - cy) * ky
                    let dx = max(0, min(ax, bx) - halfWidth, -halfWidth - max(ax, bx))
                    let dy = max(0, min(ay, by) - halfHeight, -halfHeight - max(ay, by))
                    if (dx * dx + dy * dy).squareRoot() <= limit { candidateItems.append(Int32(e)) }
                }
                ring += 1
            }
            candidateItems[start...].sort()
            candidateOffsets.append(Int32(candidateItems.count))
        }
        return (candidateOffsets, candidateItems)
    }

    private static func clamp(_ v: Int, _ n: Int) -> Int { max(0, min(n - 1, v)) }

    /// Every edge listed in the buckets `ring` buckets away from bucket (row, column) (the
    /// border of the square of side 2·ring + 1 around it, within the grid), bucket by bucket
    /// in row order; an edge in several of them comes once per bucket.
    @inline(__always)
    private func forEachEdge(inRing ring: Int, aroundRow row: Int, column: Int, _ body: (Int) -> Void) {
        for r in (row - ring)...(row + ring) where r >= 0 && r < rows {
            for c in (column - ring)...(column + ring) where c >= 0 && c < columns {
                guard abs(r - row) == ring || abs(c - column) == ring else { continue }
                let bucket = r * columns + c
                for k in Int(offsets[bucket])..<Int(offsets[bucket + 1]) { body(Int(items[k])) }
            }
        }
    }

    /// The feature owning the nearest unshared edge, and the distance in metres (local frame at the point).
    func nearest(x: Double, y: Double) -> (feature: Int32, distance: Double)? {
        guard !features.isEmpty, x.isFinite, y.isFinite else { return nil }
        // Compared as doubles first: a far point's bucket number may not fit an Int.
        let fc = ((x - originX) / cellWidth).rounded(.down), fr = ((y - originY) / cellHeight).rounded(.down)
        guard fc >= 0, fc < Double(columns), fr >= 0, fr < Double(rows) else { return ringNearest(x: x, y: y) }
        let frame = LocalFrame(origin: Coordinate(x, y))
        let kx = frame.metresPerDegreeX, ky = frame.metresPerDegreeY
        let cell = Int(fr) * columns + Int(fc)
        var best = Double.infinity, bestEdge = -1
        for k in Int(candidateOffsets[cell])..<Int(candidateOffsets[cell + 1]) {
            let e = Int(candidateItems[k])
            let d = PolygonIndex.segmentDistanceSquared(0, 0, (edges[4 * e] - x) * kx, (edges[4 * e + 1] - y) * ky,
                                                        (edges[4 * e + 2] - x) * kx, (edges[4 * e + 3] - y) * ky)
            if d < best { best = d; bestEdge = e }   // ascending edges: the lowest index among equals
        }
        return bestEdge < 0 ? ringNearest(x: x, y: y) : (features[bestEdge], best.squareRoot())
    }

    /// The same by searching the buckets ring by ring outward from the point's (clamped) bucket.
    func ringNearest(x: Double, y: Double) -> (feature: Int32, distance: Double)? {
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
            forEachEdge(inRing: ring, aroundRow: cy, column: cx) { e in
                let d = PolygonIndex.segmentDistanceSquared(0, 0, (edges[4 * e] - x) * kx, (edges[4 * e + 1] - y) * ky,
                                                            (edges[4 * e + 2] - x) * kx, (edges[4 * e + 3] - y) * ky)
                if d < best * best || (d == best * best && e < bestEdge) { best = d.squareRoot(); bestEdge = e }
            }
            ring += 1
        }
        return bestEdge < 0 ? nil : (features[bestEdge], best)
    }
}
