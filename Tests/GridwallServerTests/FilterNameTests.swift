// A filter naming a category, status or responder kind that nothing can have is a 400 naming
// the known ones, on every route that filters (an empty answer would look like a quiet
// district); a category of stored events that the configuration does not list is still known.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore

@Suite struct FilterNameTests {
    static let filtering = ["/events?", "/heatmap?by=grid&", "/heatmap?by=kde&", "/heatmap/series?", "/summary?",
                            "/tiles/heat/14/13660/6750.png?", "/tiles/events/14/13660/6750.mvt?", "/tiles/grids.json?"]

    @Test func unknownNamesAreRefusedWithTheKnownOnes() async throws {
        // The stored events have "noise"; the configuration here does not list it.
        try await withTestServer(options: { $0.categories.kinds["noise"] = nil }) { server in
            for route in Self.filtering {
                for (parameter, value, list) in [("category", "noize", "categories: "), ("status", "closed", "statuses: reported, dispatched, resolved")] {
                    let (status, body, _) = try await exchange(server.base, "GET", route + "\(parameter)=noise,\(value)")
                    let error = (try? JSONValue.parse(body))?["error"]
                    #expect(status == 400 && error?["where"]?.stringValue == parameter, "\(route)\(parameter): \(status)")
                    let message = error?["message"]?.stringValue ?? ""
                    #expect(message.contains("\"\(value)\"") && message.contains(list), "\(route)\(parameter): \(message)")
                    if parameter == "category" { #expect(message.contains("noise") && message.contains("fire_hazard"), "\(message)") }
                }
                // Known names answer, "noise" included: stored events have it.
                let (status, _, _) = try await exchange(server.base, "GET", route + "category=noise&status=reported")
                #expect([200, 204].contains(status), "\(route): \(status)")
            }
            let (noise, body, _) = try await exchange(server.base, "GET", "/summary?category=noise")
            let events = try JSONValue.parse(body)["events"]?.doubleValue ?? 0
            #expect(noise == 200 && events > 0)

            let (status, body2, _) = try await exchange(server.base, "GET", "/nearest?lon=120.2&lat=30.3&kind=police,polise")
            let message = try JSONValue.parse(body2)["error"]?["message"]?.stringValue ?? ""
            #expect(status == 400 && message.contains("\"polise\"") && message.contains("police") && message.contains("grid_worker"), "\(message)")
            let (known, _, _) = try await exchange(server.base, "GET", "/nearest?lon=120.2&lat=30.3&kind=police,fire&skills=first_aid")
            #expect(known == 200)
            let (skill, body3, _) = try await exchange(server.base, "GET", "/nearest?lon=120.2&lat=30.3&skills=first_aid,first_aide")
            let says = try JSONValue.parse(body3)["error"]?["message"]?.stringValue ?? ""
            #expect(skill == 400 && says.contains("\"first_aide\"") && says.contains("first_aid,"), "\(says)")
        }
    }
}
