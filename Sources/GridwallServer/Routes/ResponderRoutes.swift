// Responders: GET /nearest and the position reports (one, or a batch), each published on the stream.
import Foundation
import GridwallCore
import GridwallPROJ
import Hummingbird

enum ResponderRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.get("/nearest", tag: "responders", "The k nearest responders to a point, with distance, bearing and arrival estimate",
                   parameters: AssignmentRoutes.point + [
                    .query("k", "integer", "How many (1–1000, default 5)"),
                    .query("kind", "Responder kinds, comma-separated"),
                    .query("status", "Statuses, comma-separated: available, busy, off_duty"),
                    .query("skills", "Skills every answer must have, comma-separated"),
                    .query("max_age_s", "number", "Only positions reported within this many seconds"),
                    .query("max_distance_m", "number", "Only responders within this many metres"),
                   ]) { request, _ in
            let q = Query(request)
            let (p, crs) = try q.point()
            var filter = ResponderFilter()
            filter.kinds = q.list("kind").map(Set.init)
            if let statuses = q.list("status") { filter.statuses = Set(try statuses.map { try ResponderStatus(parsing: $0, at: "status") }) }
            filter.skills = Set(q.list("skills") ?? [])
            try s.checkResponderNames(kinds: filter.kinds, skills: filter.skills)
            filter.maxAge = try q.double("max_age_s", range: 0...1e9)
            filter.maxDistance = try q.double("max_distance_m", range: 0...1e8)
            let k = try q.int("k", range: 1...1000) ?? 5
            return json(.object(["results": .array(s.responders.nearest(p, k: k, filter: filter).map { nearestJSON($0, crs: crs) })]))
        }
        routes.add(.put, "/responders/{id}/position", role: .dispatcher, tag: "responders", "Reports one responder's position",
                   parameters: [.path("id", "The responder's id"), .query("crs", "The coordinates' system: wgs84, gcj02 or bd09")],
                   body: ["application/json"]) { request, context in
            let id = context.path("id")
            let update = try positionUpdate(try await jsonBody(request, context), id: id, at: "body", defaultCRS: try Query(request).crs(),
                                            serviceArea: s.responders.serviceArea)
            let result = try s.responders.update([update])
            guard result.unknown.isEmpty else { throw GridwallError(.notFound, "no responder \"\(id)\"", at: "id") }
            s.hub.publish(s.responders.moves([update]))
            return json(.object(["id": .string(id), "applied": .bool(result.applied == 1)]))
        }
        routes.add(.put, "/responders/positions", role: .dispatcher, tag: "responders", "Reports many responders' positions at once",
                   parameters: [.query("crs", "The coordinates' system: wgs84, gcj02 or bd09")], body: ["application/json"]) { request, context in
            let body = try await jsonBody(request, context)
            guard let list = body["positions"]?.arrayValue else {
                throw GridwallError(.invalidInput, "expected {\"positions\": [{\"id\", \"lon\", \"lat\", \"time\"}, …]}", at: "body")
            }
            let crs = try Query(request).crs()
            let updates = try list.enumerated().map { i, v in
                guard let id = v["id"]?.stringValue else { throw GridwallError(.invalidInput, "id is required", at: "positions[\(i)].id") }
                return try positionUpdate(v, id: id, at: "positions[\(i)]", defaultCRS: crs, serviceArea: s.responders.serviceArea)
            }
            let result = try s.responders.update(updates)
            let unknown = Set(result.unknown)
            s.hub.publish(s.responders.moves(updates.filter { !unknown.contains($0.id) }))
            return json(.object(["received": .number(Double(updates.count)), "applied": .number(Double(result.applied)),
                                 "unknown": .array(result.unknown.map(JSONValue.string))]))
        }
    }

    static func nearestJSON(_ a: NearestResponder, crs: CoordinateSystem) -> JSONValue {
        let shown = crs.fromWGS84IfChinese(a.responder.position)!
        return .object([
            "id": .string(a.responder.id), "name": .string(a.responder.name), "kind": .string(a.responder.kind),
            "status": .string(a.responder.status.rawValue), "skills": .array(a.responder.skills.sorted().map(JSONValue.string)),
            "lon": .number(shown.x), "lat": .number(shown.y),
            "distance_m": .number((a.distance * 1000).rounded() / 1000), "bearing": .number((a.bearing * 100).rounded() / 100),
            "eta_s": .number(a.eta.rounded()), "updated_at": .string(ISOTime.format(Int64(a.responder.updatedAt))),
        ])
    }
}

extension ResponderStatus {
    /// The status called `name`; an unknown one is an error naming the statuses.
    init(parsing name: String, at place: String) throws {
        guard let status = ResponderStatus(rawValue: name) else {
            throw GridwallError(.invalidParameter, "unknown status \"\(name)\"; use available, busy or off_duty", at: place)
        }
        self = status
    }
}
