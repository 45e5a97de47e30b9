// Grid plans over HTTP: a planner submits a redrawn community, applies it, and /assign answers by
// the new grids at once while old events keep the grid they were assigned; every version can be
// read again; a plan that cannot be applied leaves the layer, the versions and the plan as they were.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore
import GridwallGEOS
import GridwallStore

@Suite(.serialized) struct PlanRoutesTests {
    func call(_ server: TestServer, _ method: String, _ path: String, token: String?, body: String? = nil) async throws -> (Int, JSONValue) {
        let (status, data, _) = try await exchange(server.base, method, path, body: body.map { Data($0.utf8) },
                                                   headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
        return (status, (try? JSONValue.parse(data)) ?? .null)
    }

    /// The grids of `community` as a plan, with `renamed` given the id `to`.
    func plan(_ grids: [AreaRecord], community: String, renaming renamed: String, to: String) -> String {
        GeoJSON.featureCollection(grids.filter { $0.parentID == community }.map { g in
            Feature(geometry: g.geometry, properties: ["id": .string(g.id == renamed ? to : g.id), "parent_id": .string(community)])
        })
    }

    @Test func aPlannerSubmitsAndAppliesAPlanAndAssignmentFollowsAtOnce() async throws {
        var planner = "", dispatcher = ""
        try await withTestServer(prepare: { store in
            planner = try store.createToken(name: "planner", role: "planner")
            dispatcher = try store.createToken(name: "dispatcher", role: "dispatcher")
        }) { server in
            let store = server.store
            let areas = try store.areas()
            let grids = areas.filter { $0.level == .grid }
            // The grid with the most events, a point inside it, and its events.
            let (events, _) = try store.analysisEvents()
            let counts = Dictionary(grouping: events.compactMap(\.gridID), by: { $0 }).mapValues(\.count)
            let target = try #require(grids.max { (counts[$0.id] ?? 0) < (counts[$1.id] ?? 0) })
            let itsEvents = events.filter { $0.gridID == target.id }
            let point = try #require(itsEvents.first?.position)
            let (_, before) = try await call(server, "GET", "/assign?lon=\(point.x)&lat=\(point.y)", token: dispatcher)
            #expect(before["grid"]?["id"] == .string(target.id))

            let body = plan(grids, community: target.parentID!, renaming: target.id, to: "NEW-1")
            let (refused, _) = try await call(server, "POST", "/plans", token: dispatcher, body: body)
            #expect(refused == 403)
            let (created, submitted) = try await call(server, "POST", "/plans?name=renamed", token: planner, body: body)
            #expect(created == 201, "\(submitted)")
            #expect(submitted["id"] == .string("P1") && submitted["status"] == .string("draft"))
            #expect(submitted["blocking_findings"]?.doubleValue == 0, "\(String(describing: submitted["findings"]))")
            #expect((submitted["impact"]?["moved"]?["events"]?.doubleValue ?? 0) >= Double(itsEvents.filter { $0.time > (events.map(\.time).max()! - 30 * 86_400) }.count))

            let (applied, version) = try await call(server, "POST", "/plans/P1/apply", token: planner)
            #expect(applied == 200, "\(version)")
            #expect(version["version"]?.doubleValue == 2)
            let (_, after) = try await call(server, "GET", "/assign?lon=\(point.x)&lat=\(point.y)", token: dispatcher)
            #expect(after["grid"]?["id"] == .string("NEW-1"), "\(after)")
            // Events keep the grid they were assigned when reported.
            let kept = try store.analysisEvents().events.filter { e in itsEvents.contains { $0.id == e.id } }
            #expect(kept.count == itsEvents.count && kept.allSatisfy { $0.gridID == target.id })
            let (again, _) = try await call(server, "POST", "/plans/P1/apply", token: planner)
            #expect(again == 409)

            // Every version can be read again, by number or by time.
            func gridIDs(_ query: String) async throws -> Set<String> {
                let (status, v) = try await call(server, "GET", "/areas?level=grid&\(query)", token: dispatcher)
                #expect(status == 200, "\(query): \(v)")
                return Set((v["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["id"]?.stringValue })
            }
            let first = try await gridIDs("version=1"), second = try await gridIDs("version=2")
            #expect(first == Set(grids.map(\.id)))
            #expect(second == first.subtracting([target.id]).union(["NEW-1"]))
            #expect(try await gridIDs("as_of=2999-01-01T00:00:00Z") == second)
            let (early, _) = try await call(server, "GET", "/areas?as_of=2000-01-01T00:00:00Z", token: dispatcher)
            #expect(early == 404)
            let (_, list) = try await call(server, "GET", "/plans", token: dispatcher)
            #expect(list["versions"]?.arrayValue?.count == 2 && list["current_version"]?.doubleValue == 2)
            #expect(list["plans"]?.arrayValue?.first?["status"] == .string("applied"))

            // Heatmaps by version: version 1 counts every event in version 1's grids (GEOS covers
            // as the reference; an event on a shared boundary may go to either side), and the
            // current layer counts in NEW-1 what version 1 counted in the grid it renamed.
            func heat(_ query: String) async throws -> [String: Double] {
                let (status, v) = try await call(server, "GET", "/heatmap?by=grid&level=grid\(query)", token: dispatcher)
                #expect(status == 200, "\(query): \(v)")
                return Dictionary((v["features"]?.arrayValue ?? []).compactMap { f in
                    f["properties"]?["id"]?.stringValue.map { ($0, f["properties"]?["count"]?.doubleValue ?? -1) }
                }, uniquingKeysWith: { a, _ in a })
            }
            let byVersion1 = try await heat("&version=1"), now = try await heat("")
            let geos = GeosContext()
            let v1Grids = try #require(try store.areas(version: 1)).filter { $0.level == .grid }
            let prepared = try v1Grids.map { try geos.geometry($0.geometry).prepared() }
            var low: [String: Double] = [:], high: [String: Double] = [:]
            for e in events {
                let point = try geos.geometry(.point(e.position))
                let covering = try v1Grids.indices.filter { try prepared[$0].covers(point) }.map { v1Grids[$0].id }
                for id in covering { high[id, default: 0] += 1 }
                if covering.count == 1 { low[covering[0], default: 0] += 1 }
            }
            #expect(Set(byVersion1.keys) == Set(v1Grids.map(\.id)))
            for g in v1Grids {
                let n = byVersion1[g.id] ?? -1
                #expect(n >= (low[g.id] ?? 0) && n <= (high[g.id] ?? 0), "\(g.id): \(n) vs \(low[g.id] ?? 0)…\(high[g.id] ?? 0)")
            }
            #expect(now["NEW-1"] == byVersion1[target.id] && now[target.id] == nil, "\(String(describing: now["NEW-1"])) vs \(String(describing: byVersion1[target.id]))")
            let (noVersion, _) = try await call(server, "GET", "/heatmap?by=grid&version=99", token: dispatcher)
            #expect(noVersion == 404)

            // A plan giving a grid its community's id is kept with that finding and cannot be
            // applied; the layer, the versions and the plan stay as they were.
            let other = try #require(grids.first { $0.parentID != target.parentID })
            let clash = plan(grids, community: other.parentID!, renaming: other.id, to: other.parentID!)
            let (created2, submitted2) = try await call(server, "POST", "/plans", token: planner, body: clash)
            #expect(created2 == 201 && submitted2["id"] == .string("P2") && submitted2["blocking_findings"]?.doubleValue == 1, "\(submitted2)")
            let found = submitted2["findings"]?["features"]?.arrayValue?.first?["properties"]
            #expect(found?["kind"] == .string("duplicate-id") && found?["message"]?.stringValue?.contains("community") == true, "\(String(describing: found))")
            let (failed, error) = try await call(server, "POST", "/plans/P2/apply", token: planner)
            #expect(failed == 409, "\(error)")
            #expect(try await gridIDs("") == second)
            #expect(try store.areaVersions().count == 2)
            #expect(try store.plan("P2")?.status == .draft)
            let (_, still) = try await call(server, "GET", "/assign?lon=\(other.geometry.representativePoint!.x)&lat=\(other.geometry.representativePoint!.y)", token: dispatcher)
            #expect(still["grid"]?["id"] == .string(other.id))
        }
    }

    @Test func aPlannerSplitsAGridOverHTTP() async throws {
        var planner = ""
        try await withTestServer(prepare: { store in planner = try store.createToken(name: "planner", role: "planner") }) { server in
            let grids = try server.store.areas().filter { $0.level == .grid && $0.geometry.polygons.count == 1 }
            // A grid and a chord between two of its vertices that lies inside it.
            var found: (AreaRecord, [Coordinate])?
            search: for g in grids {
                let ring = Array(g.geometry.polygons[0].exterior.dropLast())
                for offset in stride(from: ring.count / 2, to: ring.count / 4, by: -1) {
                    let line = [ring[0], ring[offset]]
                    if (try? GridSplit.split(g.geometry.polygons[0], along: line)) != nil { found = (g, line); break search }
                }
            }
            let (grid, line) = try #require(found)
            let body = #"{"split": {"grid": "\#(grid.id)", "line": [[\#(line[0].x), \#(line[0].y)], [\#(line[1].x), \#(line[1].y)]], "new_id": "SPLIT-2"}}"#
            let (created, plan) = try await call(server, "POST", "/plans/edits", token: planner, body: body)
            #expect(created == 201, "\(plan)")
            #expect(plan["edit"]?.stringValue?.hasPrefix("split \(grid.id) into") == true && plan["blocking_findings"]?.doubleValue == 0, "\(String(describing: plan["findings"]))")
            let id = try #require(plan["id"]?.stringValue)
            let (applied, _) = try await call(server, "POST", "/plans/\(id)/apply", token: planner)
            #expect(applied == 200)
            let (_, areas) = try await call(server, "GET", "/areas?level=grid", token: planner)
            let ids = Set((areas["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["id"]?.stringValue })
            let before = try #require(try server.store.areas(version: 1)).filter { $0.level == .grid }.count
            #expect(ids.contains("SPLIT-2") && ids.contains(grid.id) && ids.count == before + 1)
            let (bad, error) = try await call(server, "POST", "/plans/edits", token: planner, body: #"{"split": {"grid": "x", "line": [[1, 2], [3]]}}"#)
            #expect(bad == 400 && error["error"]?["where"] == .string("split.line[1]"), "\(error)")
        }
    }
}
