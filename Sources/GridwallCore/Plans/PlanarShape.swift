// One area's rings as flat planar edges (metres), with the three questions coverage checking
// asks of it: does it hold a point, how far is a point from its outline, and does a segment
// cross that outline. Linear in the edges: it is asked only about the few edges a plan's
// edge matching leaves unexplained.

/// An area (the polygons of one grid or parent) as flat edges in planar metres.
struct PlanarShape: Sendable {
    /// ax, ay, bx, by per edge.
    let edges: [Double]
    let box: BoundingBox

    init(_ polygons: [Polygon]) {
        var edges: [Double] = []
        edges.reserveCapacity(4 * polygons.reduce(0) { $0 + $1.rings.reduce(0) { $0 + $1.count } })
        var box = BoundingBox.empty
        for p in polygons {
            for ring in p.rings where ring.count >= 2 {
                for i in 1..<ring.count where ring[i - 1] != ring[i] {
                    edges.append(ring[i - 1].x); edges.append(ring[i - 1].y)
                    edges.append(ring[i].x); edges.append(ring[i].y)
                    box.extend(ring[i])
                }
            }
        }
        self.edges = edges
        self.box = box
    }

    var edgeCount: Int { edges.count / 4 }

    /// Whether `p` lies inside (even–odd over every ring; a point on the outline may go either way,
    /// which is why callers ask `distanceToOutline` too).
    func contains(_ p: Coordinate) -> Bool {
        guard box.contains(p) else { return false }
        var inside = false
        for e in 0..<edgeCount {
            let ay = edges[4 * e + 1], by = edges[4 * e + 3]
            guard (ay > p.y) != (by > p.y) else { continue }
            let ax = edges[4 * e], bx = edges[4 * e + 2]
            if p.x < ax + (p.y - ay) / (by - ay) * (bx - ax) { inside.toggle() }
        }
        return inside
    }

    /// The distance from `p` to the nearest edge.
    func distanceToOutline(_ p: Coordinate) -> Double {
        var best = Double.infinity
        for e in 0..<edgeCount {
            best = min(best, PolygonIndex.segmentDistanceSquared(p.x, p.y, edges[4 * e], edges[4 * e + 1], edges[4 * e + 2], edges[4 * e + 3]))
        }
        return best.squareRoot()
    }

    /// Whether the segment a–b crosses an edge at a point interior to both (touching at an end,
    /// or running along an edge, is not crossing).
    func crossesProperly(_ a: Coordinate, _ b: Coordinate) -> Bool {
        for e in 0..<edgeCount {
            let c = Coordinate(edges[4 * e], edges[4 * e + 1]), d = Coordinate(edges[4 * e + 2], edges[4 * e + 3])
            let o1 = Self.turn(a, b, c), o2 = Self.turn(a, b, d), o3 = Self.turn(c, d, a), o4 = Self.turn(c, d, b)
            if o1 * o2 < 0 && o3 * o4 < 0 { return true }
        }
        return false
    }

    /// The sign of the turn a → b → c (positive: left), with exact zeros for collinear points
    /// computed from the same coordinates.
    static func turn(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
        let v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        return v > 0 ? 1 : (v < 0 ? -1 : 0)
    }
}

/// Boxes bucketed on a uniform grid, for "which shapes come near this box" without a scan.
public struct BoxBuckets: Sendable {
    let origin: Coordinate
    let cell: Double
    let columns: Int, rows: Int
    let offsets: [Int32]
    let items: [Int32]

    public init(_ boxes: [BoundingBox]) {
        var all = BoundingBox.empty
        var size = 0.0
        for b in boxes where !b.isEmpty { all.extend(b); size += max(b.width, b.height) }
        let live = boxes.filter { !$0.isEmpty }.count
        if all.isEmpty { all = BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1) }
        // Cells about the size of an average box: each box lands in a few cells.
        let cell = max(size / Double(max(live, 1)), max(all.width, all.height) / 512, 1e-6)
        let origin = Coordinate(all.minX, all.minY)
        let columns = Int(all.width / cell) + 1, rows = Int(all.height / cell) + 1
        self.cell = cell; self.origin = origin; self.columns = columns; self.rows = rows
        var lists = [[Int32]](repeating: [], count: columns * rows)
        for (i, b) in boxes.enumerated() where !b.isEmpty {
            for r in Self.slot(b.minY, origin.y, cell, rows)...Self.slot(b.maxY, origin.y, cell, rows) {
                for c in Self.slot(b.minX, origin.x, cell, columns)...Self.slot(b.maxX, origin.x, cell, columns) { lists[r * columns + c].append(Int32(i)) }
            }
        }
        var offsets: [Int32] = [0], items: [Int32] = []
        for l in lists { items.append(contentsOf: l); offsets.append(Int32(items.count)) }
        self.offsets = offsets
        self.items = items
    }

    private static func slot(_ v: Double, _ start: Double, _ cell: Double, _ count: Int) -> Int {
        max(0, min(count - 1, Int(((v - start) / cell).rounded(.down))))
    }
    private func column(_ x: Double) -> Int { Self.slot(x, origin.x, cell, columns) }
    private func row(_ y: Double) -> Int { Self.slot(y, origin.y, cell, rows) }

    /// The indexes of the boxes in cells that `box` touches (each once, ascending; a superset
    /// of the boxes that intersect it).
    public func near(_ box: BoundingBox) -> [Int] {
        var found = Set<Int32>()
        for r in row(box.minY)...row(box.maxY) {
            for c in column(box.minX)...column(box.maxX) {
                let cellIndex = r * columns + c
                for k in Int(offsets[cellIndex])..<Int(offsets[cellIndex + 1]) { found.insert(items[k]) }
            }
        }
        return found.map(Int.init).sorted()
    }
}
