// GET /heatmap/series over HTTP: a community's daily series adds up to what /heatmap counts for
// it over the same whole days (a different path: the day totals), and bad requests name the
// parameter at fault.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore

@Suite struct SeriesRouteTests {
    func get(_ server: TestServer, _ path: String) async throws -> (Int, JSONValue) {
        let (status, data, _) = try await exchange(server.base, "GET", path)
        return (status, (try? JSONValue.parse(data)) ?? .null)
    }

    @Test func aCommunitysDailySeriesAddsUpToItsHeatmapCount() async throws {
        try await withTestServer { server in
            let analysis = server.services.heatmaps.analysis
            let lastDay = (analysis.events.times.last! / 86_400) * 86_400
            let from = ISOTime.format(lastDay - 20 * 86_400), to = ISOTime.format(lastDay)
            let (_, heat) = try await get(server, "/heatmap?by=grid&level=community&from=\(from)&to=\(to)")
            let busiest = try #require(heat["features"]?.arrayValue?.max { ($0["properties"]?["count"]?.doubleValue ?? 0) < ($1["properties"]?["count"]?.doubleValue ?? 0) })
            let id = try #require(busiest["properties"]?["id"]?.stringValue)
            let (status, series) = try await get(server, "/heatmap/series?community=\(id)&step=day&from=\(from)&to=\(to)")
            #expect(status == 200, "\(series)")
            #expect(series["series"]?.arrayValue?.count == 20 && series["from"] == .string(from) && series["to"] == .string(to))
            #expect(series["total"]?.doubleValue == busiest["properties"]?["count"]?.doubleValue && (series["total"]?.doubleValue ?? 0) > 0)
            let sum = (series["series"]?.arrayValue ?? []).reduce(0.0) { $0 + ($1["count"]?.doubleValue ?? 0) }
            #expect(sum == series["total"]?.doubleValue)

            let (badStep, e1) = try await get(server, "/heatmap/series?step=month")
            #expect(badStep == 400 && e1["error"]?["where"] == .string("step"))
            let (unknown, e2) = try await get(server, "/heatmap/series?grid=nope")
            #expect(unknown == 404 && e2["error"]?["where"] == .string("grid"))
            let (tooMany, e3) = try await get(server, "/heatmap/series?step=hour&from=2000-01-01T00:00:00Z")
            #expect(tooMany == 400 && e3["error"]?["where"] == .string("step") && e3["error"]?["code"] == .string("over_budget"), "\(e3)")
            // Twelve hours of the window's first day (the emerging hot spots' step, day or week, is another parameter).
            let day = String(from.prefix(10))
            let (hourly, h) = try await get(server, "/heatmap/series?step=hour&from=\(day)T00:00:00Z&to=\(day)T12:00:00Z")
            #expect(hourly == 200 && h["series"]?.arrayValue?.count == 12 && h["step"] == .string("hour"), "\(h)")
        }
    }
}
