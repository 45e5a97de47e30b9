// Answers every route shares: JSON, GeoJSON and the JSON error shape
// {"error": {"code", "message", "where"}} with the status its code stands for.
import Foundation
import GridwallCore
import Hummingbird
import HTTPTypes

/// A JSON response.
func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    var buffer = ByteBuffer()
    buffer.writeString(value.serialized)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
}

/// A GeoJSON response from text already written.
func geoJSON(_ text: String) -> Response {
    var buffer = ByteBuffer()
    buffer.writeString(text)
    return Response(status: .ok, headers: [.contentType: "application/geo+json"], body: .init(byteBuffer: buffer))
}

/// The HTTP status a Gridwall error answers with: 404 for unknown things, 409 for conflicts,
/// 401/403/405/413/415 for what their names say, 500 for failures of ours, 400 for everything
/// else the request got wrong.
func status(of code: GridwallError.Code) -> HTTPResponse.Status {
    switch code {
    case .notFound, .unknownLayer: .notFound
    case .conflict: .conflict
    case .unauthorized: .unauthorized
    case .forbidden: .forbidden
    case .tooLarge: .contentTooLarge
    case .methodNotAllowed: .methodNotAllowed
    case .unsupportedMediaType: .unsupportedMediaType
    case .busy: .serviceUnavailable
    case .storage, .geos, .proj, .io: .internalServerError
    case .invalidGeometry, .invalidInput, .invalidParameter, .overBudget: .badRequest
    }
}

/// The JSON error for a Gridwall error.
func errorResponse(_ e: GridwallError) -> Response {
    var error: [String: JSONValue] = ["code": .string(e.code.rawValue), "message": .string(e.message)]
    if let location = e.location { error["where"] = .string(location) }
    return json(.object(["error": .object(error)]), status: status(of: e.code))
}

/// Scheme and host the client reached us at, for links in answers (TileJSON, style, OGC API).
func baseURL(_ request: Request, _ options: ServerOptions) -> String {
    "http://" + (request.head.authority ?? "\(options.host):\(options.port)")
}
