// The HTTP service: one `buildApplication` used by `gridwall serve` and by the tests.
import Foundation
import Hummingbird
import Logging
import GridwallCore
import GridwallStore

/// Where to listen and what to serve.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public init() {}
}

public func buildApplication(store: GeoStore, assignment: AssignmentService, options: ServerOptions,
                             logger: Logger) -> some ApplicationProtocol {
    let router = Router()
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
            let q = request.uri.queryParameters
            let crs = try q.get("crs").map(CoordinateSystem.init(parsing:)) ?? .wgs84
            var p = Coordinate(try coordinate(q.get("lon"), "lon", limit: 180), try coordinate(q.get("lat"), "lat", limit: 90))
            guard let converted = crs.toWGS84IfChinese(p) else {
                throw GridwallError(.invalidParameter, "crs must be wgs84 (EPSG:4326), gcj02 or bd09 here", at: "crs")
            }
            p = converted
            return json(assignment.answer(x: p.x, y: p.y))
        }
    }
    return Application(router: router,
                       configuration: .init(address: .hostname(options.host, port: options.port), serverName: "gridwall"),
                       logger: logger)
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
}
