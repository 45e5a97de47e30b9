// What travels with a request from the middleware to the handler: the caller's role (from the
// bearer token) and the body limit the server was started with.
import Foundation
import Hummingbird

/// Roles in increasing power: each can do what the ones below it can.
public enum Role: Int, Comparable, CaseIterable, Sendable {
    /// Reads: maps, heatmaps, tiles, features, the stream.
    case viewer = 1
    /// Events, positions, dispatch and resolution.
    case dispatcher
    /// Grid plans.
    case planner
    /// Tokens and everything else.
    case admin

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }

    /// viewer, dispatcher, planner, admin.
    public var name: String { String(describing: self) }

    /// The role called `name`; an unknown one is an error listing the roles.
    public init(parsing name: String, at place: String = "role") throws {
        guard let role = Role.allCases.first(where: { $0.name == name }) else {
            throw GridwallError(.invalidParameter, "unknown role \"\(name)\"; roles are \(Role.allCases.map(\.name).joined(separator: ", "))", at: place)
        }
        self = role
    }
}

/// The request context of every Gridwall route.
public struct GridwallContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's role: set by the authentication middleware (nil: no valid token).
    public var role: Role?
    /// The caller's token name, for logs and the status history ("who").
    public var caller: String?
    /// The largest request body taken, in bytes (set by the limits middleware).
    public var bodyLimit = ServerOptions.defaultBodyLimit

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { bodyLimit }

    /// Path parameter `name` as the client meant it: percent-decoded, since every client
    /// encodes what is not ASCII (`/events/%E4%B8%AD1` asks for the event 中1), as it was sent
    /// when it is not valid percent-encoding; empty when absent.
    func path(_ name: String) -> String {
        let raw = parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}

import GridwallCore
