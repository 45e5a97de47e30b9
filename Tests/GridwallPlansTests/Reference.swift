// The independent answer: GEOS overlays by brute force (every pair of grids whose boxes meet,
// every parent against the union of all grids, every part's inscribed circle), measured in
// the same local frame in metres the check uses, with no edge matching at all.
import GridwallCore
import GridwallGEOS
import GridwallPlans

enum Reference {
    static func frame(_ grids: [PlanArea]) -> LocalFrame {
        var box = BoundingBox.empty
        for g in grids { if let b = g.geometry.boundingBox { box.extend(b) } }
        return LocalFrame(origin: box.center)
    }

    static func metric(_ g: Geometry, _ frame: LocalFrame, _ geos: GeosContext) throws -> GeosGeometry {
        try geos.geometry(g.mapCoordinates(frame.project))
    }

    /// Pairs of grids sharing more than a square millimetre, with that area in m².
    static func overlaps(_ grids: [PlanArea]) throws -> [(ids: [String], area: Double)] {
        let geos = GeosContext(), f = frame(grids)
        let shapes = try grids.map { try metric($0.geometry, f, geos) }
        let boxes = grids.map { $0.geometry.boundingBox! }
        var out: [([String], Double)] = []
        for i in grids.indices {
            for j in (i + 1)..<grids.count where boxes[i].intersects(boxes[j]) {
                let a = try shapes[i].intersection(shapes[j]).area()
                if a > 1e-6 { out.append(([grids[i].id, grids[j].id], a)) }
            }
        }
        return out
    }

    /// Per parent, the area (m²) no grid covers, where there is any.
    static func gaps(_ grids: [PlanArea], parents: [PlanArea]) throws -> [(parent: String, area: Double)] {
        let geos = GeosContext(), f = frame(grids)
        let all = try geos.geometry(.multiPolygon(grids.flatMap { $0.geometry.mapCoordinates(f.project).polygons })).unaryUnion()
        return try parents.compactMap { p in
            let a = try metric(p.geometry, f, geos).difference(all).area()
            return a > 1e-6 ? (p.id, a) : nil
        }
    }

    /// Per grid, its area (m²) outside its parent, where there is any.
    static func outside(_ grids: [PlanArea], parents: [PlanArea]) throws -> [(id: String, area: Double)] {
        let geos = GeosContext(), f = frame(grids)
        let byID = Dictionary(uniqueKeysWithValues: parents.map { ($0.id, $0) })
        return try grids.compactMap { g in
            guard let p = byID[g.parentID ?? ""] else { return nil }
            let a = try metric(g.geometry, f, geos).difference(try metric(p.geometry, f, geos)).area()
            return a > 1e-6 ? (g.id, a) : nil
        }
    }

    /// Grid parts whose widest inscribed circle is narrower than `width`, with their areas.
    static func slivers(_ grids: [PlanArea], width: Double) throws -> [(id: String, area: Double)] {
        let geos = GeosContext(), f = frame(grids)
        var out: [(String, Double)] = []
        for g in grids {
            for p in g.geometry.polygons {
                let part = try metric(.polygon(p), f, geos)
                if 2 * (try part.inscribedRadius(tolerance: 0.01)) < width { out.append((g.id, try part.area())) }
            }
        }
        return out
    }

    /// Metres of grid `i`'s outline that neither another grid's outline nor its own outline
    /// `before` covers.
    static func unsharedOutline(_ grids: [PlanArea], of i: Int, before: PlanArea) throws -> Double {
        let geos = GeosContext(), f = frame(grids)
        let box = grids[i].geometry.boundingBox!
        let others = grids.indices.filter { $0 != i && grids[$0].geometry.boundingBox!.intersects(box) }
        let outlines = try geos.geometry(.multiLineString(others.flatMap { j in
            grids[j].geometry.mapCoordinates(f.project).polygons.flatMap(\.rings)
        } + before.geometry.mapCoordinates(f.project).polygons.flatMap(\.rings))).unaryUnion()
        return try metric(grids[i].geometry, f, geos).boundary().difference(outlines).length()
    }

    /// A building's area (m²) in each grid that holds any of it.
    static func shares(of building: Geometry, in grids: [PlanArea]) throws -> [String: Double] {
        let geos = GeosContext(), f = frame(grids)
        let b = try metric(building, f, geos)
        var out: [String: Double] = [:]
        for g in grids {
            let a = try metric(g.geometry, f, geos).intersection(b).area()
            if a > 1e-6 { out[g.id] = a }
        }
        return out
    }
}
