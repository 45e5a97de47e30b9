// The HTTP service: one `buildApplication` used by `gridwall serve` and by the tests.
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import GridwallAnalysis
import GridwallCore
import GridwallStore

/// Where to listen and what to serve.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 lets the system pick a free port (tests do); `onListening` learns which.
    public var port = 8080
    /// Called once the server listens, with the port it got.
    public var onListening: (@Sendable (Int) async -> Void)?
    /// 127.0.0.1:8080.
    public init() {}
}

/// The HTTP service over the store and the three live services (used by `gridwall serve` and the tests).
public func buildApplication(store: GeoStore, assignment: AssignmentService, responders: ResponderService,
                             heatmaps: HeatmapService, options: ServerOptions, logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    let tiles = TileService(assignment: assignment, responders: responders, heatmaps: heatmaps)
    // /tiles/{source}/{z}/{x}/{y}.mvt for the vector sources, /tiles/heat/{z}/{x}/{y}.png for
    // the density (one route: the source and the extension decide).
    router.get("/tiles/{source}/{z}/{x}/{y}") { request, context in
        try handle {
            let source = context.parameters.get("source") ?? ""
            var yText = context.parameters.get("y") ?? ""
            let format = yText.hasSuffix(".png") ? "png" : "mvt"
            for suffix in [".png", ".mvt", ".pbf"] where yText.hasSuffix(suffix) { yText.removeLast(suffix.count) }
            func part(_ name: String, _ text: String) throws -> Int {
                guard let v = Int(text) else { throw GridwallError(.invalidParameter, "expected a whole number, found \"\(text)\"", at: name) }
                return v
            }
            let tile = try TileID(z: part("z", context.parameters.get("z") ?? ""), x: part("x", context.parameters.get("x") ?? ""), y: part("y", yText))
            let q = Query(request)
            let parsed = try HeatmapRequest(given: q.parameters.map { String($0.key) }, q.string)
            if format == "png" {
                guard source == "heat" else { throw GridwallError(.invalidParameter, "PNG tiles are served for the heat source only; use .mvt", at: "y") }
                let raster = try heatmaps.raster(for: parsed)
                let png = try heatmaps.analysis.heatTile(raster, scale: raster.displayScale, z: tile.z, x: tile.x, y: tile.y)
                return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "max-age=60"],
                                body: .init(byteBuffer: ByteBuffer(bytes: png)))
            }
            let gzip = request.headers[.acceptEncoding]?.lowercased().contains("gzip") == true
            let encoded = try tiles.tile(source: source, tile, request: parsed, query: request.uri.query ?? "", gzip: gzip)
            var headers: HTTPFields = [.eTag: encoded.etag, .cacheControl: encoded.live ? "no-cache" : "max-age=60",
                                       .contentType: "application/vnd.mapbox-vector-tile"]
            if request.headers[.ifNoneMatch] == encoded.etag { return Response(status: .notModified, headers: headers) }
            // A tile with no feature: 204 No Content (MapLibre draws nothing there).
            guard !encoded.bytes.isEmpty else { return Response(status: .noContent, headers: headers) }
            if encoded.gzipped { headers[.contentEncoding] = "gzip" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encoded.bytes)))
        }
    }
    // TileJSON: /tiles/{source}.json
    // (The parameter has the same name as the tile route's: the router needs one name per level.)
    router.get("/tiles/{source}") { request, context in
        try handle {
            let file = context.parameters.get("source") ?? ""
            guard file.hasSuffix(".json") else {
                throw GridwallError(.notFound, "expected /tiles/{source}.json or /tiles/{source}/{z}/{x}/{y}.mvt", at: "path")
            }
            return json(try tiles.tileJSON(source: String(file.dropLast(5)), base: baseURL(request, options), query: request.uri.query ?? ""))
        }
    }
    router.get("/style.json") { request, _ in
        json(MapStyle.document(base: baseURL(request, options), query: request.uri.query ?? ""))
    }
    router.get("/heatmap") { request, _ in
        try handle {
            let q = Query(request)
            let parsed = try HeatmapRequest(given: q.parameters.map { String($0.key) }, q.string)
            let answer = try heatmaps.analysis.heatmap(parsed)
            if case .image(let png, let summary) = answer, parsed.rasterFormat == .png {
                var headers: HTTPFields = [.contentType: "image/png"]
                if let corners = summary["corners"] { headers[HTTPField.Name("X-Gridwall-Corners")!] = corners.serialized }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: png)))
            }
            var buffer = ByteBuffer()
            buffer.writeString(answer.geoJSON)
            return Response(status: .ok, headers: [.contentType: "application/geo+json"], body: .init(byteBuffer: buffer))
        }
    }
    OGCFeatures.register(router, store: store, options: options)
    router.get("/health") { _, _ in
        json(.object(["status": .string("ok")]))
    }
    router.get("/layers") { _, _ in
        try handle {
            let layers = try store.layerSummaries()
            return json(.object(["layers": .array(layers.map { l in
                .object(["name": .string(l.name), "count": .number(Double(l.count)),
                         "bbox": l.bbox.map { .array($0.map(JSONValue.number)) } ?? .null])
            })]))
        }
    }
    router.get("/assign") { request, _ in
        try handle {
            let (p, _) = try Query(request).point()
            return json(assignment.answer(x: p.x, y: p.y))
        }
    }
    router.get("/cameras/visible") { request, _ in
        try handle {
            let q = Query(request)
            let (p, _) = try q.point()
            return json(.object(["cameras": .array(assignment.visibleCameras(x: p.x, y: p.y, explain: try q.flag("explain")))]))
        }
    }
    router.get("/nearest") { request, _ in
        try handle {
            let q = Query(request)
            let (p, crs) = try q.point()
            var filter = ResponderFilter()
            filter.kinds = q.list("kind").map(Set.init)
            if let statuses = q.list("status") {
                filter.statuses = Set(try statuses.map { s in
                    guard let status = ResponderStatus(rawValue: s) else {
                        throw GridwallError(.invalidParameter, "unknown status \"\(s)\"; use available, busy or off_duty", at: "status")
                    }
                    return status
                })
            }
            filter.skills = Set(q.list("skills") ?? [])
            filter.maxAge = try q.double("max_age_s", range: 0...1e9)
            filter.maxDistance = try q.double("max_distance_m", range: 0...1e8)
            let k = try q.int("k", range: 1...1000) ?? 5
            let answers = responders.nearest(p, k: k, filter: filter)
            return json(.object(["results": .array(answers.map { a in
                let shown = crs.fromWGS84IfChinese(a.responder.position)!
                return .object([
                    "id": .string(a.responder.id), "name": .string(a.responder.name), "kind": .string(a.responder.kind),
                    "status": .string(a.responder.status.rawValue), "skills": .array(a.responder.skills.sorted().map(JSONValue.string)),
                    "lon": .number(shown.x), "lat": .number(shown.y),
                    "distance_m": .number((a.distance * 1000).rounded() / 1000), "bearing": .number((a.bearing * 100).rounded() / 100),
                    "eta_s": .number(a.eta.rounded()), "updated_at": .string(ISOTime.format(Int64(a.responder.updatedAt))),
                ])
            })]))
        }
    }
    router.put("/responders/{id}/position") { request, context in
        try await handleAsync {
            let id = context.parameters.get("id") ?? ""
            let update = try positionUpdate(try await jsonBody(request), id: id, at: "body", defaultCRS: try Query(request).crs(),
                                            serviceArea: responders.serviceArea)
            let result = try responders.update([update])
            guard result.unknown.isEmpty else { throw GridwallError(.notFound, "no responder \"\(id)\"", at: "id") }
            return json(.object(["id": .string(id), "applied": .bool(result.applied == 1)]))
        }
    }
    router.post("/events/{id}/dispatch") { request, context in
        try await handleAsync {
            let id = context.parameters.get("id") ?? ""
            let body = try await jsonBody(request)
            guard let list = body["responders"]?.arrayValue, !list.isEmpty else {
                throw GridwallError(.invalidInput, "expected {\"responders\": [\"id\", …]}", at: "body.responders")
            }
            let ids = try list.map { v -> String in
                guard let s = v.stringValue else { throw GridwallError(.invalidInput, "responder ids are strings", at: "body.responders") }
                return s
            }
            try responders.dispatch(event: id, responders: ids)
            try heatmaps.statusChanged(event: id, in: store)
            return json(.object(["event": .string(id), "status": .string("dispatched"), "responders": .array(ids.map(JSONValue.string))]))
        }
    }
    router.post("/events/{id}/resolve") { _, context in
        try handle {
            let id = context.parameters.get("id") ?? ""
            let freed = try responders.resolve(event: id)
            try heatmaps.statusChanged(event: id, in: store)
            return json(.object(["event": .string(id), "status": .string("resolved"), "freed": .array(freed.map(JSONValue.string))]))
        }
    }
    router.put("/responders/positions") { request, _ in
        try await handleAsync {
            let body = try await jsonBody(request)
            guard let list = body["positions"]?.arrayValue else {
                throw GridwallError(.invalidInput, "expected {\"positions\": [{\"id\", \"lon\", \"lat\", \"time\"}, …]}", at: "body")
            }
            let crs = try Query(request).crs()
            let updates = try list.enumerated().map { i, v in
                guard let id = v["id"]?.stringValue else { throw GridwallError(.invalidInput, "id is required", at: "positions[\(i)].id") }
                return try positionUpdate(v, id: id, at: "positions[\(i)]", defaultCRS: crs, serviceArea: responders.serviceArea)
            }
            let result = try responders.update(updates)
            return json(.object(["received": .number(Double(updates.count)), "applied": .number(Double(result.applied)),
                                 "unknown": .array(result.unknown.map(JSONValue.string))]))
        }
    }
    return Application(router: router,
                       configuration: .init(address: .hostname(options.host, port: options.port), serverName: "gridwall"),
                       onServerRunning: { channel in await options.onListening?(channel.localAddress?.port ?? options.port) },
                       logger: logger)
}

/// Scheme and host the client reached us at, for links in answers (TileJSON, style, OGC API).
func baseURL(_ request: Request, _ options: ServerOptions) -> String {
    "http://" + (request.head.authority ?? "\(options.host):\(options.port)")
}

/// Parses a required coordinate parameter, with an error that names it.
func coordinate(_ text: String?, _ name: String, limit: Double) throws -> Double {
    guard let text, !text.isEmpty else {
        throw GridwallError(.invalidParameter, "\(name) is required (decimal degrees)", at: name)
    }
    guard let v = Double(text), v.isFinite else {
        throw GridwallError(.invalidParameter, "\(name) must be a finite decimal number, found \"\(text)\"", at: name)
    }
    guard abs(v) <= limit else {
        throw GridwallError(.invalidParameter, "\(name) must be within ±\(Int(limit)), found \(text)\(name == "lat" ? "; are lon and lat swapped?" : "")", at: name)
    }
    return v
}

/// A JSON response.
func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    var buffer = ByteBuffer()
    buffer.writeString(value.serialized)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
}

/// Runs a handler; Gridwall errors become JSON errors with a stable code and where the problem is.
func handle(_ body: () throws -> Response) throws -> Response {
    do {
        return try body()
    } catch let e as GridwallError {
        return errorResponse(e)
    }
}

func handleAsync(_ body: () async throws -> Response) async throws -> Response {
    do {
        return try await body()
    } catch let e as GridwallError {
        return errorResponse(e)
    }
}

/// The JSON error for a Gridwall error: 404 for unknown things, 409 for conflicts, 500 for
/// failures of ours, 400 for everything the request got wrong.
func errorResponse(_ e: GridwallError) -> Response {
    let status: HTTPResponse.Status = switch e.code {
    case .notFound, .unknownLayer: .notFound
    case .conflict: .conflict
    case .storage, .geos, .proj, .io: .internalServerError
    default: .badRequest
    }
    var error: [String: JSONValue] = ["code": .string(e.code.rawValue), "message": .string(e.message)]
    if let location = e.location { error["where"] = .string(location) }
    return json(.object(["error": .object(error)]), status: status)
}
