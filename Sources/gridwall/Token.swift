// `gridwall token create|list|revoke`: the API tokens of a store. A running server picks up
// changes within two seconds.
import ArgumentParser
import Foundation
import GridwallCore
import GridwallServer
import GridwallStore

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API tokens (roles: viewer < dispatcher < planner < admin).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it (once: only its hash is stored).")
        @Option(help: "The store.") var store = "gridwall.sqlite"
        @Option(help: "viewer, dispatcher, planner or admin.") var role: String
        @Option(help: "A name to list, revoke and log it by, e.g. desk-3.") var name: String

        func run() async throws {
            try await Terminal.reportingErrors {
                let role = try Role(parsing: role, at: "--role")
                let token = try GeoStore(path: store).createToken(name: name, role: role.name)
                print(token)
                Terminal.note("token \"\(name)\" (\(role.name)) created; it is shown only now")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (names, roles, dates; never the tokens).")
        @Option(help: "The store.") var store = "gridwall.sqlite"

        func run() async throws {
            try await Terminal.reportingErrors {
                let tokens = try GeoStore(path: store).tokens()
                if tokens.isEmpty { Terminal.note("no tokens: a server on loopback is open to every caller") }
                for t in tokens {
                    print([t.name, t.role, t.created, t.revoked.map { "revoked \($0)" } ?? "active"].joined(separator: "\t"))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name.")
        @Option(help: "The store.") var store = "gridwall.sqlite"
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            try await Terminal.reportingErrors {
                try GeoStore(path: store).revokeToken(name: name)
                Terminal.note("token \"\(name)\" revoked")
            }
        }
    }
}
