// Events: POST /events (one, a batch, a FeatureCollection or NDJSON; durable before the
// answer), GET /events (filters and cursor paging, GeoJSON), GET /events/{id} (assignment and
// status history), and dispatch and resolution.
import Foundation
import GridwallCore
import GridwallStore
import Hummingbird
import HTTPTypes

enum EventRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.add(.post, "/events", role: .dispatcher, tag: "events",
                   "Takes one event, a JSON array, a GeoJSON Feature or FeatureCollection, or NDJSON; answers each with its assignment once it is stored",
                   parameters: [.query("crs", "The coordinates' system: wgs84 (default), gcj02 or bd09")],
                   body: ["application/json", "application/geo+json", "application/x-ndjson"], bodySchema: eventBodySchema(s.options.categories),
                   statuses: [201, 409, 413, 415]) { request, context in
            let type = request.headers[.contentType]?.lowercased() ?? "application/json"
            let ndjson = type.hasPrefix("application/x-ndjson") || type.hasPrefix("application/ndjson")
            // curl -d sends form encoding unless told otherwise; a body that is JSON is taken as JSON.
            let form = type.hasPrefix("application/x-www-form-urlencoded")
            guard ndjson || form || type.hasPrefix("application/json") || type.hasPrefix("application/geo+json") else {
                throw GridwallError(.unsupportedMediaType, "send application/json, application/geo+json or application/x-ndjson, not \(type)", at: "Content-Type")
            }
            let crs = try Query(request).crs()
            let body = try await bodyBytes(request, context)
            if form, let first = body.first(where: { !" \t\r\n".utf8.contains($0) }), first != UInt8(ascii: "{"), first != UInt8(ascii: "[") {
                throw GridwallError(.unsupportedMediaType, "send application/json, application/geo+json or application/x-ndjson, not a form", at: "Content-Type")
            }
            var (events, single) = try IncomingEvents.parse(body, ndjson: ndjson, crs: crs)
            let (snapshot, assignments) = try s.ingest.prepare(&events)
            let outcomes = try await s.ingest.submit(events, snapshot: snapshot)
            let duplicates = outcomes.filter { $0 == .duplicate }.count
            var text = JSONText(capacity: events.count * 640)
            if single, let e = events.first {
                // The nearest available responders of the kinds the category calls for.
                var filter = ResponderFilter()
                filter.kinds = Set((try? s.options.categories.kinds(for: e.category, at: "category")) ?? [])
                filter.statuses = [.available]
                let nearest = s.responders.nearest(e.position, k: 3, filter: filter)
                var responders = JSONText()
                EventAnswers.writeResponders(nearest, into: &responders)
                EventAnswers.write(e, assignments[0], snapshot: snapshot, responders: responders.bytes, into: &text)
            } else {
                text.raw("{\"events\":[")
                for (i, e) in events.enumerated() {
                    if i > 0 { text.raw(",") }
                    EventAnswers.write(e, assignments[i], snapshot: snapshot, into: &text)
                }
                text.raw("]}")
            }
            var response = Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: text.bytes)))
            // A retry answers as the first request did; these say what this one did.
            response.headers[HTTPField.Name("Gridwall-Stored")!] = String(events.count - duplicates)
            response.headers[HTTPField.Name("Gridwall-Duplicates")!] = String(duplicates)
            return response
        }
        routes.get("/events", tag: "events", "Stored events with filters, a page at a time (GeoJSON; follow the next link)",
                   parameters: HeatmapRoutes.parameters.filter { ["from", "to", "category", "status", "source", "bbox"].contains($0.name) } + [
                    .query("grid", "Grid ids, comma-separated"), .query("community", "Community ids, comma-separated"),
                    .query("street", "Street ids, comma-separated"), .query("limit", "integer", "Page size, 1–10000 (default 100)"),
                    .query("cursor", "From the previous page's next link"),
                   ], answers: "application/geo+json") { request, _ in
            try eventPage(request, s)
        }
        routes.get("/events/{id}", tag: "events", "One event with its assignment and status history",
                   parameters: [.path("id", "The event's id")]) { _, context in
            let id = context.path("id")
            var query = FeatureQuery(layer: .events)
            query.id = id; query.limit = 1
            guard let f = try s.store.features(query).features.first, case .point(let p) = f.geometry,
                  let history = try s.store.statusHistory(event: id) else {
                throw GridwallError(.notFound, "no event \"\(id)\"", at: "id")
            }
            var o = f.properties
            o["lon"] = .number(p.x); o["lat"] = .number(p.y)
            o["assignment"] = s.assignment.answer(x: p.x, y: p.y)
            o["history"] = .array(history.map { step in
                .object(["status": .string(step.status), "time": .string(step.time), "responders": .array(step.responders.map(JSONValue.string))])
            })
            return json(.object(o))
        }
        routes.add(.post, "/events/{id}/dispatch", role: .dispatcher, tag: "events", "Sends available responders to an event",
                   parameters: [.path("id", "The event's id")], body: ["application/json"], statuses: [409]) { request, context in
            let id = context.path("id")
            let body = try await jsonBody(request, context)
            guard let list = body["responders"]?.arrayValue, !list.isEmpty else {
                throw GridwallError(.invalidInput, "expected {\"responders\": [\"id\", …]}", at: "body.responders")
            }
            let ids = try list.map { v -> String in
                guard let s = v.stringValue else { throw GridwallError(.invalidInput, "responder ids are strings", at: "body.responders") }
                return s
            }
            try s.responders.dispatch(event: id, responders: ids)
            try s.heatmaps.statusChanged(event: id, in: s.store)
            s.hub.publish([statusMessage(id, "dispatched", responders: ids, s)] + s.responders.statusMessages(ids, status: .busy))
            return json(.object(["event": .string(id), "status": .string("dispatched"), "responders": .array(ids.map(JSONValue.string))]))
        }
        routes.add(.post, "/events/{id}/resolve", role: .dispatcher, tag: "events", "Resolves an event and frees its responders",
                   parameters: [.path("id", "The event's id")]) { _, context in
            let id = context.path("id")
            let freed = try s.responders.resolve(event: id)
            try s.heatmaps.statusChanged(event: id, in: s.store)
            s.hub.publish([statusMessage(id, "resolved", responders: freed, s)] + s.responders.statusMessages(freed, status: .available))
            return json(.object(["event": .string(id), "status": .string("resolved"), "freed": .array(freed.map(JSONValue.string))]))
        }
    }

    /// The JSON Schema of a POST /events body: one event, an array of them, or a FeatureCollection.
    static func eventBodySchema(_ categories: CategoryKinds) -> JSONValue {
        let properties: [String: JSONValue] = [
            "id": .object(["type": .string("string"), "minLength": .number(1)]),
            "time": .object(["type": .string("string"), "format": .string("date-time")]),
            "category": .object(["type": .string("string"), "enum": .array(categories.categories.map(JSONValue.string))]),
            "status": .object(["type": .string("string"), "enum": .array(EventStatus.all.map(JSONValue.string))]),
            "source": .object(["type": .string("string")]),
            "severity": .object(["type": .string("integer")]),
        ]
        var flat = properties
        flat["lon"] = .object(["type": .string("number"), "minimum": .number(-180), "maximum": .number(180)])
        flat["lat"] = .object(["type": .string("number"), "minimum": .number(-90), "maximum": .number(90)])
        flat["crs"] = .object(["type": .string("string"), "enum": .array(["wgs84", "gcj02", "bd09"].map(JSONValue.string))])
        let event: JSONValue = .object(["type": .string("object"), "properties": .object(flat),
                                        "required": .array(["id", "lon", "lat", "time", "category"].map(JSONValue.string))])
        let feature: JSONValue = .object([
            "type": .string("object"), "required": .array(["type", "geometry", "properties"].map(JSONValue.string)),
            "properties": .object([
                "type": .object(["const": .string("Feature")]),
                "geometry": .object(["type": .string("object"), "required": .array([.string("type"), .string("coordinates")]), "properties": .object([
                    "type": .object(["const": .string("Point")]),
                    "coordinates": .object(["type": .string("array"), "minItems": .number(2), "maxItems": .number(2),
                                            "items": .object(["type": .string("number")])]),
                ])]),
                "properties": .object(["type": .string("object"), "properties": .object(properties),
                                       "required": .array(["id", "time", "category"].map(JSONValue.string))]),
            ]),
        ])
        return .object(["oneOf": .array([
            event, feature,
            .object(["type": .string("array"), "minItems": .number(1), "maxItems": .number(Double(IncomingEvents.maximumBatch)),
                     "items": .object(["oneOf": .array([event, feature])])]),
            .object(["type": .string("object"), "required": .array([.string("type"), .string("features")]), "properties": .object([
                "type": .object(["const": .string("FeatureCollection")]),
                "features": .object(["type": .string("array"), "minItems": .number(1), "items": feature]),
            ])]),
        ])])
    }

    /// The stream message of an event's status change.
    static func statusMessage(_ id: String, _ status: String, responders: [String], _ s: GridwallServices) -> StreamMessage {
        let stored = try? s.store.features({ var q = FeatureQuery(layer: .events); q.id = id; q.limit = 1; return q }()).features.first
        var position: Coordinate?
        if case .point(let p)? = stored?.geometry { position = p }
        let gridID = stored?.properties["grid_id"]?.stringValue
        let chain = s.assignment.snapshot.chain(ofGrid: gridID)
        return StreamMessage(kind: .status, data: JSONValue.object([
            "id": .string(id), "status": .string(status), "responders": .array(responders.map(JSONValue.string)),
            "time": .string(ISOTime.format(Int64(Date().timeIntervalSince1970))),
        ]).serialized, position: position, category: stored?.properties["category"]?.stringValue,
                             areas: chain?.streamAreas ?? [])
    }

    /// GET /events: a page of events, with a next link while more may follow.
    static func eventPage(_ request: Request, _ s: GridwallServices) throws -> Response {
        let q = Query(request)
        let known: Set<String> = ["from", "to", "category", "status", "source", "bbox", "grid", "community", "street", "limit", "cursor", "crs"]
        for name in q.parameters.map({ String($0.key) }) where !known.contains(name) {
            throw GridwallError(.invalidParameter, "unknown parameter; known: \(known.sorted().joined(separator: ", "))", at: name)
        }
        var query = FeatureQuery(layer: .events)
        query.countBudget = 0
        query.limit = try q.int("limit", range: 1...10_000) ?? 100
        if let text = q.string("cursor") {
            guard let fid = Int64(text), fid >= 0 else { throw GridwallError(.invalidParameter, "expected the cursor of a next link, found \"\(text)\"", at: "cursor") }
            query.afterFid = fid
        }
        // Stored times are whole seconds: rounding a fractional bound up keeps both comparisons exact.
        func stamp(_ name: String) throws -> String? {
            guard let text = q.string(name) else { return nil }
            guard let t = ISOTime.parse(text) else {
                throw GridwallError(.invalidParameter, "expected an ISO 8601 time such as 2026-11-01T00:00:00Z, found \"\(text)\"", at: name)
            }
            return ISOTime.format(Int64(t.rounded(.up)))
        }
        query.from = try stamp("from")
        query.to = try stamp("to")
        // As the heatmaps answer an empty window (the stamps compare as text: same format).
        if let from = query.from, let to = query.to, to <= from {
            throw GridwallError(.invalidParameter, "the window is empty: to must be after from", at: "to")
        }
        var names = EventFilter()
        names.categories = q.list("category").map(Set.init)
        names.statuses = q.list("status").map(Set.init)
        try s.checkNames(names)
        if let list = q.list("category") { query.oneOf.append(("category", list)) }
        if let list = q.list("status") { query.oneOf.append(("status", list)) }
        if let list = q.list("source") { query.oneOf.append(("source", list)) }
        // Areas above grids become the grids under them.
        var grids: Set<String>?
        let snapshot = s.assignment.snapshot
        let levels: [(String, (GridChain) -> String?)] = [("grid", { $0.gridID }), ("community", { $0.communityID }), ("street", { $0.streetID })]
        for (name, level) in levels {
            guard let ids = q.list(name) else { continue }
            for id in ids where snapshot.areas[id] == nil {
                throw GridwallError(.invalidParameter, "no area \"\(id)\"", at: name)
            }
            let wanted = Set(ids)
            let under = Set(snapshot.engine.grids.filter { level($0).map(wanted.contains) ?? false }.map(\.gridID))
            grids = grids.map { $0.intersection(under) } ?? under
        }
        if let grids { query.oneOf.append(("grid_id", grids.isEmpty ? [""] : grids.sorted())) }
        if let text = q.string("bbox") { query.bbox = try parseBBox(text) }
        let crs = try q.crs()
        let page = try s.store.features(query)
        var links: [JSONValue] = []
        if page.more, let last = page.lastFid {
            let href = FeatureRoutes.pageLink(request, to: "\(baseURL(request, s.options))/events", setting: "cursor", to: String(last))
            links.append(FeatureRoutes.link(href, "next", "application/geo+json"))
        }
        return FeatureRoutes.featureCollection(page.features, crs: crs, links: links, members: "\"numberReturned\":\(page.features.count),")
    }
}
