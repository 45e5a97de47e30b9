// Which lattice triangle holds a local point: buckets of triangle ids plus an exact orientation
// test. The generator uses it to know each building's, responder's and event's grid (for
// populations and per-grid workers) without depending on the engine that tests check.
import GridwallCore

struct TriangleLocator {
    let lattice: TriangleLattice
    let cell: Double
    let origin: Coordinate
    let columns: Int
    var buckets: [Int: [Int32]] = [:]

    init(lattice: TriangleLattice, cell: Double) {
        self.lattice = lattice
        self.cell = cell
        var box = BoundingBox.empty
        lattice.nodes.forEach { box.extend($0) }
        origin = Coordinate(box.minX, box.minY)
        columns = Int((box.width / cell).rounded(.up)) + 1
        for t in 0..<lattice.count {
            var tb = BoundingBox.empty
            for k in 0..<3 { tb.extend(lattice.nodes[Int(lattice.corners[3 * t + k])]) }
            for i in key(tb.minX, origin.x)...key(tb.maxX, origin.x) {
                for j in key(tb.minY, origin.y)...key(tb.maxY, origin.y) { buckets[j * columns + i, default: []].append(Int32(t)) }
            }
        }
    }

    private func key(_ v: Double, _ o: Double) -> Int { Int(((v - o) / cell).rounded(.down)) }

    /// The triangle containing `p` (local metres), or nil outside the lattice.
    func triangle(at p: Coordinate) -> Int? {
        for t in buckets[key(p.y, origin.y) * columns + key(p.x, origin.x)] ?? [] {
            let a = lattice.nodes[Int(lattice.corners[3 * Int(t)])]
            let b = lattice.nodes[Int(lattice.corners[3 * Int(t) + 1])]
            let c = lattice.nodes[Int(lattice.corners[3 * Int(t) + 2])]
            let d1 = orient(a, b, p), d2 = orient(b, c, p), d3 = orient(c, a, p)
            let hasNeg = d1 < 0 || d2 < 0 || d3 < 0, hasPos = d1 > 0 || d2 > 0 || d3 > 0
            if !(hasNeg && hasPos) { return Int(t) }
        }
        return nil
    }
}
