// Defects injected into the sample district's grids, one at a time, at the first place in the
// district where the defect stays where it is put (far enough from every other edge).
import GridwallCore
import GridwallGEOS
import GridwallPlans

enum Injection {
    struct NoPlace: Error { let what: String }

    /// A shared edge a → b of grid g (exterior ring position k) run backwards by grid n.
    struct SharedEdge { let g: Int, k: Int, n: Int, a: Coordinate, b: Coordinate }

    static func exterior(_ area: PlanArea) -> [Coordinate] { area.geometry.polygons[0].exterior }

    static func setExterior(_ grids: inout [PlanArea], _ i: Int, _ ring: [Coordinate]) {
        var p = grids[i].geometry.polygons[0]
        p.rings[0] = ring
        grids[i].geometry = .polygon(p)
    }

    /// The grids with `points` inserted into grid g's exterior after its vertex k.
    static func inserting(_ points: [Coordinate], afterVertex k: Int, of g: Int, in grids: [PlanArea]) -> [PlanArea] {
        var ring = exterior(grids[g])
        ring.insert(contentsOf: points, at: k + 1)
        var out = grids
        setExterior(&out, g, ring)
        return out
    }

    /// Every exterior edge, and who runs it backwards.
    static func sharedEdges(_ grids: [PlanArea], sameParent: Bool = true) -> [SharedEdge] {
        struct Key: Hashable { let a: Coordinate, b: Coordinate }
        var owner: [Key: Int] = [:]
        for (i, g) in grids.enumerated() {
            let r = exterior(g)
            for k in 0..<(r.count - 1) { owner[Key(a: r[k], b: r[k + 1])] = i }
        }
        var out: [SharedEdge] = []
        for (i, g) in grids.enumerated() {
            let r = exterior(g)
            for k in 0..<(r.count - 1) {
                guard let n = owner[Key(a: r[k + 1], b: r[k])], n != i else { continue }
                if sameParent && grids[n].parentID != g.parentID { continue }
                out.append(SharedEdge(g: i, k: k, n: n, a: r[k], b: r[k + 1]))
            }
        }
        return out
    }

    /// Exterior edges no other grid runs backwards: the district's outline.
    static func outlineEdges(_ grids: [PlanArea]) -> [(g: Int, k: Int, a: Coordinate, b: Coordinate)] {
        struct Key: Hashable { let a: Coordinate, b: Coordinate }
        var all = Set<Key>()
        for g in grids { let r = exterior(g); for k in 0..<(r.count - 1) { all.insert(Key(a: r[k], b: r[k + 1])) } }
        var out: [(Int, Int, Coordinate, Coordinate)] = []
        for (i, g) in grids.enumerated() {
            let r = exterior(g)
            for k in 0..<(r.count - 1) where !all.contains(Key(a: r[k + 1], b: r[k])) { out.append((i, k, r[k], r[k + 1])) }
        }
        return out
    }

    /// Metres between a point and the nearest edge of any grid, leaving out edges that touch `except`.
    static func clearance(_ p: Coordinate, _ grids: [PlanArea], frame: LocalFrame, except: Set<Coordinate>) -> Double {
        let q = frame.project(p)
        var best = Double.infinity
        for g in grids {
            for poly in g.geometry.polygons {
                for ring in poly.rings {
                    for k in 1..<ring.count where !except.contains(ring[k - 1]) && !except.contains(ring[k]) {
                        let a = frame.project(ring[k - 1]), b = frame.project(ring[k])
                        best = min(best, PolygonIndex.segmentDistanceSquared(q.x, q.y, a.x, a.y, b.x, b.y))
                    }
                }
            }
        }
        return best.squareRoot()
    }

    /// The point `metres` off the middle of a → b, on the side where grid `toward` lies.
    static func offMiddle(_ a: Coordinate, _ b: Coordinate, metres: Double, toward area: PlanArea, geos: GeosContext) throws -> Coordinate {
        let mid = Coordinate((a.x + b.x) / 2, (a.y + b.y) / 2)
        let frame = LocalFrame(origin: mid)
        let pa = frame.project(a), pb = frame.project(b)
        let len = ((pb.x - pa.x) * (pb.x - pa.x) + (pb.y - pa.y) * (pb.y - pa.y)).squareRoot()
        let left = Coordinate(-(pb.y - pa.y) / len, (pb.x - pa.x) / len)
        let shape = try geos.geometry(area.geometry)
        let probe = frame.unproject(Coordinate(left.x * 0.5, left.y * 0.5))
        let sign: Double = try shape.contains(try geos.point(x: probe.x, y: probe.y)) ? 1 : -1
        return frame.unproject(Coordinate(sign * left.x * metres, sign * left.y * metres))
    }

    static func metresBetween(_ a: Coordinate, _ b: Coordinate) -> Double {
        let f = LocalFrame(origin: a), p = f.project(b)
        return (p.x * p.x + p.y * p.y).squareRoot()
    }

    /// Pushes the middle of a shared edge of a grid `metres` into its neighbour (an overlap) or
    /// into itself (a gap); returns (grid, neighbour).
    static func pushSharedEdge(_ grids: inout [PlanArea], metres: Double, intoNeighbour: Bool) throws -> (Int, Int) {
        let geos = GeosContext()
        for e in sharedEdges(grids) where metresBetween(e.a, e.b) >= 40 {
            let apex = try offMiddle(e.a, e.b, metres: metres, toward: grids[intoNeighbour ? e.n : e.g], geos: geos)
            guard clearance(apex, grids, frame: LocalFrame(origin: apex), except: [e.a, e.b]) >= 2 * metres else { continue }
            grids = inserting([apex], afterVertex: e.k, of: e.g, in: grids)
            return (e.g, e.n)
        }
        throw NoPlace(what: "a shared edge to push")
    }

    /// Pushes the middle of an edge on the district's outline `metres` outwards; returns the grid.
    static func pushOutlineEdge(_ grids: inout [PlanArea], metres: Double) throws -> Int {
        let geos = GeosContext()
        for e in outlineEdges(grids) where metresBetween(e.a, e.b) >= 40 {
            let inward = try offMiddle(e.a, e.b, metres: metres, toward: grids[e.g], geos: geos)
            let mid = Coordinate((e.a.x + e.b.x) / 2, (e.a.y + e.b.y) / 2)
            let apex = Coordinate(2 * mid.x - inward.x, 2 * mid.y - inward.y)
            guard clearance(apex, grids, frame: LocalFrame(origin: apex), except: [e.a, e.b]) >= 2 * metres else { continue }
            grids = inserting([apex], afterVertex: e.k, of: e.g, in: grids)
            return e.g
        }
        throw NoPlace(what: "an outline edge to push")
    }

    /// Cuts a strip `metres` wide off a grid along a shared edge, as a grid of its own (same
    /// parent, edges matched exactly on both sides); returns the strip's index.
    static func cutStrip(_ grids: inout [PlanArea], metres: Double) throws -> Int {
        let geos = GeosContext()
        for e in sharedEdges(grids) where metresBetween(e.a, e.b) >= 40 {
            let inside = try offMiddle(e.a, e.b, metres: metres, toward: grids[e.g], geos: geos)
            let mid = Coordinate((e.a.x + e.b.x) / 2, (e.a.y + e.b.y) / 2)
            let shift = Coordinate(inside.x - mid.x, inside.y - mid.y)
            let a2 = Coordinate(e.a.x + shift.x, e.a.y + shift.y), b2 = Coordinate(e.b.x + shift.x, e.b.y + shift.y)
            let strip = PlanArea(id: grids[e.g].id + "-strip", parentID: grids[e.g].parentID,
                                 geometry: .polygon(Polygon(exterior: [e.a, e.b, b2, a2, e.a])), place: "the strip")
            let cut = inserting([a2, b2], afterVertex: e.k, of: e.g, in: grids)[e.g]
            // Both valid and adding up to the grid: the strip lies inside it.
            let whole = try geos.geometry(grids[e.g].geometry).area()
            let g1 = try geos.geometry(cut.geometry), g2 = try geos.geometry(strip.geometry)
            guard try g1.invalidity() == nil, try g2.invalidity() == nil,
                  abs(try g1.area() + g2.area() - whole) < 1e-9 * whole, try g1.intersection(g2).area() < 1e-12 * whole else { continue }
            grids[e.g] = cut
            grids.append(strip)
            return grids.count - 1
        }
        throw NoPlace(what: "an edge to cut a strip along")
    }

    /// Moves a vertex shared with other grids `metres` into its grid, in that grid only; returns the grid.
    static func moveSharedVertex(_ grids: inout [PlanArea], metres: Double) throws -> Int {
        let geos = GeosContext()
        let outline = Set(outlineEdges(grids).flatMap { [$0.a, $0.b] })
        for e in sharedEdges(grids) where e.k > 0 && !outline.contains(e.a) {
            let ring = exterior(grids[e.g])
            let prev = ring[e.k - 1], v = e.a, next = e.b
            guard metresBetween(prev, v) >= 20, metresBetween(v, next) >= 20 else { continue }
            let frame = LocalFrame(origin: v)
            func unit(_ c: Coordinate) -> Coordinate { let p = frame.project(c); let l = (p.x * p.x + p.y * p.y).squareRoot(); return Coordinate(p.x / l, p.y / l) }
            let u1 = unit(prev), u2 = unit(next)
            var bisector = Coordinate(u1.x + u2.x, u1.y + u2.y)
            let l = (bisector.x * bisector.x + bisector.y * bisector.y).squareRoot()
            guard l > 0.2 else { continue }
            bisector = Coordinate(bisector.x / l, bisector.y / l)
            let probe = frame.unproject(Coordinate(bisector.x, bisector.y))
            let sign: Double = try geos.geometry(grids[e.g].geometry).contains(try geos.point(x: probe.x, y: probe.y)) ? 1 : -1
            var moved = ring
            moved[e.k] = frame.unproject(Coordinate(sign * bisector.x * metres, sign * bisector.y * metres))
            setExterior(&grids, e.g, moved)
            return e.g
        }
        throw NoPlace(what: "a shared vertex to move")
    }

    /// Adds a spike (there and back) into a grid at one of its vertices; returns the grid.
    static func addSpike(_ grids: inout [PlanArea], metres: Double) throws -> Int {
        let geos = GeosContext()
        for e in sharedEdges(grids) where metresBetween(e.a, e.b) >= 40 {
            // From the edge's first end to a point inside the grid and back: the ring's own
            // edges stay as they were, so repairing it (dropping the spike) restores the grid.
            let tip = try offMiddle(e.a, e.b, metres: metres, toward: grids[e.g], geos: geos)
            let spiked = inserting([tip, e.a], afterVertex: e.k, of: e.g, in: grids)
            guard try geos.geometry(spiked[e.g].geometry).invalidity() != nil else { continue }
            grids = spiked
            return e.g
        }
        throw NoPlace(what: "an edge to put a spike on")
    }

    /// A square (sides `side` metres) centred on the middle of a long shared edge; returns it and the two grids.
    static func squareAcrossSharedEdge(_ grids: [PlanArea], side: Double) throws -> (Geometry, (Int, Int)) {
        for e in sharedEdges(grids) where metresBetween(e.a, e.b) >= 4 * side {
            let mid = Coordinate((e.a.x + e.b.x) / 2, (e.a.y + e.b.y) / 2)
            guard clearance(mid, grids, frame: LocalFrame(origin: mid), except: [e.a, e.b]) >= side else { continue }
            let frame = LocalFrame(origin: mid), h = side / 2
            let ring = [(-h, -h), (h, -h), (h, h), (-h, h), (-h, -h)].map { frame.unproject(Coordinate($0.0, $0.1)) }
            return (.polygon(Polygon(exterior: ring)), (e.g, e.n))
        }
        throw NoPlace(what: "an edge to put a building across")
    }
}
