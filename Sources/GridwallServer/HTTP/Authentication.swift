// Bearer tokens → roles. The server keeps the tokens' hashes in memory and reads them again
// when the store's tokens change (`gridwall token create|revoke` in another process), checked
// every two seconds by the server's watcher, at most a second after an unknown token is
// presented, and at most a second after a request while the server is open.
//
// Safe default: with no token created, a server on a loopback address is open (every caller is
// admin, as a developer's laptop expects); on any other address `gridwall serve` refuses to
// start until a token exists.
import Foundation
import GridwallCore
import GridwallStore
import Hummingbird
import HTTPTypes

/// Who a bearer token belongs to.
public final class Authenticator: Sendable {
    private struct Known: Sendable {
        var tokens: [(digest: [UInt8], role: Role, name: String)]
        var version: String
        var lastRead: Date
    }
    private let store: GeoStore
    private let known: Locked<Known>
    /// Whether a store without tokens makes everyone admin (only on loopback addresses).
    public let openWhenEmpty: Bool

    /// Reads the store's tokens.
    public init(store: GeoStore, openWhenEmpty: Bool) throws {
        self.store = store
        self.openWhenEmpty = openWhenEmpty
        known = Locked(Known(tokens: [], version: "", lastRead: .distantPast))
        try reload()
    }

    /// Whether no (unrevoked) token exists: the server is open on loopback then.
    public var isOpen: Bool { known.withLock { $0.tokens.isEmpty } }

    /// Reads the tokens again when they changed; returns whether they did.
    @discardableResult
    public func reload() throws -> Bool {
        let version = try store.tokensVersion()
        guard version != known.withLock({ $0.version }) else {
            known.withLock { $0.lastRead = Date() }
            return false
        }
        let tokens = try store.tokens().filter { $0.revoked == nil }.compactMap { t -> ([UInt8], Role, String)? in
            guard let role = try? Role(parsing: t.role) else { return nil }
            return (t.digest, role, t.name)
        }
        known.withLock { $0 = Known(tokens: tokens.map { (digest: $0.0, role: $0.1, name: $0.2) }, version: version, lastRead: Date()) }
        return true
    }

    /// The role and name of the caller presenting `authorization` (the header's value); nil
    /// when it is missing or no valid token. Open servers make everyone admin.
    func caller(authorization: String?) -> (role: Role, name: String)? {
        if isOpen {
            // A token created since closes an open server within a second.
            if known.withLock({ Date().timeIntervalSince($0.lastRead) > 1 }) { _ = try? reload() }
            if isOpen { return openWhenEmpty ? (.admin, "open") : nil }
        }
        guard let header = authorization, header.lowercased().hasPrefix("bearer ") else { return nil }
        let digest = TokenDigest.of(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        if let hit = find(digest) { return hit }
        // Perhaps created a moment ago: read again, at most once a second.
        let stale = known.withLock { Date().timeIntervalSince($0.lastRead) > 1 }
        if stale, (try? reload()) == true { return find(digest) }
        return nil
    }

    /// Every token is compared (in constant time), so the time taken says nothing about which matched.
    private func find(_ digest: [UInt8]) -> (role: Role, name: String)? {
        known.withLock { k in
            var found: (role: Role, name: String)?
            for t in k.tokens where TokenDigest.equal(t.digest, digest) { found = (t.role, t.name) }
            return found
        }
    }
}

/// Sets the caller's role from the Authorization header (routes check it against their own).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = GridwallContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: GridwallContext, next: (Request, GridwallContext) async throws -> Response) async throws -> Response {
        var context = context
        if let caller = authenticator.caller(authorization: request.headers[.authorization]) {
            context.role = caller.role
            context.caller = caller.name
            context.logger[metadataKey: "caller"] = .string(caller.name)
        }
        return try await next(request, context)
    }
}
