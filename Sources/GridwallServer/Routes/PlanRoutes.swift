// Grid plans over HTTP (Docs/plans.md): submit a redrawn layer and read its reports, list the
// plans and the versions of the area layer, apply a plan, and read the areas of any version.
// Submitting and applying need the planner role; applying swaps the assignment engine and the
// event analysis at once (readers keep the snapshot they hold; nothing pauses).
import Foundation
import GridwallCore
import GridwallPlans
import GridwallStore
import Hummingbird

enum PlanRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.add(.post, "/plans", role: .planner, tag: "plans",
                   "Submit a plan: a GeoJSON FeatureCollection of redrawn areas; answers its id, the validation findings and the impact (201)",
                   parameters: [
                    .query("level", "The level the plan redraws: grid (default), community or street"),
                    .query("id_field", "The property holding each area's id (default id)"),
                    .query("parent_field", "The property holding each area's parent id (default parent_id)"),
                    .query("name", "A name for the plan"),
                    .query("days", "integer", "Events of this many days up to the newest count in the impact (default 30)"),
                    .query("households", "The target households per grid, MIN-MAX (default 300-500)"),
                   ], body: ["application/geo+json", "application/json"], statuses: [201]) { request, context in
            let q = Query(request)
            var fields = PlanFields()
            if let level = q.string("level") {
                guard let l = AreaLevel(rawValue: level), l != .district else {
                    throw GridwallError(.invalidParameter, "unknown level \"\(level)\"; use grid, community or street", at: "level")
                }
                fields.level = l
            }
            fields.idField = q.string("id_field") ?? fields.idField
            fields.parentField = q.string("parent_field") ?? fields.parentField
            let days = try q.int("days", range: 1...3650) ?? 30
            let households = try PlanBook.householdRange(q.string("households") ?? "300-500", at: "households")
            let body = try await jsonBody(request, context)
            let features = try GeoJSON.features(from: body)
            let (areas, parents) = fields.split(features.enumerated().map { ("feature \($0.offset + 1)", $0.element.geometry, $0.element.properties) })
            guard !areas.isEmpty else {
                throw GridwallError(.invalidInput, "no features of level \(fields.level.rawValue) (or without a level)", at: "body")
            }
            let submitted = try PlanBook.submit(areas: areas, fileParents: parents, level: fields.level, name: q.string("name") ?? "",
                                                createdBy: context.caller ?? "", store: s.store, days: days, householdRange: households)
            guard let stored = try s.store.plan(submitted.id) else { throw GridwallError(.storage, "the plan was not kept", at: "plans") }
            return json(planJSON(stored, full: true), status: .created)
        }
        routes.add(.post, "/plans/edits", role: .planner, tag: "plans",
                   "Edit the grid layer: {\"split\": {\"grid\", \"line\": [[lon,lat],…], \"new_id\"}}, {\"merge\": {\"grids\": […], \"id\"}} or {\"move_boundary\": {\"grids\": [a, b], \"line\"}}; the plan it makes is submitted (201, as POST /plans)",
                   parameters: [.query("name", "A name for the plan (default: what the edit did)")],
                   body: ["application/json"], statuses: [201]) { request, context in
            let edit = try PlanRoutes.edit(try await jsonBody(request, context))
            let (areas, summary) = try PlanEditor.plan(edit, grids: try s.store.areas().filter { $0.level == .grid })
            let submitted = try PlanBook.submit(areas: areas, fileParents: [], level: .grid, name: Query(request).string("name") ?? summary,
                                                createdBy: context.caller ?? "", store: s.store)
            guard let stored = try s.store.plan(submitted.id) else { throw GridwallError(.storage, "the plan was not kept", at: "plans") }
            guard case .object(var o) = planJSON(stored, full: true) else { return json(.null) }
            o["edit"] = .string(summary)
            return json(.object(o), status: .created)
        }
        routes.get("/plans", tag: "plans", "The plans, newest first, and the versions of the area layer") { _, _ in
            let versions = try s.store.areaVersions()
            return json(.object([
                "plans": .array(try s.store.plans().map { planJSON($0, full: false) }),
                "versions": .array(versions.map { v in
                    .object(["version": .number(Double(v.version)), "effective_at": .string(v.effectiveAt),
                             "plan": v.planID.map(JSONValue.string) ?? .null, "areas": .number(Double(v.areaCount))])
                }),
                "current_version": .number(Double(versions.last?.version ?? 1)),
            ]))
        }
        routes.get("/plans/{id}", tag: "plans", "One plan with its areas, findings and impact",
                   parameters: [.path("id", "The plan's id (P1, P2, …)")]) { _, context in
            let id = context.path("id")
            guard let plan = try s.store.plan(id) else { throw GridwallError(.notFound, "no plan \"\(id)\"", at: "id") }
            return json(planJSON(plan, full: true))
        }
        routes.add(.post, "/plans/{id}/apply", role: .planner, tag: "plans",
                   "Apply a plan: its areas replace those it redraws in one transaction, as a new version; /assign answers by them at once",
                   parameters: [.path("id", "The plan's id")], statuses: [409]) { _, context in
            let id = context.path("id")
            let version = try PlanBook.apply(id, store: s.store)
            // Swap now rather than at the next refresh: the planner's next /assign sees the new grids.
            let reloaded = s.catchUp()
            return json(.object(["plan": .string(id), "version": .number(Double(version.version)), "effective_at": .string(version.effectiveAt),
                                 "areas": .number(Double(version.areaCount)), "reloaded": .array(reloaded.map(JSONValue.string))]))
        }
        routes.get("/areas", tag: "plans", "The areas of one version of the layer, as GeoJSON: the current one, ?version=N or ?as_of=time",
                   parameters: [.query("version", "integer", "A version (GET /plans lists them)"),
                                .query("as_of", "The version in effect at this time (ISO 8601)"),
                                .query("level", "Only areas of this level (district, street, community, grid)")],
                   answers: "application/geo+json") { request, _ in
            let q = Query(request)
            var records: [AreaRecord]
            if let v = try q.int("version", range: 1...Int(Int32.max)) {
                guard let found = try s.store.areas(version: v) else {
                    if v == 1, try s.store.areaVersions().isEmpty { return geoJSON(areasGeoJSON(try s.store.areas(), level: try level(q))) }
                    throw GridwallError(.notFound, "no version \(v) of the area layer", at: "version")
                }
                records = found
            } else if let text = q.string("as_of") {
                guard let t = ISOTime.parse(text) else {
                    throw GridwallError(.invalidParameter, "as_of must be an ISO 8601 time such as 2026-11-24T08:30:00Z", at: "as_of")
                }
                let versions = try s.store.areaVersions()
                if versions.isEmpty {
                    records = try s.store.areas()
                } else {
                    guard let v = try s.store.areaVersion(asOf: ISOTime.format(Int64(t.rounded(.down)))), let found = try s.store.areas(version: v) else {
                        throw GridwallError(.notFound, "no version of the area layer was in effect at \(text); the first took effect at \(versions[0].effectiveAt)", at: "as_of")
                    }
                    records = found
                }
            } else {
                records = try s.store.areas()
            }
            return geoJSON(areasGeoJSON(records, level: try level(q)))
        }
    }

    /// An edit from its JSON body, each mistake named by where it is.
    static func edit(_ body: JSONValue) throws -> PlanEdit {
        func line(_ v: JSONValue?, at place: String) throws -> [Coordinate] {
            guard let points = v?.arrayValue, points.count >= 2 else {
                throw GridwallError(.invalidInput, "expected a line: [[lon, lat], [lon, lat], …]", at: place)
            }
            return try points.enumerated().map { k, p in
                guard let xy = p.arrayValue, xy.count == 2, let x = xy[0].doubleValue, let y = xy[1].doubleValue,
                      x.isFinite, y.isFinite, abs(x) <= 180, abs(y) <= 90 else {
                    throw GridwallError(.invalidInput, "point \(k + 1) is not [lon, lat]", at: "\(place)[\(k)]")
                }
                return Coordinate(x, y)
            }
        }
        func ids(_ v: JSONValue?, at place: String) throws -> [String] {
            guard let list = v?.arrayValue?.compactMap(\.stringValue), list.count >= 2, list.count == v?.arrayValue?.count else {
                throw GridwallError(.invalidInput, "expected two or more grid ids", at: place)
            }
            return list
        }
        if let split = body["split"] {
            guard let grid = split["grid"]?.stringValue else { throw GridwallError(.invalidInput, "expected the grid's id", at: "split.grid") }
            return .split(grid: grid, line: try line(split["line"], at: "split.line"), newID: split["new_id"]?.stringValue)
        }
        if let merge = body["merge"] {
            return .merge(grids: try ids(merge["grids"], at: "merge.grids"), id: merge["id"]?.stringValue)
        }
        if let move = body["move_boundary"] {
            let pair = try ids(move["grids"], at: "move_boundary.grids")
            guard pair.count == 2 else { throw GridwallError(.invalidInput, "expected the two grids that share the boundary", at: "move_boundary.grids") }
            return .moveBoundary(first: pair[0], second: pair[1], line: try line(move["line"], at: "move_boundary.line"))
        }
        throw GridwallError(.invalidInput, "expected {\"split\": {\"grid\", \"line\"}}, {\"merge\": {\"grids\"}} or {\"move_boundary\": {\"grids\", \"line\"}}", at: "body")
    }

    static func level(_ q: Query) throws -> AreaLevel? {
        guard let text = q.string("level") else { return nil }
        guard let l = AreaLevel(rawValue: text) else {
            throw GridwallError(.invalidParameter, "unknown level \"\(text)\"; use district, street, community or grid", at: "level")
        }
        return l
    }

    static func areasGeoJSON(_ records: [AreaRecord], level: AreaLevel?) -> String {
        GeoJSON.featureCollection(records.filter { level == nil || $0.level == level }.map { a in
            Feature(geometry: a.geometry, properties: [
                "id": .string(a.id), "name": .string(a.name), "level": .string(a.level.rawValue),
                "parent_id": a.parentID.map(JSONValue.string) ?? .null,
                "population": .number(Double(a.population)), "households": .number(Double(a.households)),
            ])
        })
    }

    static func planJSON(_ p: StoredPlan, full: Bool) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(p.id), "name": .string(p.name), "level": .string(p.level.rawValue), "created_at": .string(p.createdAt),
            "created_by": .string(p.createdBy), "status": .string(p.status.rawValue),
            "blocking_findings": .number(Double(p.blockingFindings)), "version": p.version.map { .number(Double($0)) } ?? .null,
        ]
        if full {
            if case .object(let reports) = (try? JSONValue.parse(Data(p.report.utf8))) ?? .null { for (k, v) in reports { o[k] = v } }
            o["areas"] = (try? JSONValue.parse(Data(p.areas.utf8))) ?? .null
        }
        return .object(o)
    }
}
