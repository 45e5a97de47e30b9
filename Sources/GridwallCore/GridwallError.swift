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
