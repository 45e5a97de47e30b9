// Coverage validation on edges. A plan's pieces (its grids) tile their parent (a community)
// when every boundary edge of every piece is shared edge to edge: run backwards by the piece on
// its other side, or run the same way by (or lying on) the parent's outline. Edges are matched exactly by
// their end points in one pass through a hash table (EdgeTable); only the edges left unmatched need any
// geometry, and each is classified by what lies beside it:
//
//   overlap     it runs through another piece's interior (a point of it deeper than the
//               tolerance inside), properly crosses that piece's outline, or two pieces run it
//               the same way (both lie on the same side of it);
//   misaligned  it stays within the tolerance of another piece's outline, or of its parent's,
//               without sharing it: near-coincident boundaries, the kind digitising leaves;
//   outside     it lies outside its parent (or on the parent's outline, the piece beyond it);
//   gap         it lies inside its parent with no piece beyond it.
//
// A parent outline edge that no piece runs marks that parent as holding a gap (or a piece that
// left it). Why our own: GEOS 3.11 has no coverage validator (it came in 3.12), and overlaying
// every pair of neighbours costs about 100 ms for 600 grids; matching edges is linear, and the
// overlays (GridwallPlans) then run only where an edge says they will find something.
//
// Coordinates are planar metres (a LocalFrame), so the tolerance is in metres.

/// The unmatched edges of a set of pieces, each classified, and what they imply.
///
///     let edges = CoverageEdges(pieces: grids, parentOf: parents, parents: communities, tolerance: 0.5)
///     edges.overlappingPairs   // [CoverageEdges.Pair(3, 17)]
public struct CoverageEdges: Sendable {
    /// Two pieces, the lower index first.
    public struct Pair: Sendable, Hashable, Comparable {
        public let first: Int, second: Int
        public init(_ a: Int, _ b: Int) { first = min(a, b); second = max(a, b) }
        public static func < (l: Pair, r: Pair) -> Bool { (l.first, l.second) < (r.first, r.second) }
    }

    /// An edge of a piece that no neighbour or parent shares, and why.
    public struct Edge: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case overlap(with: Int)
            /// Near another piece's outline (`with`), or the parent's (`with` nil), not on it.
            case misaligned(with: Int?)
            case outsideParent
            case gap
            /// The piece has no parent to hold it against: its unmatched edges are the outline.
            case outline
            /// On the parent's outline (within `onLine`) without the parent having its vertices: fine.
            case onParent
        }
        public var piece: Int
        public var from: Coordinate
        public var to: Coordinate
        public var kind: Kind
        public var length: Double { ((to.x - from.x) * (to.x - from.x) + (to.y - from.y) * (to.y - from.y)).squareRoot() }
    }

    public private(set) var unmatched: [Edge] = []
    /// Pieces whose interiors meet, found from their edges.
    public private(set) var overlappingPairs: Set<Pair> = []
    /// Pieces with an edge outside their parent.
    public private(set) var outsideParent: Set<Int> = []
    /// Parents with a gap edge inside them or an outline edge no piece runs (where the parent lacks
    /// its pieces' vertices this only says where GEOS should look).
    public private(set) var parentsWithGaps: Set<Int> = []
    /// The parents' outline edges no piece of theirs runs: with the pieces' unmatched edges they
    /// close the rims of gaps that touch the outline.
    public private(set) var uncoveredOutline: [(parent: Int, from: Coordinate, to: Coordinate)] = []

    /// Metres within which an edge lies on its parent's outline: coordinates of 7 decimals of a
    /// degree (GeoJSON as most tools write it) are rounded by up to a centimetre.
    public static let onLine = 0.01

    /// Classifies the edges of `pieces` (each a list of polygons in planar metres) against each
    /// other and against `parents[parentOf[i]]` (nil: the piece has no parent to check).
    public init(pieces: [[Polygon]], parentOf: [Int?], parents: [[Polygon]], tolerance: Double) {
        precondition(parentOf.count == pieces.count, "one parent entry per piece")
        let pieceShapes = pieces.map { PlanarShape($0.map(Self.oriented)) }
        let parentShapes = parents.map { PlanarShape($0.map(Self.oriented)) }

        // Who runs each directed edge: one piece, almost always (EdgeTable).
        var runs = EdgeTable(count: pieceShapes.reduce(0) { $0 + $1.edgeCount })
        for (i, shape) in pieceShapes.enumerated() {
            for e in 0..<shape.edgeCount { runs.add(Self.key(shape.edges, e), Int32(i)) }
        }
        var parentRuns = EdgeTable(count: parentShapes.reduce(0) { $0 + $1.edgeCount })
        for (p, shape) in parentShapes.enumerated() {
            for e in 0..<shape.edgeCount { parentRuns.add(Self.key(shape.edges, e), Int32(p)) }
        }

        let buckets = BoxBuckets(pieceShapes.map { $0.box.expanded(by: tolerance) })
        // Parent outline edges no child of that parent runs, nor lies along (a parent from
        // another system need not have its children's vertices).
        for (p, shape) in parentShapes.enumerated() {
            for e in 0..<shape.edgeCount {
                let key = Self.key(shape.edges, e)
                if !runs.runners(key).contains(where: { parentOf[Int($0)] == p }) {
                    let a = key.from, b = key.to
                    if Self.liesUnder(a, b, pieces: pieceShapes, buckets: buckets) { continue }
                    parentsWithGaps.insert(p)
                    uncoveredOutline.append((p, a, b))
                }
            }
        }

        for (i, shape) in pieceShapes.enumerated() {
            let parent = parentOf[i]
            for e in 0..<shape.edgeCount {
                let key = Self.key(shape.edges, e)
                if runs.isShared(key) {
                    let twins = runs.runners(key).filter { Int($0) != i }
                    for j in twins { overlappingPairs.insert(Pair(i, Int(j))) }
                    if let j = twins.first {
                        unmatched.append(Edge(piece: i, from: key.from, to: key.to, kind: .overlap(with: Int(j))))
                        continue
                    }
                }
                if runs.isRun(key.reversed, byAnotherThan: Int32(i)) { continue }
                if let parent, parentRuns.isRun(key, by: Int32(parent)) { continue }
                let a = key.from, b = key.to
                let kind = Self.classify(a, b, piece: i, shapes: pieceShapes, buckets: buckets,
                                         parent: parent.map { parentShapes[$0] }, tolerance: tolerance)
                switch kind {
                case .overlap(let j): overlappingPairs.insert(Pair(i, j))
                case .outsideParent: outsideParent.insert(i)
                case .gap: if let parent { parentsWithGaps.insert(parent) }
                case .misaligned, .outline, .onParent: break
                }
                if kind != .onParent { unmatched.append(Edge(piece: i, from: a, to: b, kind: kind)) }
            }
        }
    }

    /// Whether pieces' outlines run along all of a → b (within `onLine`), sampled every metre
    /// (at most 1,000 samples).
    private static func liesUnder(_ a: Coordinate, _ b: Coordinate, pieces: [PlanarShape], buckets: BoxBuckets) -> Bool {
        let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        let samples = max(2, min(1000, Int(length.rounded(.up))))
        var box = BoundingBox.empty
        box.extend(a); box.extend(b)
        let near = buckets.near(box.expanded(by: onLine)).filter { pieces[$0].box.intersects(box.expanded(by: onLine)) }
        for k in 0...samples {
            let t = Double(k) / Double(samples)
            let p = Coordinate(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
            guard near.contains(where: { pieces[$0].box.expanded(by: onLine).contains(p) && pieces[$0].distanceToOutline(p) <= onLine }) else { return false }
        }
        return true
    }

    /// What lies beside an unmatched edge a → b of piece `i` (its interior on the left).
    private static func classify(_ a: Coordinate, _ b: Coordinate, piece i: Int, shapes: [PlanarShape], buckets: BoxBuckets,
                                 parent: PlanarShape?, tolerance: Double) -> Edge.Kind {
        // The ends, the quarter points and the midpoint; and a probe twice the tolerance inside
        // the piece, which finds a neighbour lying on the same side of a near-coincident edge.
        let samples = [0, 0.25, 0.5, 0.75, 1].map { t in Coordinate(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t) }
        let mid = samples[2]
        let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        let step = 2 * tolerance / max(length, 1e-12)
        let inward = Coordinate(mid.x - (b.y - a.y) * step, mid.y + (b.x - a.x) * step)
        var box = BoundingBox.empty
        box.extend(a); box.extend(b)
        let reach = box.expanded(by: tolerance)
        let nearby = buckets.near(reach).filter { $0 != i && shapes[$0].box.intersects(reach) }
        var closest: (piece: Int, distance: Double)?
        for j in nearby {
            let other = shapes[j]
            if other.crossesProperly(a, b) { return .overlap(with: j) }
            var farthest = 0.0
            for s in samples {
                let d = other.distanceToOutline(s)
                if d > tolerance && other.contains(s) { return .overlap(with: j) }
                farthest = max(farthest, d)
            }
            if farthest <= tolerance {
                if other.contains(inward) && other.distanceToOutline(inward) > tolerance / 2 { return .overlap(with: j) }
                if closest == nil || farthest < closest!.distance { closest = (j, farthest) }
            }
        }
        if let closest { return .misaligned(with: closest.piece) }
        guard let parent else { return .outline }
        let fromParent = samples.map { parent.distanceToOutline($0) }
        if fromParent.allSatisfy({ $0 <= tolerance }) {
            // Along the parent's outline: on it (the parent need not have the piece's vertices),
            // or misaligned with it; unless the piece lies beyond it.
            guard parent.contains(inward) else { return .outsideParent }
            return fromParent.allSatisfy { $0 <= onLine } ? .onParent : .misaligned(with: nil)
        }
        return parent.contains(mid) ? .gap : .outsideParent
    }

    private static func key(_ edges: [Double], _ e: Int) -> EdgeKey {
        EdgeKey(edges[4 * e], edges[4 * e + 1], edges[4 * e + 2], edges[4 * e + 3])
    }

    /// Exterior counter-clockwise, holes clockwise: every interior then lies left of its edges.
    static func oriented(_ p: Polygon) -> Polygon { Orientation.rfc7946(p) }
}
