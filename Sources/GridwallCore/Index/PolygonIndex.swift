// Point-in-polygon over a whole layer of polygons, written for speed: flat arrays, no
// allocation per query, and most points answered by one array read.
//
// Why our own index (not GEOS, not an R-tree): a point query against an R-tree of prepared
// polygons costs ~500 ns; here a uniform raster over the layer's extent stores, per cell,
// either the one polygon that covers the whole cell (no edge comes within `tolerance` of it)
// or a short list of candidates. Only points in candidate cells run a crossing-number test,
// and that test reads just the edges in one horizontal band of each candidate polygon.
//
// The shared-edge rule (see Docs/assignment.md): a point on an edge shared by two polygons
// belongs to exactly one of them. The crossing-number test counts an edge when
// `ay <= y < by` (lower end in, upper end out) and when the point is strictly left of the
// crossing; every edge is stored with its lower end first, so two polygons sharing an edge
// compute the very same crossing and can never both (or neither) claim a point on it. The
// effect is that of nudging the point infinitesimally right and up: points on a left or bottom
// boundary are inside, points on a right or top boundary belong to the neighbour.
// Where polygons overlap (bad input), the lowest feature index wins, deterministically.

/// A point-in-polygon index over features that are polygons or multipolygons.
///
///     let index = PolygonIndex(features: grids.map(\.polygons))
///     index.locate(x: 120.2, y: 30.3)   // (feature: 17, onBoundary: false)
public struct PolygonIndex: Sendable {
    /// Options with units.
    public struct Options: Sendable {
        /// Points closer than this to an edge (degrees) are reported as on the boundary.
        public var tolerance = 1e-9
        /// Upper bound on raster cells (4 bytes each).
        public var maxCells = 4_000_000
        /// Average edges per horizontal band in the per-polygon edge index.
        public var edgesPerBand = 2
        /// Whether to index the unshared edges for `nearestFeatureOutside` (nil when off). Worth
        /// it for a tiling (grids: a few percent of the edges); not for scattered features such as
        /// buildings, where every edge is unshared and a city's 365,000 footprints took minutes.
        public var findsNearest = true
        /// The default raster resolution and tolerance.
        public init() {}
    }

    public let featureCount: Int
    public let bounds: BoundingBox
    public let tolerance: Double

    // Edges: 4 doubles each (ax, ay, bx, by) with (ay, ax) <= (by, bx).
    let edges: [Double]
    // Per feature: its box and its bands (start index into bandOffsets, band count, 1/band height).
    let featureBoxes: [Double]          // minX, minY, maxX, maxY per feature
    let featureEdgeRange: [Int32]       // start, end per feature
    let bandStart: [Int32]
    let bandCount: [Int32]
    let bandInverseHeight: [Double]
    let bandOffsets: [Int32]            // bandStart[f] + b → range in bandEdges
    let bandEdges: [Int32]

    // Raster.
    let originX: Double, originY: Double
    let inverseCellWidth: Double, inverseCellHeight: Double
    let cellWidth: Double, cellHeight: Double
    let columns: Int, rows: Int
    /// >= 0: the feature covering the whole cell; -1: no feature; <= -2: candidate list -(v+2).
    let cells: [Int32]
    let candidateOffsets: [Int32]
    let candidates: [Int32]
    /// For points outside every feature: the unshared edges, bucketed.
    let boundaryEdges: BoundaryEdgeIndex

    /// Builds the index; `features[i]` is the list of polygons of feature i (empty lists allowed).
    public init(features: [[Polygon]], options: Options = Options()) {
        featureCount = features.count
        tolerance = options.tolerance
        let eps = options.tolerance

        // 1. Edges, normalised lower end first, and per-feature boxes.
        var edges: [Double] = []
        var boxes: [Double] = []
        var ranges: [Int32] = []
        var all = BoundingBox.empty
        for polygons in features {
            let start = edges.count / 4
            var box = BoundingBox.empty
            for p in polygons {
                for ring in p.rings where ring.count >= 2 {
                    for i in 1..<ring.count {
                        var a = ring[i - 1], b = ring[i]
                        if a == b { continue }
                        if (a.y, a.x) > (b.y, b.x) { swap(&a, &b) }
                        edges.append(contentsOf: [a.x, a.y, b.x, b.y])
                        box.extend(a); box.extend(b)
                    }
                    // Tolerate unclosed rings: the closing edge is implied.
                    if let first = ring.first, let last = ring.last, first != last {
                        var a = last, b = first
                        if (a.y, a.x) > (b.y, b.x) { swap(&a, &b) }
                        edges.append(contentsOf: [a.x, a.y, b.x, b.y])
                    }
                }
            }
            ranges.append(contentsOf: [Int32(start), Int32(edges.count / 4)])
            boxes.append(contentsOf: box.isEmpty ? [1, 1, 0, 0] : [box.minX, box.minY, box.maxX, box.maxY])
            all.extend(box)
        }
        self.edges = edges
        featureBoxes = boxes
        featureEdgeRange = ranges
        bounds = all

        // 2. Per-feature horizontal bands of edges (each edge in every band its y-range touches).
        var bandStart: [Int32] = [], bandCount: [Int32] = [], bandInverseHeight: [Double] = []
        var bandOffsets: [Int32] = [0], bandEdges: [Int32] = []
        for f in 0..<features.count {
            let e0 = Int(ranges[2 * f]), e1 = Int(ranges[2 * f + 1])
            let minY = boxes[4 * f + 1], maxY = boxes[4 * f + 3]
            let n = max(1, (e1 - e0) / max(1, options.edgesPerBand))
            let height = max(maxY - minY, 1e-12) / Double(n)
            bandStart.append(Int32(bandOffsets.count - 1))
            bandCount.append(Int32(n))
            bandInverseHeight.append(1 / height)
            var lists = [[Int32]](repeating: [], count: n)
            for e in e0..<e1 {
                let lo = max(0, min(n - 1, Int(((edges[4 * e + 1] - eps) - minY) / height)))
                let hi = max(0, min(n - 1, Int(((edges[4 * e + 3] + eps) - minY) / height)))
                for b in lo...hi { lists[b].append(Int32(e)) }
            }
            for l in lists { bandEdges.append(contentsOf: l); bandOffsets.append(Int32(bandEdges.count)) }
        }
        self.bandStart = bandStart
        self.bandCount = bandCount
        self.bandInverseHeight = bandInverseHeight
        self.bandOffsets = bandOffsets
        self.bandEdges = bandEdges

        // 3. The raster: square cells in metres (width scaled by the latitude's cosine).
        let box = all.isEmpty ? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1) : all.expanded(by: 2 * eps)
        let aspect = max(0.05, cos(box.center.y * .pi / 180))      // degrees of lon per degree of lat, for square cells
        let areaInLatUnits = box.width * aspect * box.height
        // About 200 cells per edge (capped): candidate cells then hold a few percent of the area.
        let cellCount = Double(min(options.maxCells, max(65_536, 200 * edges.count / 4)))
        let cellHeight = max((areaInLatUnits / cellCount).squareRoot(), 1e-9)
        let cellWidth = cellHeight / aspect
        let columns = max(1, Int((box.width / cellWidth).rounded(.up)))
        let rows = max(1, Int((box.height / cellHeight).rounded(.up)))
        originX = box.minX; originY = box.minY
        self.cellWidth = cellWidth; self.cellHeight = cellHeight
        inverseCellWidth = 1 / cellWidth; inverseCellHeight = 1 / cellHeight
        self.columns = columns; self.rows = rows

        var cells = [Int32](repeating: -1, count: columns * rows)
        var isCandidateCell = [Bool](repeating: false, count: columns * rows)
        var pairs: [Int64] = []   // (cell << 24 | feature) for candidate cells
        func pair(_ cell: Int, _ f: Int) -> Int64 { Int64(cell) << 24 | Int64(f) }
        func column(_ x: Double) -> Int { max(0, min(columns - 1, Int(((x - box.minX) / cellWidth).rounded(.down)))) }
        func row(_ y: Double) -> Int { max(0, min(rows - 1, Int(((y - box.minY) / cellHeight).rounded(.down)))) }

        // 3a. Every cell an edge comes within `eps` of is a candidate cell for that edge's feature.
        for f in 0..<features.count {
            for e in Int(ranges[2 * f])..<Int(ranges[2 * f + 1]) {
                let ax = edges[4 * e], ay = edges[4 * e + 1], bx = edges[4 * e + 2], by = edges[4 * e + 3]
                for r in row(ay - eps)...row(by + eps) {
                    let y0 = max(box.minY + Double(r) * cellHeight, ay - eps), y1 = min(box.minY + Double(r + 1) * cellHeight, by + eps)
                    var x0: Double, x1: Double
                    if by == ay {
                        x0 = min(ax, bx); x1 = max(ax, bx)
                    } else {
                        let slope = (bx - ax) / (by - ay)
                        let xa = ax + (min(max(y0, ay), by) - ay) * slope, xb = ax + (min(max(y1, ay), by) - ay) * slope
                        x0 = min(xa, xb); x1 = max(xa, xb)
                    }
                    for c in column(x0 - eps)...column(x1 + eps) {
                        let cell = r * columns + c
                        isCandidateCell[cell] = true
                        pairs.append(pair(cell, f))
                    }
                }
            }
        }
        // 3b. Scanline fill at each row's centre: cells inside a feature get it as their label
        // (no edge crosses them, so the centre speaks for the whole cell); candidate cells
        // also get every feature that covers their centre (a large polygon around a small one).
        var crossings: [Double] = []
        for f in 0..<features.count where ranges[2 * f] < ranges[2 * f + 1] {
            let minY = boxes[4 * f + 1], maxY = boxes[4 * f + 3]
            for r in row(minY)...row(maxY) {
                let y = box.minY + (Double(r) + 0.5) * cellHeight
                guard y >= minY, y < maxY else { continue }
                crossings.removeAll(keepingCapacity: true)
                let band = Int(bandStart[f]) + max(0, min(Int(bandCount[f]) - 1, Int((y - minY) * bandInverseHeight[f])))
                for k in Int(bandOffsets[band])..<Int(bandOffsets[band + 1]) {
                    let e = Int(bandEdges[k])
                    let ax = edges[4 * e], ay = edges[4 * e + 1], bx = edges[4 * e + 2], by = edges[4 * e + 3]
                    if ay <= y && y < by { crossings.append(ax + (y - ay) * (bx - ax) / (by - ay)) }
                }
                crossings.sort()
                var i = 0
                while i + 1 < crossings.count {
                    // Cell centres x with crossings[i] <= x < crossings[i+1] are inside (same rule as `locate`).
                    let first = max(0, Int(((crossings[i] - box.minX) / cellWidth - 0.5).rounded(.up)))
                    let last = min(columns - 1, Int(((crossings[i + 1] - box.minX) / cellWidth - 0.5).rounded(.up)) - 1)
                    if first <= last {
                        for c in first...last {
                            let cell = r * columns + c
                            if isCandidateCell[cell] {
                                pairs.append(pair(cell, f))
                            } else if cells[cell] == -1 {
                                cells[cell] = Int32(f)
                            } else if cells[cell] != Int32(f) {
                                // Overlapping features: let the exact test decide.
                                isCandidateCell[cell] = true
                                pairs.append(pair(cell, Int(cells[cell])))
                                pairs.append(pair(cell, f))
                            }
                        }
                    }
                    i += 2
                }
            }
        }
        // 3c. Candidate lists, features ascending (so the lowest index wins an overlap).
        pairs.sort()
        var candidateOffsets: [Int32] = [0], candidates: [Int32] = []
        var i = 0
        while i < pairs.count {
            let cell = Int(pairs[i] >> 24)
            let listIndex = candidateOffsets.count - 1
            var last: Int32 = -1
            while i < pairs.count && Int(pairs[i] >> 24) == cell {
                let f = Int32(pairs[i] & 0xFF_FFFF)
                if f != last { candidates.append(f); last = f }
                i += 1
            }
            candidateOffsets.append(Int32(candidates.count))
            cells[cell] = -2 - Int32(listIndex)
        }
        self.cells = cells
        self.candidateOffsets = candidateOffsets
        self.candidates = candidates
        boundaryEdges = options.findsNearest ? BoundaryEdgeIndex(edges: edges, ranges: ranges, featureCount: features.count, bounds: all)
            : BoundaryEdgeIndex(edges: [], ranges: [], featureCount: 0, bounds: all)
    }

    /// The feature containing (x, y) by the shared-edge rule, or -1; and whether the point lies
    /// within `tolerance` of that feature's boundary (always false for -1).
    public func locate(x: Double, y: Double) -> (feature: Int32, onBoundary: Bool) {
        let fx = (x - originX) * inverseCellWidth, fy = (y - originY) * inverseCellHeight
        // The comparison form also rejects NaN.
        guard fx >= 0, fy >= 0, fx < Double(columns), fy < Double(rows) else { return (-1, false) }
        let v = cells[Int(fy) * columns + Int(fx)]
        return v >= -1 ? (v, false) : candidate(of: v, x: x, y: y)
    }

    /// The first feature of candidate cell `v`'s list (features ascending) containing (x, y),
    /// or -1; and whether the point is within `tolerance` of its boundary.
    @inline(__always)
    func candidate(of v: Int32, x: Double, y: Double) -> (feature: Int32, onBoundary: Bool) {
        let list = Int(-2 - v)
        for k in Int(candidateOffsets[list])..<Int(candidateOffsets[list + 1]) {
            let f = Int(candidates[k])
            let (inside, near) = test(feature: f, x: x, y: y)
            if inside { return (Int32(f), near) }
        }
        return (-1, false)
    }

    /// The feature of every point (as `locate`, without the boundary flag) into `out`. Two passes:
    /// first each point's raster cell alone, a loop of independent loads the processor keeps many
    /// of in flight (random points miss the cache: the sample district's raster is 16 MB), then
    /// the exact tests for the few points whose cell holds a candidate list. One `locate` per
    /// point waits for each cell in turn behind the branch on its value.
    public func locate(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Int32>) {
        let n = min(xs.count, ys.count, out.count)
        let width = Double(columns), height = Double(rows)
        var candidatePoints = 0
        cells.withUnsafeBufferPointer { c in
            for i in 0..<n {
                let fx = (xs[i] - originX) * inverseCellWidth, fy = (ys[i] - originY) * inverseCellHeight
                // The comparison form also rejects NaN.
                let v = fx >= 0 && fy >= 0 && fx < width && fy < height ? c[Int(fy) * columns + Int(fx)] : -1
                out[i] = v
                candidatePoints &+= v < -1 ? 1 : 0
            }
        }
        guard candidatePoints > 0 else { return }
        for i in 0..<n where out[i] < -1 { out[i] = candidate(of: out[i], x: xs[i], y: ys[i]).feature }
    }

    /// Crossing-number test of one feature, and whether the point is within tolerance of an edge.
    func test(feature f: Int, x: Double, y: Double) -> (inside: Bool, near: Bool) {
        let minY = featureBoxes[4 * f + 1]
        let eps = tolerance
        guard y >= minY - eps, y <= featureBoxes[4 * f + 3] + eps,
              x >= featureBoxes[4 * f] - eps, x <= featureBoxes[4 * f + 2] + eps else { return (false, false) }
        let band = Int(bandStart[f]) + max(0, min(Int(bandCount[f]) - 1, Int((y - minY) * bandInverseHeight[f])))
        var inside = false, near = false
        return edges.withUnsafeBufferPointer { e in
            for k in Int(bandOffsets[band])..<Int(bandOffsets[band + 1]) {
                let i = 4 * Int(bandEdges[k])
                let ax = e[i], ay = e[i + 1], bx = e[i + 2], by = e[i + 3]
                if ay <= y && y < by {
                    let xint = ax + (y - ay) * (bx - ax) / (by - ay)
                    if x < xint { inside.toggle() }
                }
                if !near && y >= ay - eps && y <= by + eps && x >= min(ax, bx) - eps && x <= max(ax, bx) + eps {
                    near = PolygonIndex.segmentDistanceSquared(x, y, ax, ay, bx, by) <= eps * eps
                }
            }
            return (inside, near)
        }
    }

    /// The squared distance from (px, py) to the segment (ax, ay)–(bx, by).
    public static func segmentDistanceSquared(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
        let dx = bx - ax, dy = by - ay
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
        t = max(0, min(1, t))
        let qx = ax + t * dx - px, qy = ay + t * dy - py
        return qx * qx + qy * qy
    }

    /// Whether (x, y) lies in feature `f` by the shared-edge rule (ignoring other features).
    public func contains(feature f: Int, x: Double, y: Double) -> Bool { test(feature: f, x: x, y: y).inside }

    /// Statistics for logs and benchmarks.
    public var summary: String {
        let candidateCells = candidateOffsets.count - 1
        return "\(featureCount) features, \(edges.count / 4) edges, \(columns)×\(rows) cells "
            + "(\(String(format: "%.1f", 100 * Double(candidateCells) / Double(columns * rows)))% with candidates)"
    }
}

import Foundation
