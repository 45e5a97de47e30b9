// Edits a planner makes to the grid layer: split a grid along a line, merge grids, move the
// boundary two grids share. Each gives a plan (the grids of the edited grids' parent with the edit
// made) that goes through the same check and impact as any other. Merging is GEOS's coverage
// union, which keeps every boundary vertex, so the merged grid still meets its neighbours edge to
// edge; splitting is GridSplit (Core), which adds no vertex to the outline; moving a boundary is a
// merge of the two grids and a split of the union along the new line.
import GridwallCore
import GridwallGEOS

/// One edit of the grid layer.
public enum PlanEdit: Sendable {
    /// Split `grid` along `line`; the larger part keeps the grid's id, the other takes `newID`
    /// (default "<grid>-2").
    case split(grid: String, line: [Coordinate], newID: String?)
    /// Merge `grids` (two or more, one parent, touching) into one called `id` (default the first's).
    case merge(grids: [String], id: String?)
    /// Redraw the boundary `first` and `second` share as `line`, which runs across the two from one
    /// point of their joint outline to another; each keeps the part holding most of its old area.
    case moveBoundary(first: String, second: String, line: [Coordinate])
}

public enum PlanEditor {
    /// The plan `edit` makes of `grids` (the current areas of one level): every area of the edited
    /// areas' parent, with the edit made, and one line saying what changed.
    public static func plan(_ edit: PlanEdit, grids: [AreaRecord]) throws -> (areas: [PlanArea], summary: String) {
        let byID = Dictionary(grids.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func grid(_ id: String) throws -> AreaRecord {
            guard let g = byID[id] else { throw GridwallError(.notFound, "no grid \"\(id)\" in the current layer", at: id) }
            return g
        }
        func sameParent(_ list: [AreaRecord]) throws -> String? {
            let parents = Set(list.map { $0.parentID ?? "" })
            guard parents.count == 1 else {
                throw GridwallError(.invalidInput, "\(list.map(\.id).joined(separator: ", ")) lie in different parents (\(parents.sorted().joined(separator: ", "))); edit one parent at a time", at: "grids")
            }
            return list[0].parentID
        }
        var replaced: [String: [PlanArea]] = [:]   // old id → what takes its place ([] when it goes)
        let parent: String?
        let summary: String
        switch edit {
        case .split(let id, let line, let newID):
            let g = try grid(id)
            parent = g.parentID
            let polygon = try onePolygon(g)
            let (a, b) = try GridSplit.split(polygon, along: line)
            let other = newID ?? "\(id)-2"
            guard byID[other] == nil else { throw GridwallError(.conflict, "a grid \"\(other)\" exists already; name the new part with another id", at: "new_id") }
            let (larger, smaller) = area(a) >= area(b) ? (a, b) : (b, a)
            replaced[id] = [PlanArea(id: id, parentID: parent, geometry: .polygon(larger), place: "split of \(id)"),
                            PlanArea(id: other, parentID: parent, geometry: .polygon(smaller), place: "split of \(id)")]
            summary = "split \(id) into \(id) (\(Int(area(larger).rounded())) m²) and \(other) (\(Int(area(smaller).rounded())) m²)"
        case .merge(let ids, let newID):
            guard Set(ids).count >= 2 else { throw GridwallError(.invalidInput, "name two or more different grids to merge", at: "grids") }
            let list = try ids.map(grid)
            parent = try sameParent(list)
            let merged = try union(list)
            let id = newID ?? ids[0]
            if !ids.contains(id), byID[id] != nil { throw GridwallError(.conflict, "a grid \"\(id)\" exists already", at: "id") }
            for old in ids { replaced[old] = [] }
            replaced[ids[0]] = [PlanArea(id: id, parentID: parent, geometry: .polygon(merged), place: "merge of \(ids.joined(separator: ", "))")]
            summary = "merged \(ids.joined(separator: ", ")) into \(id) (\(Int(area(merged).rounded())) m²)"
        case .moveBoundary(let first, let second, let line):
            let a = try grid(first), b = try grid(second)
            parent = try sameParent([a, b])
            let joint = try union([a, b])
            let (p, q) = try GridSplit.split(joint, along: line)
            // Each grid keeps the part holding more of its old area.
            let geos = GeosContext()
            let frame = LocalFrame(origin: a.geometry.boundingBox!.center)
            func shared(_ part: Polygon, _ old: AreaRecord) throws -> Double {
                try geos.geometry(.polygon(part).mapCoordinates(frame.project)).intersection(try geos.geometry(old.geometry.mapCoordinates(frame.project))).area()
            }
            let keepOrder = try shared(p, a) + shared(q, b) >= shared(q, a) + shared(p, b)
            let (forA, forB) = keepOrder ? (p, q) : (q, p)
            replaced[first] = [PlanArea(id: first, parentID: parent, geometry: .polygon(forA), place: "boundary of \(first) and \(second) moved")]
            replaced[second] = [PlanArea(id: second, parentID: parent, geometry: .polygon(forB), place: "boundary of \(first) and \(second) moved")]
            summary = "moved the boundary of \(first) (\(Int(area(forA).rounded())) m², was \(Int(area(try onePolygon(a)).rounded()))) and \(second) (\(Int(area(forB).rounded())) m², was \(Int(area(try onePolygon(b)).rounded())))"
        }
        var areas: [PlanArea] = []
        for g in grids where g.parentID == parent {
            if let instead = replaced[g.id] { areas += instead } else {
                areas.append(PlanArea(id: g.id, parentID: g.parentID, geometry: g.geometry, place: "grid \(g.id)"))
            }
        }
        return (areas, summary)
    }

    /// The area's one polygon; an area of several cannot be split or have its boundary moved.
    static func onePolygon(_ g: AreaRecord) throws -> Polygon {
        let polygons = g.geometry.polygons
        guard polygons.count == 1 else {
            throw GridwallError(.invalidInput, "\(g.id) has \(polygons.count) polygons; only a grid of one polygon can be split or reshaped", at: g.id)
        }
        return polygons[0]
    }

    /// The grids as one polygon (GEOS coverage union: every boundary vertex kept); an error when
    /// they do not make one piece.
    static func union(_ list: [AreaRecord]) throws -> Polygon {
        let geos = GeosContext()
        let merged = try geos.geometry(.multiPolygon(list.flatMap(\.geometry.polygons))).coverageUnion().polygonalPart()
        guard let polygons = merged?.polygons, polygons.count == 1 else {
            throw GridwallError(.invalidInput, "\(list.map(\.id).joined(separator: ", ")) do not share boundaries that join them into one grid", at: "grids")
        }
        return polygons[0]
    }

    /// Square metres (local frame).
    static func area(_ p: Polygon) -> Double {
        guard let origin = p.exterior.first else { return 0 }
        let frame = LocalFrame(origin: origin)
        return Polygon(rings: p.rings.map { $0.map(frame.project) }).planarArea
    }
}
