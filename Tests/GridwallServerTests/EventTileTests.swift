// The live events tiles read back by GDAL: below zoom 15 the counts per cell add up to the
// events that fall in the tile, above it every event in the tile and its buffer is there once
// (each counted here by its own Web Mercator arithmetic, not the server's).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct EventTileTests {
    /// Where an event falls on a tile's 4096 grid, by the spherical Mercator formula.
    static func pixel(_ p: Coordinate, _ tile: TileID) -> (x: Double, y: Double) {
        let n = Double(1 << tile.z), lat = p.y * .pi / 180
        let wx = (p.x + 180) / 360 * n - Double(tile.x), wy = (1 - log(tan(lat) + 1 / cos(lat)) / .pi) / 2 * n - Double(tile.y)
        return ((wx * 4096).rounded(), (wy * 4096).rounded())
    }

    @Test(.enabled(if: TestData.tool("ogr2ogr") != nil, "needs gdal-bin"))
    func eventsTilesHoldTheEventsInThem() async throws {
        try await withTestServer { server in
            let events = try server.store.analysisEvents().events
            // The busiest tile at zoom 16, and the zoom 12 tile holding it.
            var counts: [String: (TileID, Int)] = [:]
            for e in events {
                let n = 1 << 16, lat = e.position.y * .pi / 180
                let t = try TileID(z: 16, x: Int((e.position.x + 180) / 360 * Double(n)), y: Int((1 - log(tan(lat) + 1 / cos(lat)) / .pi) / 2 * Double(n)))
                counts["\(t)", default: (t, 0)].1 += 1
            }
            let street = try #require(counts.values.max { $0.1 < $1.1 }?.0)
            let wide = try TileID(z: 12, x: street.x >> 4, y: street.y >> 4)
            for (tile, buffer) in [(wide, 0.0), (street, 64.0)] {
                let (status, body, _) = try await exchange(server.base, "GET", "/tiles/events/\(tile.z)/\(tile.x)/\(tile.y).mvt?from=2000-01-01T00:00:00Z")
                #expect(status == 200)
                let features = try TestData.decodeMVT(Array(body), tile)
                let inside = events.filter { e in
                    let p = Self.pixel(e.position, tile)
                    return p.x >= -buffer && p.y >= -buffer && p.x < 4096 + buffer && p.y < 4096 + buffer
                }
                let total = features.compactMap { $0.properties["count"]?.doubleValue }.reduce(0, +)
                #expect(inside.count > 5 && abs(total - Double(inside.count)) <= 1, "z\(tile.z): \(total) counted, \(inside.count) inside")
                if tile.z >= 15 {
                    let ids = Set(features.compactMap { $0.properties["id"]?.stringValue })
                    #expect(ids.symmetricDifference(Set(inside.map(\.id))).count <= 1 && ids.count == features.count, "z\(tile.z)")
                }
            }
        }
    }
}
