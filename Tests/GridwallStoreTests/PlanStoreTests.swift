// Applying a plan is one transaction: when the store refuses any part of it (here an id another
// area already has, found after the old grids were deleted), the areas, the responders' home
// grids, the versions and the plan are exactly as before; a good apply records both versions.
import Foundation
import Testing
import GridwallCore
import GridwallStore

@Suite struct PlanStoreTests {
    func grid(_ id: String, parent: String, x: Double) -> AreaRecord {
        let ring = [Coordinate(x, 30), Coordinate(x + 0.01, 30), Coordinate(x + 0.01, 30.01), Coordinate(x, 30.01), Coordinate(x, 30)]
        return AreaRecord(id: id, name: id, level: .grid, parentID: parent, geometry: .polygon(Polygon(exterior: ring)))
    }

    func areasCollection(_ areas: [AreaRecord]) -> String {
        GeoJSON.featureCollection(areas.map { a in
            Feature(geometry: a.geometry, properties: ["id": .string(a.id), "level": .string(a.level.rawValue), "parent_id": a.parentID.map(JSONValue.string) ?? .null])
        })
    }

    @Test func aRefusedApplyChangesNothingAndAGoodOneRecordsVersions() throws {
        let (store, dir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let community = AreaRecord(id: "C1", name: "C1", level: .community, parentID: nil,
                                   geometry: .polygon(Polygon(exterior: [Coordinate(120, 30), Coordinate(120.02, 30), Coordinate(120.02, 30.01), Coordinate(120, 30.01), Coordinate(120, 30)])))
        let layer = [community, grid("G1", parent: "C1", x: 120), grid("G2", parent: "C1", x: 120.01)]
        _ = try importFile(try write(areasCollection(layer), "areas.geojson", in: dir), layer: .areas, into: store)
        _ = try importFile(try write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"R1","grid_id":"G2"},"geometry":{"type":"Point","coordinates":[120.015,30.005]}}]}"#,
                                     "responders.geojson", in: dir), layer: .responders, into: store)
        let id = try store.savePlan(name: "t", level: .grid, createdBy: "test", blockingFindings: 0, report: "{}", areas: "{}")
        let before = try store.areas()

        // G2 goes, and the new grid takes the community's id: refused after the deletes ran.
        #expect(throws: GridwallError.self) {
            try store.applyPlan(id, removing: ["G2"], adding: [grid("C1", parent: "C1", x: 120.01)], homes: ["R1": "C1"])
        }
        #expect(try store.areas() == before)
        #expect(try store.responderHomeGrids().first?.grid == "G2")
        #expect(try store.areaVersions().isEmpty)
        #expect(try store.plan(id)?.status == .draft)

        // Applied with a fresh id: version 1 is the layer as loaded, version 2 the new one.
        let version = try store.applyPlan(id, removing: ["G2"], adding: [grid("G3", parent: "C1", x: 120.01)], homes: ["R1": "G3"])
        #expect(version.version == 2 && version.areaCount == 3)
        #expect(Set(try store.areas().map(\.id)) == ["C1", "G1", "G3"])
        #expect(Set(try #require(try store.areas(version: 1)).map(\.id)) == ["C1", "G1", "G2"])
        #expect(try store.responderHomeGrids().first?.grid == "G3")
        #expect(try store.plan(id)?.status == .applied && store.plan(id)?.version == 2)
        #expect(try store.areaVersion(asOf: "2999-01-01T00:00:00Z") == 2)
        #expect(throws: GridwallError.self) { try store.applyPlan(id, removing: [], adding: [], homes: [:]) }

        // A plan saved before the layer changed is not applied over the change.
        let stale = try store.savePlan(name: "stale", level: .grid, createdBy: "test", blockingFindings: 0, report: "{}", areas: "{}")
        Thread.sleep(forTimeInterval: 0.002)   // last_change is kept to the millisecond
        _ = try importFile(try write(areasCollection([grid("G4", parent: "C1", x: 120.03)]), "more.geojson", in: dir), layer: .areas, into: store)
        do {
            _ = try store.applyPlan(stale, removing: [], adding: [], homes: [:])
            Issue.record("a plan saved before the layer changed was applied")
        } catch let e as GridwallError {
            #expect(e.code == .conflict && e.message.contains("has changed since plan \(stale)"), "\(e.message)")
        }
        #expect(try store.plan(stale)?.status == .draft && store.areaVersions().count == 2)
    }
}
