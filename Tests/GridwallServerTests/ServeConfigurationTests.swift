// gridwall serve's settings: file, then environment, each key checked and named in errors;
// and /metrics counting what the server did.
import Foundation
import Testing
import GridwallCore
import GridwallServer
import GridwallTestSupport

@Suite struct ServeConfigurationTests {
    func file(_ text: String) throws -> String {
        let path = try TestData.scratchFolder("settings").appendingPathComponent("gridwall.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theEnvironmentWinsOverTheFileAndTheExampleLoads() throws {
        let path = try file("port: 9000\nhost: 127.0.0.2\nservice_margin_km: 5\ncategories:\n  noise: [police]\n")
        let c = try ServeConfiguration.load(file: path, environment: ["GRIDWALL_PORT": "9100", "GRIDWALL_BODY_LIMIT_MB": "2", "HOME": "/x"])
        #expect(c.port == 9100 && c.host == "127.0.0.2" && c.serviceMarginKm == 5 && c.bodyLimitMb == 2)
        let options = try c.serverOptions()
        #expect(options.bodyLimit == 2 << 20 && options.serviceMargin == 5_000)
        #expect(try options.categories.kinds(for: "noise", at: "x") == ["police"])
        #expect(throws: GridwallError.self) { try options.categories.kinds(for: "fire_hazard", at: "x") }
        let example = try ServeConfiguration.load(file: TestData.url("Docs/gridwall.example.yaml").path, environment: [:])
        #expect(example.port == 8080 && example.categories?["smoke_alarm"] == ["fire"])
        #expect(try example.serverOptions().speeds.speed("volunteer") == 1.4)
    }

    @Test func badSettingsAreNamed() throws {
        func failure(_ text: String, environment: [String: String] = [:]) throws -> GridwallError? {
            do { _ = try ServeConfiguration.load(file: try file(text), environment: environment).serverOptions(); return nil } catch let e as GridwallError { return e }
        }
        #expect(try failure("prot: 80")?.location?.hasSuffix("prot") == true)
        #expect(try failure("port: eighty")?.location?.hasSuffix("port") == true)
        #expect(try failure("port: 99999")?.location == "port")
        #expect(try failure("body_limit_mb: 0")?.location == "body_limit_mb")
        #expect(try failure("categories: [noise]")?.location?.hasSuffix("categories") == true)
        #expect(try failure("- a list")?.message.contains("mapping") == true)
        #expect(try failure("port: [")?.message.contains("YAML") == true)
        #expect(try failure("", environment: ["GRIDWALL_SERVICE_MARGIN_KM": "far"])?.location == "GRIDWALL_SERVICE_MARGIN_KM")
        #expect(try failure("speeds: police=fast")?.location?.contains("speeds") == true)
    }

    @Test func metricsCountRequestsByRouteAndIngest() async throws {
        try await withTestServer { server in
            for _ in 0..<3 { _ = try await exchange(server.base, "GET", "/assign?lon=120.2&lat=30.3") }
            _ = try await exchange(server.base, "GET", "/assign?lon=120.2")
            let p = try server.store.analysisEvents().events[0].position
            let body = #"[{"id":"m1","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-01T00:00:00Z","category":"noise"},{"id":"m2","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-01T00:00:00Z","category":"noise"}]"#
            #expect(try await exchange(server.base, "POST", "/events", body: Data(body.utf8)).0 == 201)
            let (status, data, response) = try await exchange(server.base, "GET", "/metrics")
            #expect(status == 200 && response.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain") == true)
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            func value(_ prefix: String) -> Double? { lines.first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last ?? "") } }
            #expect(value(#"gridwall_http_requests_total{route="/assign",method="GET",status="200"}"#) == 3)
            #expect(value(#"gridwall_http_requests_total{route="/assign",method="GET",status="400"}"#) == 1)
            #expect(value("gridwall_events_ingested_total") == 2)
            #expect(value(#"gridwall_index_features{layer="grids"}"#) == Double(server.services.assignment.engineAndAreas.engine.grids.count))
            #expect(lines.contains { $0.hasPrefix("gridwall_http_request_duration_seconds_bucket") })
        }
    }
}
