/// The one error type of Gridwall: a stable code, a message that says how to fix the problem,
/// and where it was found (a feature number, a field, a line, a parameter, a coordinate).
///
///     throw GridwallError(.invalidGeometry, "Self-intersection", at: "feature 12 at (120.2 30.3)")
public struct GridwallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable error codes clients match on (the HTTP status follows from them).
    public enum Code: String, Sendable, Codable {
        case invalidGeometry = "invalid_geometry"
        case invalidInput = "invalid_input"
        case invalidParameter = "invalid_parameter"
        case unknownLayer = "unknown_layer"
        case notFound = "not_found"
        case conflict = "conflict"
        /// The request asks for more work than one request may do (bins, cells, neighbours): 400.
        case overBudget = "over_budget"
        /// No valid bearer token where the route needs one: 401.
        case unauthorized = "unauthorized"
        /// A token whose role is below what the route needs: 403.
        case forbidden = "forbidden"
        /// A request body over the server's limit: 413.
        case tooLarge = "too_large"
        /// No route at the path: 404; a route there, but not for the method: 405.
        case methodNotAllowed = "method_not_allowed"
        /// A body in a media type the route does not take: 415.
        case unsupportedMediaType = "unsupported_media_type"
        /// The server holds as much of something as it takes (stream clients): 503, try later.
        case busy = "busy"
        case geos = "geos_error"
        case proj = "proj_error"
        case storage = "storage_error"
        case io = "io_error"
    }

    public var code: Code
    public var message: String
    public var location: String?

    /// An error with what went wrong and where (a parameter, field, line or feature).
    public init(_ code: Code, _ message: String, at location: String? = nil) {
        self.code = code; self.message = message; self.location = location
    }

    public var description: String {
        if let location { return "\(message) (\(location))" }
        return message
    }
}
