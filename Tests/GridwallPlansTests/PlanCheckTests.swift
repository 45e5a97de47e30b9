// The plan check on the sample district: the committed grids report nothing; each kind of
// defect, injected once, is found with its size within 0.1 % of an independent GEOS overlay
// (every pair, every parent, every part: no edge matching), and nothing else is reported.
import Foundation
import Testing
import GridwallCore
import GridwallGEOS
import GridwallPlans
import GridwallTestSupport

@Suite struct PlanCheckTests {
    static let district = try! TestData.sampleAreas()
    static let grids = district.filter { $0.level == .grid }.map { PlanArea(id: $0.id, parentID: $0.parentID, geometry: $0.geometry, place: "grid \($0.id)") }
    static let communities = district.filter { $0.level == .community }.map { PlanArea(id: $0.id, parentID: $0.parentID, geometry: $0.geometry, place: "community \($0.id)") }

    @Test func committedDistrictReportsNothing() throws {
        let buildings = try TestData.features(TestData.url("geodata/buildings.geojson")).map { ($0.properties["id"]!.stringValue!, $0.geometry) }
        // Checked against itself as the current layer: the sample's footprints that straddle
        // today's grids are not cut by any new boundary.
        let report = try PlanValidator.check(areas: Self.grids, parents: Self.communities, buildings: buildings, current: Self.grids)
        #expect(report.findings.isEmpty, "\(report.findings.prefix(5).map(\.message))")
        #expect(report.areaCount == 604 && report.parentCount == 100 && report.buildingCount == buildings.count)
    }

    /// Every edge of the committed grids is matched, so no overlay has anything to look at.
    @Test func committedDistrictHasNoUnmatchedEdge() throws {
        let frame = Reference.frame(Self.grids)
        let parentIndex = Dictionary(uniqueKeysWithValues: Self.communities.enumerated().map { ($1.id, $0) })
        let edges = CoverageEdges(pieces: Self.grids.map { $0.geometry.mapCoordinates(frame.project).polygons },
                                  parentOf: Self.grids.map { parentIndex[$0.parentID ?? ""] },
                                  parents: Self.communities.map { $0.geometry.mapCoordinates(frame.project).polygons }, tolerance: 0.5)
        #expect(edges.unmatched.isEmpty && edges.overlappingPairs.isEmpty && edges.parentsWithGaps.isEmpty && edges.outsideParent.isEmpty)
    }

    @Test func anOverlapIsFoundWithItsArea() throws {
        var grids = Self.grids
        let (g, n) = try Injection.pushSharedEdge(&grids, metres: 5, intoNeighbour: true)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        let reference = try Reference.overlaps(grids)
        #expect(reference.count == 1)
        #expect(report.findings.map(\.kind) == [.overlap], "\(report.findings.map(\.message))")
        let found = try #require(report.findings.first)
        #expect(Set(found.areas) == [grids[g].id, grids[n].id])
        #expect(Set(reference.first!.ids) == Set(found.areas))
        #expect(abs(found.size - reference.first!.area) <= 0.001 * reference.first!.area, "\(found.size) vs \(reference.first!.area)")
    }

    @Test func aGapIsFoundWithItsArea() throws {
        var grids = Self.grids
        let (g, _) = try Injection.pushSharedEdge(&grids, metres: 5, intoNeighbour: false)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        let reference = try Reference.gaps(grids, parents: Self.communities)
        #expect(reference.count == 1)
        #expect(report.findings.map(\.kind) == [.gap], "\(report.findings.map(\.message))")
        let found = try #require(report.findings.first)
        #expect(found.parent == grids[g].parentID && found.parent == reference.first!.parent)
        #expect(found.areas.contains(grids[g].id))
        #expect(abs(found.size - reference.first!.area) <= 0.001 * reference.first!.area, "\(found.size) vs \(reference.first!.area)")
    }

    @Test func aGridOutsideItsParentIsFound() throws {
        var grids = Self.grids
        let g = try Injection.pushOutlineEdge(&grids, metres: 5)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        let reference = try Reference.outside(grids, parents: Self.communities)
        #expect(reference.count == 1 && reference.first!.id == grids[g].id)
        #expect(report.findings.map(\.kind) == [.outsideParent], "\(report.findings.map(\.message))")
        let found = try #require(report.findings.first)
        #expect(found.areas == [grids[g].id] && found.parent == grids[g].parentID)
        #expect(abs(found.size - reference.first!.area) <= 0.001 * reference.first!.area, "\(found.size) vs \(reference.first!.area)")
    }

    @Test func aSliverIsFound() throws {
        var grids = Self.grids
        let strip = try Injection.cutStrip(&grids, metres: 2)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        let reference = try Reference.slivers(grids, width: PlanCheckOptions().sliverWidth)
        #expect(reference.map(\.id) == [grids[strip].id])
        #expect(report.findings.map(\.kind) == [.sliver], "\(report.findings.map(\.message))")
        let found = try #require(report.findings.first)
        #expect(found.areas == [grids[strip].id])
        #expect(abs(found.size - reference.first!.area) <= 0.001 * reference.first!.area, "\(found.size) vs \(reference.first!.area)")
    }

    @Test func aMovedVertexGivesMisalignedEdgesOnly() throws {
        var grids = Self.grids
        let g = try Injection.moveSharedVertex(&grids, metres: 0.2)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        #expect(!report.findings.isEmpty && report.findings.allSatisfy { $0.kind == .misaligned }, "\(report.findings.map(\.message))")
        // Of the moved grid's outline, what no other grid's outline nor its own old one covers (GEOS).
        let reference = try Reference.unsharedOutline(grids, of: g, before: Self.grids[g])
        let found = report.findings.filter { $0.areas.first == grids[g].id }.reduce(0) { $0 + $1.size }
        #expect(reference > 0 && abs(found - reference) <= 0.001 * reference, "\(found) vs \(reference)")
        #expect(report.findings.allSatisfy { $0.areas.contains(grids[g].id) })
    }

    @Test func anInvalidGridIsNamedWithItsPlace() throws {
        var grids = Self.grids
        let g = try Injection.addSpike(&grids, metres: 5)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        #expect(report.findings.map(\.kind) == [.invalidGeometry], "\(report.findings.map(\.message))")
        let found = try #require(report.findings.first)
        #expect(found.areas == [grids[g].id])
        let reason = try #require(try GeosContext().geometry(grids[g].geometry).invalidity())
        #expect(found.message.contains(reason.reason))
        guard case .point(let at)? = found.geometry else { Issue.record("no place"); return }
        #expect(at == reason.location)
    }

    @Test func coordinatesGEOSCannotJudgeAreNamedAndTheAreaLeftOut() throws {
        var grids = Self.grids
        grids[5].geometry = grids[5].geometry.mapCoordinates { Coordinate($0.y, $0.x) }
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        let invalid = report.findings.filter { $0.kind == .invalidGeometry }
        #expect(invalid.count == 1 && invalid.first?.areas == [grids[5].id])
        #expect(invalid.first?.message.contains("look swapped") == true)
        // Left out, the grid leaves its place in its community uncovered.
        #expect(report.findings.contains { $0.kind == .gap && $0.parent == grids[5].parentID })
    }

    @Test func emptyAndDuplicateIdsAreFound() throws {
        var grids = Self.grids
        grids[7].id = grids[3].id
        grids[9].id = " "
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        #expect(report.findings.map(\.kind).sorted() == [.emptyID, .duplicateID].sorted(), "\(report.findings.map(\.message))")
        #expect(report.findings.first { $0.kind == .duplicateID }?.message.contains(grids[3].place) == true)
    }

    @Test func aBuildingAcrossANewBoundaryIsFoundWithItsShares() throws {
        let grids = Self.grids
        let (square, (g, n)) = try Injection.squareAcrossSharedEdge(grids, side: 6)
        // Today g and n are one grid: the boundary between them is new.
        var current = grids
        current[g].geometry = try #require(try GeosContext().geometry(grids[g].geometry).union(try GeosContext().geometry(grids[n].geometry)).polygonalPart())
        current.remove(at: n)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities, buildings: [("B1", square)], current: current)
        #expect(report.findings.map(\.kind) == [.cutBuilding], "\(report.findings.map(\.message))")
        let found = try #require(report.findings.first)
        let reference = try Reference.shares(of: square, in: grids)
        #expect(Set(found.shares.keys) == Set(reference.keys) && reference.count == 2)
        for (id, area) in reference { #expect(abs(found.shares[id]! - area) <= 0.001 * area, "\(id): \(found.shares[id]!) vs \(area)") }
        // Against a current layer that already divides it the same way, it is not news.
        let again = try PlanValidator.check(areas: grids, parents: Self.communities, buildings: [("B1", square)], current: grids)
        #expect(again.findings.isEmpty)
    }

    @Test func theReportIsAFeatureCollection() throws {
        var grids = Self.grids
        _ = try Injection.pushSharedEdge(&grids, metres: 5, intoNeighbour: true)
        let report = try PlanValidator.check(areas: grids, parents: Self.communities)
        let features = try GeoJSON.features(from: try JSONValue.parse(Data(report.geoJSON().utf8)))
        #expect(features.count == report.findings.count)
        #expect(features.first?.properties["kind"] == .string("overlap"))
        #expect(features.first?.properties["unit"] == .string("m²"))
    }
}
