// API tokens: created once and shown once, kept only as their SHA-256, revocable. A token is
// 32 random bytes, so an unsalted fast hash is enough: nothing about it can be guessed, and the
// hash is what the server compares (in constant time) with the hash of what a client sends.
import Crypto
import Foundation
import GRDB
import GridwallCore

/// A token as the store keeps it (never the token itself).
public struct StoredToken: Sendable, Equatable {
    public var name: String
    /// viewer, dispatcher, planner or admin.
    public var role: String
    public var created: String
    /// When it was revoked; a revoked token opens nothing.
    public var revoked: String?
    /// SHA-256 of the token.
    public var digest: [UInt8]
}

public enum TokenDigest {
    /// SHA-256 of `token`'s UTF-8 bytes.
    public static func of(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// Compares two digests in time that does not depend on where they differ.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// A new token: "gw_" and 32 random bytes in URL-safe base64.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "gw_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension GeoStore {
    /// Creates a token named `name` with `role`; returns the token (shown once: the store keeps its hash).
    public func createToken(name: String, role: String) throws -> String {
        guard !name.isEmpty, name.count <= 100 else { throw GridwallError(.invalidParameter, "a token name is 1 to 100 characters", at: "--name") }
        let token = TokenDigest.newToken()
        do {
            try write { db in
                try db.execute(sql: "INSERT INTO tokens (name, role, digest, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [name, role, Data(TokenDigest.of(token)), ISOTime.format(Int64(Date().timeIntervalSince1970))])
            }
        } catch let e as GridwallError where e.message.contains("UNIQUE") {
            throw GridwallError(.conflict, "a token named \"\(name)\" exists; revoke it or choose another name", at: "--name")
        }
        return token
    }

    /// Every token, revoked ones included, by name.
    public func tokens() throws -> [StoredToken] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, created_at, revoked_at, digest FROM tokens ORDER BY name").map { r in
                StoredToken(name: r["name"], role: r["role"], created: r["created_at"], revoked: r["revoked_at"], digest: [UInt8](r["digest"] as Data))
            }
        }
    }

    /// Revokes the token named `name`.
    public func revokeToken(name: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                           arguments: [ISOTime.format(Int64(Date().timeIntervalSince1970)), name])
            guard db.changesCount == 1 else {
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM tokens WHERE name = ?", arguments: [name]) ?? false
                throw GridwallError(.notFound, exists ? "the token \"\(name)\" is already revoked" : "no token named \"\(name)\"", at: "name")
            }
        }
    }

    /// Changes whenever a token is created or revoked (cheap: for the server to poll).
    public func tokensVersion() throws -> String {
        try read { db in
            try String.fetchOne(db, sql: "SELECT count(*) || '/' || count(revoked_at) || '/' || coalesce(max(rowid), 0) FROM tokens") ?? ""
        }
    }
}
