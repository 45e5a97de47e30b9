// Edits of the sample district's grids: each gives a plan the check passes (nothing but buildings
// the new boundaries cut), that covers exactly what the edited grids covered (GEOS: union and
// areas), and whose impact moves things only between the edited grids.
import Foundation
import Testing
import GridwallCore
import GridwallGEOS
import GridwallPlans
import GridwallTestSupport

@Suite struct PlanEditTests {
    static let district = PlanCheckTests.district
    static let grids = district.filter { $0.level == .grid }
    static let communities = PlanCheckTests.communities
    static let buildings = PlanImpactTests.buildings

    /// The plan checked against the parent it names: only cut buildings may be found.
    func expectClean(_ areas: [PlanArea]) throws {
        let parent = Set(areas.compactMap(\.parentID))
        let report = try PlanValidator.check(areas: areas, parents: Self.communities.filter { parent.contains($0.id) })
        #expect(report.findings.isEmpty, "\(report.findings.prefix(3).map(\.message))")
    }

    /// GEOS: the new areas cover exactly what `old` covered, without overlapping.
    func expectSameGround(_ new: [Geometry], as old: [Geometry]) throws {
        let geos = GeosContext()
        let frame = LocalFrame(origin: old[0].boundingBox!.center)
        func shape(_ list: [Geometry]) throws -> GeosGeometry {
            try geos.geometry(.multiPolygon(list.flatMap { $0.mapCoordinates(frame.project).polygons })).unaryUnion()
        }
        let before = try shape(old), after = try shape(new)
        let total = try before.area()
        #expect(try before.symmetricDifference(after).area() < 1e-6 * total)
        let sum = try new.reduce(0.0) { $0 + (try geos.geometry($1.mapCoordinates(frame.project)).area()) }
        #expect(abs(sum - total) < 1e-6 * total, "parts \(sum) m² vs \(total) m²: they overlap or leave a gap")
    }

    /// What moves when the plan replaces the current grids: only between `among`.
    func expectMovesOnlyAmong(_ areas: [PlanArea], _ among: Set<String>) throws -> Int {
        let current = Self.grids.map { PlanArea(id: $0.id, parentID: $0.parentID, geometry: $0.geometry, place: $0.id) }
        let (impact, _) = try PlanImpactBuilder.impact(plan: areas, current: current, buildings: Self.buildings, cameras: [], responders: [], events: [])
        #expect(impact.moves.allSatisfy { among.contains($0.from ?? "") && among.contains($0.to ?? "") }, "\(impact.moves.map { "\($0.from ?? "-")→\($0.to ?? "-")" })")
        return impact.moved(.buildings)
    }

    /// A grid of one polygon and a chord between two of its vertices that lies inside it.
    static func splittable() throws -> (grid: AreaRecord, line: [Coordinate]) {
        for g in grids where g.geometry.polygons.count == 1 {
            let ring = Array(g.geometry.polygons[0].exterior.dropLast())
            let n = ring.count
            for offset in stride(from: n / 2, to: n / 4, by: -1) {
                let line = [ring[0], ring[offset]]
                if (try? GridSplit.split(g.geometry.polygons[0], along: line)) != nil { return (g, line) }
            }
        }
        throw GridwallError(.notFound, "no grid with a chord inside it")
    }

    @Test func aSplitGridCoversWhatItDidAndPassesTheCheck() throws {
        let (g, line) = try Self.splittable()
        let (areas, summary) = try PlanEditor.plan(.split(grid: g.id, line: line, newID: nil), grids: Self.grids)
        #expect(summary.hasPrefix("split \(g.id) into"))
        let parts = areas.filter { $0.id == g.id || $0.id == "\(g.id)-2" }
        #expect(parts.count == 2 && areas.count == Self.grids.filter { $0.parentID == g.parentID }.count + 1)
        try expectSameGround(parts.map(\.geometry), as: [g.geometry])
        try expectClean(areas)
        _ = try expectMovesOnlyAmong(areas, [g.id, "\(g.id)-2"])
        // The line's ends are snapped to the outline's vertices: both parts hold them.
        for part in parts { #expect(part.geometry.polygons[0].exterior.contains(line[0]) && part.geometry.polygons[0].exterior.contains(line[1])) }
    }

    /// Two grids of one community that share a boundary.
    static func neighbours() throws -> (AreaRecord, AreaRecord) {
        for a in grids {
            let ring = Set(a.geometry.polygons.flatMap(\.exterior))
            if let b = grids.first(where: { $0.id != a.id && $0.parentID == a.parentID && $0.geometry.polygons.count == 1
                                            && Set($0.geometry.polygons[0].exterior).intersection(ring).count >= 3 }),
               a.geometry.polygons.count == 1 {
                return (a, b)
            }
        }
        throw GridwallError(.notFound, "no neighbours")
    }

    @Test func mergedGridsCoverWhatTheyDidAndPassTheCheck() throws {
        let (a, b) = try Self.neighbours()
        let (areas, _) = try PlanEditor.plan(.merge(grids: [a.id, b.id], id: nil), grids: Self.grids)
        let merged = try #require(areas.first { $0.id == a.id })
        #expect(!areas.contains { $0.id == b.id })
        try expectSameGround([merged.geometry], as: [a.geometry, b.geometry])
        try expectClean(areas)
        _ = try expectMovesOnlyAmong(areas, [a.id, b.id])
    }

    @Test func aMovedBoundaryKeepsTheGroundAndPassesTheCheck() throws {
        let (a, b) = try Self.neighbours()
        // The shared boundary's two ends: the joint outline's vertices that both grids have.
        let joint = try #require(try PlanEditor.plan(.merge(grids: [a.id, b.id], id: nil), grids: Self.grids).areas.first { $0.id == a.id })
        let inA = Set(a.geometry.polygons[0].exterior), inB = Set(b.geometry.polygons[0].exterior)
        let ends = joint.geometry.polygons[0].exterior.dropLast().filter { inA.contains($0) && inB.contains($0) }
        try #require(ends.count == 2, "\(ends.count) junctions")
        let edited: (areas: [PlanArea], summary: String)
        do {
            edited = try PlanEditor.plan(.moveBoundary(first: a.id, second: b.id, line: ends), grids: Self.grids)
        } catch {
            // A straight boundary between the junctions would leave the pair: bend it through the joint's middle.
            let middle = try #require(joint.geometry.representativePoint)
            edited = try PlanEditor.plan(.moveBoundary(first: a.id, second: b.id, line: [ends[0], middle, ends[1]]), grids: Self.grids)
        }
        let parts = edited.areas.filter { $0.id == a.id || $0.id == b.id }
        #expect(parts.count == 2 && parts.first { $0.id == a.id }?.geometry != a.geometry, "the boundary did not move")
        try expectSameGround(parts.map(\.geometry), as: [a.geometry, b.geometry])
        try expectClean(edited.areas)
        _ = try expectMovesOnlyAmong(edited.areas, [a.id, b.id])
    }

    @Test func editsRefuseWhatCannotBeDone() throws {
        let (g, line) = try Self.splittable()
        // An end 5 km off the outline.
        let frame = LocalFrame(origin: line[0])
        let far = frame.unproject(Coordinate(-5_000, -5_000))
        #expect(throws: GridwallError.self) { try PlanEditor.plan(.split(grid: g.id, line: [far, line[1]], newID: nil), grids: Self.grids) }
        do { _ = try GridSplit.split(g.geometry.polygons[0], along: [far, line[1]]) } catch let e as GridwallError {
            #expect(e.message.contains("from the grid's nearest boundary vertex"), "\(e.message)")
        }
        // Grids of two communities; grids that do not touch; an unknown grid.
        let other = try #require(Self.grids.first { $0.parentID != g.parentID })
        #expect(throws: GridwallError.self) { try PlanEditor.plan(.merge(grids: [g.id, other.id], id: nil), grids: Self.grids) }
        let apart = Self.grids.filter { $0.parentID == g.parentID }
        let ring = Set(g.geometry.polygons.flatMap(\.exterior))
        if let far = apart.first(where: { $0.id != g.id && Set($0.geometry.polygons.flatMap(\.exterior)).isDisjoint(with: ring) }) {
            #expect(throws: GridwallError.self) { try PlanEditor.plan(.merge(grids: [g.id, far.id], id: nil), grids: Self.grids) }
        }
        #expect(throws: GridwallError.self) { try PlanEditor.plan(.split(grid: "nope", line: line, newID: nil), grids: Self.grids) }
    }
}
