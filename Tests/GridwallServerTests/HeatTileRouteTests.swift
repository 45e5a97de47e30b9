// Heat tiles over HTTP: a zoom-18 tile over the district's busiest spot is a PNG with an ETag,
// and asking again with that ETag is a 304; the tiles over the district at every zoom, and the
// far corner tiles, are PNGs too (a low-zoom tile reaches far beyond the analysis CRS's domain).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore

@Suite struct HeatTileRouteTests {
    /// Where the district's density peaks (300 m / 50 m), in Web Mercator's unit square.
    static func densestSpot(_ server: TestServer) throws -> (x: Double, y: Double) {
        let analysis = server.services.heatmaps.analysis
        let whole = try analysis.density(filter: EventFilter(), bandwidth: 300, cellSize: 50)
        let densest = whole.values.indices.max { whole.values[$0] < whole.values[$1] }!
        let w = TileID.world(try analysis.lonLat(whole.centre(column: densest % whole.columns, row: densest / whole.columns)))
        return (w.x, w.y)
    }

    @Test func aZoom18HeatTileHasAnETag() async throws {
        try await withTestServer { server in
            let w = try Self.densestSpot(server), n = Double(1 << 18)
            let x = Int(w.x * n), y = Int(w.y * n)
            let path = "/tiles/heat/18/\(x)/\(y).png?bandwidth_m=300&cell_m=50"
            let (status, body, response) = try await exchange(server.base, "GET", path)
            #expect(status == 200 && body.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
            let etag = try #require(response.value(forHTTPHeaderField: "ETag"))
            let (again, _, _) = try await exchange(server.base, "GET", path, headers: ["If-None-Match": etag])
            #expect(again == 304)
        }
    }

    @Test func everyZoomFromTheWorldToAStreetIsAPNG() async throws {
        try await withTestServer { server in
            let w = try Self.densestSpot(server)
            for z in 0...22 {
                let n = Double(1 << z), last = (1 << z) - 1
                for (x, y) in [(Int(w.x * n), Int(w.y * n)), (0, 0), (last, last), (last, 0)] {
                    let (status, body, _) = try await exchange(server.base, "GET", "/tiles/heat/\(z)/\(x)/\(y).png")
                    #expect(status == 200 && body.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]),
                            "z\(z)/\(x)/\(y): \(status) \(String(decoding: body.prefix(200), as: UTF8.self))")
                }
            }
        }
    }
}
