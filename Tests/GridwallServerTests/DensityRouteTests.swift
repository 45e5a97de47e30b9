// GET /heatmap?by=kde makes its raster outside the analysis's lock from the positions read under
// it: the answer, isobands and PNG alike, is the one the analysis gives for the same request.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallAnalysis
import GridwallCore

@Suite struct DensityRouteTests {
    @Test func theRoutesDensityIsTheAnalysissAnswer() async throws {
        try await withTestServer { server in
            let analysis = server.services.heatmaps.analysis
            let lastDay = (analysis.events.times.last! / 86_400) * 86_400
            let window = "from=\(ISOTime.format(lastDay - 20 * 86_400))&to=\(ISOTime.format(lastDay))"
            for query in ["by=kde&format=geojson&bandwidth_m=400&cell_m=40&\(window)", "by=kde&bandwidth_m=300&cell_m=50&category=noise&\(window)"] {
                let parameters = Dictionary(uniqueKeysWithValues: query.split(separator: "&").map { pair in
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), String(parts[1]))
                })
                let expected = try analysis.heatmap(HeatmapRequest(given: Array(parameters.keys)) { parameters[$0] })
                let (status, data, response) = try await exchange(server.base, "GET", "/heatmap?\(query)")
                #expect(status == 200, "\(query): \(String(decoding: data, as: UTF8.self).prefix(300))")
                switch expected {
                case .features:
                    #expect(String(decoding: data, as: UTF8.self) == expected.geoJSON && data.count > 1_000, "\(query)")
                case .image(let png, let summary):
                    #expect(Array(data) == png && png.count > 1_000, "\(query)")
                    #expect(response.value(forHTTPHeaderField: "X-Gridwall-Corners") == summary["corners"]?.serialized)
                }
            }
        }
    }
}
