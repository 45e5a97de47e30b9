// Every route is added through one table that knows, for each, the role it needs and what it
// takes and answers: the role check, the 405 answer and the OpenAPI document read the same
// entries, so what the router serves and what the document says cannot drift apart.
import Foundation
import GridwallCore
import Hummingbird
import HTTPTypes

/// A request parameter as the OpenAPI document describes it.
public struct ParameterDoc: Sendable {
    public enum Place: String, Sendable { case query, path, header }
    public var name: String
    public var place: Place
    /// JSON Schema type: string, number, integer, boolean.
    public var type: String
    public var required: Bool
    public var description: String

    /// A text query parameter.
    static func query(_ name: String, _ description: String) -> ParameterDoc {
        ParameterDoc(name: name, place: .query, type: "string", required: false, description: description)
    }
    /// A query parameter of JSON Schema type `type`.
    static func query(_ name: String, _ type: String, required: Bool = false, _ description: String) -> ParameterDoc {
        ParameterDoc(name: name, place: .query, type: type, required: required, description: description)
    }
    /// A text path parameter.
    static func path(_ name: String, _ description: String) -> ParameterDoc {
        ParameterDoc(name: name, place: .path, type: "string", required: true, description: description)
    }
    /// A path parameter of JSON Schema type `type`.
    static func path(_ name: String, _ type: String, _ description: String) -> ParameterDoc {
        ParameterDoc(name: name, place: .path, type: type, required: true, description: description)
    }
}

/// One route: method, path template, the role it needs, and its documentation.
public struct RouteDoc: Sendable {
    public var method: HTTPRequest.Method
    /// Hummingbird's template, e.g. /events/{id}.
    public var path: String
    /// The least role it needs; nil: anyone, without a token.
    public var role: Role?
    /// The capability it belongs to (the OpenAPI tag).
    public var tag: String
    public var summary: String
    public var parameters: [ParameterDoc]
    /// The media types of the request body it takes, if any.
    public var body: [String]
    /// The JSON Schema of the body, when the route documents one.
    public var bodySchema: JSONValue?
    /// The media type of a successful answer.
    public var answers: String
    /// Extra statuses it may answer besides 200 and the common errors.
    public var statuses: [Int]

    /// Whether `path` (a request path) matches this route's template.
    func matches(_ requestPath: String) -> Bool {
        let want = path.split(separator: "/", omittingEmptySubsequences: false)
        let have = requestPath.split(separator: "/", omittingEmptySubsequences: false)
        guard want.count == have.count else { return false }
        // A parameter takes one segment, never an empty one (as the router: /wall/vendor/ is no file).
        return zip(want, have).allSatisfy { w, h in w.hasPrefix("{") ? !h.isEmpty : w == h }
    }
}

/// The router and the table of every route on it.
public final class APIRoutes: @unchecked Sendable {
    // @unchecked: routes are added while the application is built, on one thread, before
    // the server starts; afterwards the table is only read.
    public let router: Router<GridwallContext>
    public private(set) var docs: [RouteDoc] = []

    init(router: Router<GridwallContext>) { self.router = router }

    public typealias Handler = @Sendable (Request, GridwallContext) async throws -> Response

    /// Adds a route that answers only callers with at least `role` (Gridwall errors thrown by
    /// `handler` become the JSON error shape in LimitsMiddleware, around every route).
    func add(_ method: HTTPRequest.Method, _ path: String, role: Role?, tag: String, _ summary: String,
             parameters: [ParameterDoc] = [], body: [String] = [], bodySchema: JSONValue? = nil, answers: String = "application/json",
             statuses: [Int] = [], _ handler: @escaping Handler) {
        docs.append(RouteDoc(method: method, path: path, role: role, tag: tag, summary: summary, parameters: parameters,
                             body: body, bodySchema: bodySchema, answers: answers, statuses: statuses))
        router.on(RouterPath(path), method: method) { request, context in
            if let role, let refusal = Self.refusal(needing: role, context: context) { return refusal }
            return try await handler(request, context)
        }
    }

    func get(_ path: String, role: Role = .viewer, tag: String, _ summary: String, parameters: [ParameterDoc] = [],
             answers: String = "application/json", statuses: [Int] = [], _ handler: @escaping Handler) {
        add(.get, path, role: role, tag: tag, summary, parameters: parameters, answers: answers, statuses: statuses, handler)
    }

    /// 401 without a valid token, 403 with one whose role is below `role`.
    static func refusal(needing role: Role, context: GridwallContext) -> Response? {
        guard let have = context.role else {
            var r = errorResponse(GridwallError(.unauthorized, "this route needs a bearer token with role \(role.name) or above", at: "Authorization"))
            r.headers[.wwwAuthenticate] = "Bearer"
            return r
        }
        guard have >= role else {
            return errorResponse(GridwallError(.forbidden, "this route needs role \(role.name) or above; the token has \(have.name)", at: "Authorization"))
        }
        return nil
    }

    /// The methods the routes matching `path` take (for 405 answers).
    func methods(for path: String) -> [HTTPRequest.Method] {
        docs.filter { $0.matches(path) }.map(\.method)
    }
}
