// The contract as a client meets it: the OpenAPI document is valid and lists every route the
// README promises; every route answers each role as documented; hostile requests get the
// documented 4xx, never a 5xx, and change nothing; schemathesis, driven by the document, finds
// no server error.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore
import GridwallServer
import GridwallStore
import GridwallTestSupport

@Suite(.serialized) struct ApiContractTests {
    /// A request on a fresh connection; answers the status and the body (read to the end).
    func raw(_ port: Int, _ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:], body: Data = Data()) async throws -> (Int, String) {
        let c = try RawHTTP(port: port, timeout: 30)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        c.send(head + "\r\n")
        c.send(body)
        // A stream never ends: the status line and headers are enough there.
        await c.read { d in path.hasPrefix("/stream") ? String(decoding: d, as: UTF8.self).contains("\r\n\r\n") : false }
        let text = c.text
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// The documented operations: (method, path template, least role or nil).
    func operations(_ port: Int, token: String? = nil) async throws -> [(String, String, String?)] {
        let (status, body) = try await raw(port, "GET", "/openapi.json", token: token)
        #expect(status == 200)
        let document = try JSONValue.parse(Data(body.utf8))
        var out: [(String, String, String?)] = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:] { out.append((method.uppercased(), path, operation["x-gridwall-role"]?.stringValue)) }
        }
        return out.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    /// A request path for a template, with plausible parameters.
    func concrete(_ template: String) -> String {
        template.replacingOccurrences(of: "{collection}", with: "areas").replacingOccurrences(of: "{source}/{z}/{x}/{y}", with: "grids/12/3425/1674.mvt")
            .replacingOccurrences(of: "{source}", with: "grids.json").replacingOccurrences(of: "{id}", with: "x")
    }

    @Test(.enabled(if: TestData.referencePython != nil, "needs scripts/setup-debian --tests (openapi-spec-validator)"))
    func theDocumentIsValidAndListsEveryReadmeRoute() async throws {
        try await withTestServer { server in
            let port = server.base.port!
            let (_, body) = try await raw(port, "GET", "/openapi.json")
            let file = server.folder.appendingPathComponent("openapi.json")
            try Data(body.utf8).write(to: file)
            let check = try await TestData.runDetached(TestData.referencePython!, ["-m", "openapi_spec_validator", file.path])
            #expect(check.status == 0, "\(check.output)")
            let documented = Set(try await operations(port).map { "\($0.0) \(normalized($0.1))" })
            let readme = try String(contentsOf: TestData.url("README.md"), encoding: .utf8)
            let promised = readmeRoutes(readme)
            #expect(promised.count >= 25, "the README's route table was not found")
            for route in promised {
                // A README path may name a literal where the route has a parameter (/tiles/heat/…).
                let listed = documented.contains { doc in
                    let a = doc.split(separator: "/", omittingEmptySubsequences: false), b = route.split(separator: "/", omittingEmptySubsequences: false)
                    return a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || $0 == "{}" }
                }
                #expect(listed, "README promises \(route); /openapi.json does not list it")
            }
            // And every documented operation is really routed (no "no route" 404, no 405).
            for (method, path, _) in try await operations(port) where !path.hasPrefix("/stream") {
                let (status, answer) = try await raw(port, method, concrete(path))
                #expect(status != 405 && !(status == 404 && answer.contains("no route")), "\(method) \(path): \(status)")
            }
        }
    }

    /// "GET /a/{b}" for every `METHOD /path` the README's API table names (query strings and
    /// tile extensions dropped, parameter names erased).
    func readmeRoutes(_ readme: String) -> Set<String> {
        var routes = Set<String>()
        for line in readme.split(separator: "\n") where line.hasPrefix("| `GET") || line.hasPrefix("| `POST") || line.hasPrefix("| `PUT") || line.hasPrefix("| `DELETE") {
            let cell = line.split(separator: "|").first ?? ""
            var method = "GET"
            for part in cell.split(separator: "`") where part.contains("/") {
                var words = part.split(separator: " ")
                if words.count == 2 { method = String(words.removeFirst()) }
                guard let path = words.first, path.hasPrefix("/") else { continue }
                routes.insert("\(method) \(normalized(String(path.split(separator: "?")[0])))")
            }
        }
        return routes
    }

    func normalized(_ path: String) -> String {
        var p = path
        for suffix in [".mvt", ".png", ".json"] where p.hasSuffix("}" + suffix) { p.removeLast(suffix.count) }
        return p.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression)
    }

    @Test func everyRouteAnswersEachRoleAsDocumented() async throws {
        var tokens: [Role: String] = [:]
        try await withTestServer(prepare: { store in
            for role in Role.allCases { tokens[role] = try store.createToken(name: "test-\(role.name)", role: role.name) }
            _ = try store.createToken(name: "gone", role: "admin")
            try store.revokeToken(name: "gone")
        }) { server in
            let port = server.base.port!
            let ops = try await operations(port, token: tokens[.viewer])
            #expect(ops.count >= 25)
            for (method, template, needed) in ops {
                let path = concrete(template)
                let (anonymous, _) = try await raw(port, method, path)
                let (forged, _) = try await raw(port, method, path, token: "gw_not-a-token")
                if let needed, let least = try? Role(parsing: needed) {
                    #expect(anonymous == 401 && forged == 401, "\(method) \(template) without a valid token: \(anonymous), \(forged)")
                    for role in Role.allCases {
                        let (status, _) = try await raw(port, method, path, token: tokens[role])
                        if role < least {
                            #expect(status == 403, "\(method) \(template) as \(role.name): \(status)")
                        } else {
                            #expect(status != 401 && status != 403 && status < 500, "\(method) \(template) as \(role.name): \(status)")
                        }
                    }
                } else {
                    #expect(anonymous != 401 && anonymous != 403, "\(method) \(template) is open: \(anonymous)")
                }
            }
            // A revoked token opens nothing.
            #expect(try await raw(port, "GET", "/layers", token: "revoked").0 == 401)
        }
    }

    @Test func withoutTokensALoopbackServerIsOpen() async throws {
        try await withTestServer { server in
            let port = server.base.port!
            #expect(try await raw(port, "GET", "/layers").0 == 200)
            #expect(try await raw(port, "POST", "/events/none/resolve").0 == 404)
            // A token created while serving closes it within a second.
            let token = try server.store.createToken(name: "late", role: "viewer")
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await raw(port, "GET", "/layers").0 == 401)
            #expect(try await raw(port, "GET", "/layers", token: token).0 == 200)
        }
    }

    /// Every table's rows, to show a request changed nothing.
    func fingerprint(_ store: GeoStore) throws -> [String] {
        let layers = try store.layerSummaries().map { "\($0.name):\($0.count)" }
        let responders = try store.responders().map { "\($0.id)@\($0.position.x),\($0.position.y),\($0.status)" }
        return layers + responders + (try store.tokens().map(\.name))
    }

    @Test func hostileRequestsGetTheDocumentedErrorAndChangeNothing() async throws {
        try await withTestServer(options: { $0.bodyLimit = 1 << 20 }) { server in
            let port = server.base.port!
            let before = try fingerprint(server.store)
            let p = try server.store.analysisEvents().events[0].position
            let responder = try server.store.responders()[0].id
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let cases: [(String, String, String, [String: String], Data, Int)] = [
                ("malformed JSON", "POST", "/events", [:], Data("{\"id\": ".utf8), 400),
                ("deeply nested JSON", "POST", "/events", [:], Data(deep.utf8), 400),
                ("a huge number", "POST", "/events", [:], Data(#"{"id":"h","lon":1e999,"lat":30,"time":"2030-01-01T00:00:00Z","category":"noise"}"#.utf8), 400),
                ("NaN", "POST", "/events", [:], Data(#"{"id":"n","lon":NaN,"lat":30,"time":"2030-01-01T00:00:00Z","category":"noise"}"#.utf8), 400),
                ("a string for a number", "POST", "/events", [:], Data(#"{"id":"s","lon":"east","lat":30,"time":"2030-01-01T00:00:00Z","category":"noise"}"#.utf8), 400),
                ("swapped coordinates", "POST", "/events", [:], Data(#"{"id":"w","lon":\#(p.y),"lat":\#(p.x),"time":"2030-01-01T00:00:00Z","category":"noise"}"#.utf8), 400),
                ("a failed GPS fix at 0, 0", "POST", "/events", [:], Data(#"{"id":"z","lon":0,"lat":0,"time":"2030-01-01T00:00:00Z","category":"noise"}"#.utf8), 400),
                ("a polygon event", "POST", "/events", [:], Data(#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[120,30],[120.1,30],[120,30.1],[120,30]]]},"properties":{"id":"poly","time":"2030-01-01T00:00:00Z","category":"noise"}}"#.utf8), 400),
                ("a time in year 0 (once a crash: the stored text of such a time could not be read back)", "POST", "/events", [:],
                 Data(#"{"id":"y0","lon":\#(p.x),"lat":\#(p.y),"time":"0000-01-01T00:00:00+01:00","category":"noise"}"#.utf8), 400),
                ("a time in year 9999", "POST", "/events", [:],
                 Data(#"{"id":"y9","lon":\#(p.x),"lat":\#(p.y),"time":"9999-12-31T23:59:59-05:00","category":"noise"}"#.utf8), 400),
                ("an empty id", "POST", "/events", [:], Data(#"{"id":"","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-01T00:00:00Z","category":"noise"}"#.utf8), 400),
                ("an id with a control character", "POST", "/events", [:], Data(#"[{"id":"a\u0001b","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-01T00:00:00Z","category":"noise"}]"#.utf8), 400),
                ("an id of 100 kB", "POST", "/events", [:], Data(#"{"id":"\#(String(repeating: "x", count: 100_000))","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-01T00:00:00Z","category":"noise"}"#.utf8), 400),
                ("an unknown status", "POST", "/events", [:], Data(#"{"id":"st","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-01T00:00:00Z","category":"noise","status":"lost"}"#.utf8), 400),
                ("an empty batch", "POST", "/events", [:], Data("[]".utf8), 400),
                ("a plan with an unclosed ring (once a 500 from GEOS)", "POST", "/plans", [:],
                 Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"g1"},"geometry":{"type":"Polygon","coordinates":[[[120.2,30.3],[120.21,30.3],[120.21,30.31],[120.2,30.31]]]}}]}"#.utf8), 400),
                ("a scalar body", "POST", "/events", [:], Data("42".utf8), 400),
                ("XML", "POST", "/events", ["Content-Type": "application/xml"], Data("<event/>".utf8), 415),
                ("a body over the limit", "POST", "/events", [:], Data(repeating: UInt8(ascii: " "), count: 2 << 20), 413),
                ("an unknown route", "GET", "/nowhere", [:], Data(), 404),
                ("a wrong method", "DELETE", "/heatmap", [:], Data(), 405),
                ("an unknown responder kind filter status", "GET", "/nearest?lon=\(p.x)&lat=\(p.y)&status=asleep", [:], Data(), 400),
                ("latitude out of range", "GET", "/assign?lon=120&lat=91", [:], Data(), 400),
                ("a position far away", "PUT", "/responders/x/position", [:], Data(#"{"lon":0,"lat":0}"#.utf8), 400),
                ("a position from the future (it would freeze the responder: older reports are ignored)", "PUT", "/responders/\(responder)/position", [:],
                 Data(#"{"lon":\#(p.x),"lat":\#(p.y),"time":"2999-01-01T00:00:00Z"}"#.utf8), 400),
                ("an empty file name", "GET", "/wall/vendor/", [:], Data(), 404),
                ("positions not a list", "PUT", "/responders/positions", [:], Data(#"{"positions":{"a":1}}"#.utf8), 400),
                ("dispatch without responders", "POST", "/events/x/dispatch", [:], Data(#"{"responders":"all"}"#.utf8), 400),
            ]
            for (what, method, path, headers, body, expected) in cases {
                let (status, answer) = try await raw(port, method, path, headers: headers.isEmpty && !body.isEmpty ? ["Content-Type": "application/json"] : headers, body: body)
                #expect(status == expected, "\(what): \(status) \(answer.prefix(300))")
                let error = try? JSONValue.parse(Data(answer.utf8))["error"]
                #expect(error?["code"]?.stringValue != nil && error?["message"]?.stringValue != nil, "\(what): not the JSON error shape: \(answer.prefix(200))")
            }
            // A declared 60 MB body is refused before it is sent.
            let c = try RawHTTP(port: port)
            c.send("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(60 << 20)\r\n\r\n")
            await c.read { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }
            #expect(c.text.hasPrefix("HTTP/1.1 413"), "\(c.text.prefix(200))")
            #expect(try await raw(port, "GET", "/health").0 == 200)
            #expect(try fingerprint(server.store) == before)
        }
    }

    @Test(.enabled(if: TestData.referencePython != nil, "needs scripts/setup-debian --tests (schemathesis)"))
    func schemathesisFindsNoServerError() async throws {
        try await withTestServer { server in
            // (In the server's temporary folder: schemathesis keeps a cache where it runs.)
            let (status, output) = try await TestData.runDetached(TestData.referencePython!, [
                "-m", "schemathesis.cli", "run", server.base.absoluteString + "/openapi.json",
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance",
                "--max-examples", "15", "--seed", "1", "--exclude-path", "/stream", "--no-color",
            ], in: server.folder)
            #expect(status == 0, "\(output.suffix(4000))")
        }
    }
}
