// An offline wall must show what the live wall shows: every tile of an MBTiles export is, once
// unzipped, byte for byte the tile the server answers for the same source and z/x/y (the
// export stores rows in TMS order), and around the exported tiles the server has none the
// export lacks. (Area tiles differ by design: live ones carry the heat figures of the moment,
// exported ones do not; their geometry is checked by the pyramid test against GEOS.) And the
// tiles issue's walkthrough: a served store read by GDAL's MVT and OGC API – Features drivers.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore
import GridwallTestSupport

@Suite(.serialized) struct TileExportTests {
    @Test(arguments: [("buildings", 15, 15), ("cameras", 13, 14)])
    func exportedTilesAreTheLiveTiles(_ source: String, _ minzoom: Int, _ maxzoom: Int) async throws {
        // A copy of the district of its own: the other CLI tests use the shared store meanwhile.
        let dir = try TestData.scratchFolder("export")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: CLITests.district.appendingPathComponent("gridwall.sqlite"), to: dir.appendingPathComponent("gridwall.sqlite"))
        let file = "export-\(source).mbtiles"
        try? FileManager.default.removeItem(at: dir.appendingPathComponent(file))
        let export = try await TestData.detached {
            try CLITests.run(["tiles", "export", file, "--sources", source, "--minzoom", "\(minzoom)", "--maxzoom", "\(maxzoom)"], in: dir)
        }
        #expect(export.status == 0, "\(export.stderr)")
        // Every stored tile: z, x, TMS row, gzipped bytes in hex.
        let listing = try await TestData.runDetached("/usr/bin/sqlite3", ["-batch", dir.appendingPathComponent(file).path,
                                                                           "SELECT zoom_level, tile_column, tile_row, hex(tile_data) FROM tiles"])
        #expect(listing.status == 0, "\(listing.output)")
        var exported: [String: Data] = [:]
        for line in listing.output.split(separator: "\n") {
            let f = line.split(separator: "|")
            guard f.count == 4, let z = Int(f[0]), let x = Int(f[1]), let row = Int(f[2]) else { continue }
            exported["\(z)/\(x)/\((1 << z) - 1 - row)"] = try gunzip(hex(String(f[3])), in: dir)
        }
        #expect(exported.count > 10, "only \(exported.count) tiles exported")

        let port = freePort()
        let server = try await startServer(store: dir.appendingPathComponent("gridwall.sqlite").path, port: port,
                                           log: dir.appendingPathComponent("export-serve.log"))
        defer { server.terminate(); server.waitUntilExit() }
        // Exported tiles equal the live ones; around them, the live server has nothing the export lacks.
        var checked = 0, empty = 0
        let keys = exported.keys.sorted()
        var neighbours = Set<String>()
        for key in keys {
            let p = key.split(separator: "/").compactMap { Int($0) }
            for (dx, dy) in [(-1, 0), (1, 0), (0, -1), (0, 1)] where p[1] + dx >= 0 && p[2] + dy >= 0 {
                neighbours.insert("\(p[0])/\(p[1] + dx)/\(p[2] + dy)")
            }
        }
        for key in Set(keys).union(neighbours).sorted() {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/tiles/\(source)/\(key).mvt")!)
            request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as! HTTPURLResponse).statusCode
            if let stored = exported[key] {
                #expect(status == 200 && data == stored, "\(source) \(key): live \(status), \(data.count) bytes; exported \(stored.count)")
                checked += 1
            } else {
                #expect(status == 204, "\(source) \(key) is live (\(status)) but not exported")
                empty += 1
            }
        }
        #expect(checked == exported.count && empty > 0)
    }

    func hex(_ text: String) -> Data {
        var out = Data(capacity: text.utf8.count / 2)
        var iterator = text.utf8.makeIterator()
        while let a = iterator.next(), let b = iterator.next() {
            func v(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 55 }
            out.append(v(a) << 4 | v(b))
        }
        return out
    }

    func gunzip(_ data: Data, in dir: URL) throws -> Data {
        let path = dir.appendingPathComponent("tile-\(UUID().uuidString).gz")
        try data.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let (status, _) = try TestData.run("/usr/bin/gzip", ["-t", path.path])
        guard status == 0 else { throw GridwallError(.io, "an exported tile is not gzip") }
        let out = dir.appendingPathComponent("tile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try TestData.run("/bin/sh", ["-c", "gzip -dc '\(path.path)' > '\(out.path)'"])
        return try Data(contentsOf: out)
    }

    /// The tiles issue's walkthrough, scripted: a store served by `gridwall serve`, its buildings'
    /// TileJSON naming the height field, a tile from its URL template that GDAL's MVT driver
    /// reads with heights, and GDAL's OGC API – Features driver listing every layer.
    @Test(.enabled(if: TestData.tool("ogrinfo") != nil, "needs gdal-bin"))
    func aServedStoreReachesGISTools() async throws {
        try await withServedDistrictCopy("walkthrough") { dir, port in
            let (json, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/tiles/buildings.json")!)
            let tileJSON = try JSONValue.parse(json)
            #expect(tileJSON["tilejson"] == .string("3.0.0"))
            #expect(tileJSON["vector_layers"]?.arrayValue?.first?["fields"]?["height"] == .string("Number"))
            let template = try #require(tileJSON["tiles"]?.arrayValue?.first?.stringValue)
            // The zoom-16 tile under the first building of the sample.
            let building = try #require(try TestData.features(TestData.url("geodata/buildings.geojson")).first?.geometry.boundingBox?.center)
            let w = TileID.world(building), n = Double(1 << 16)
            let (x, y) = (Int(w.x * n), Int(w.y * n))
            let url = template.replacingOccurrences(of: "{z}", with: "16").replacingOccurrences(of: "{x}", with: "\(x)").replacingOccurrences(of: "{y}", with: "\(y)")
            var request = URLRequest(url: URL(string: url)!)
            request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
            let (tile, response) = try await URLSession.shared.data(for: request)
            #expect((response as! HTTPURLResponse).statusCode == 200 && !tile.isEmpty)
            // GDAL georeferences a single tile by its z/x/y path.
            let folder = dir.appendingPathComponent("16/\(x)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("\(y).mvt")
            try tile.write(to: file)
            let ogrinfo = try #require(TestData.tool("ogrinfo"))
            let (status, listing) = try await TestData.runDetached(ogrinfo, ["-ro", "-al", file.path])
            #expect(status == 0 && listing.contains("Layer name: buildings"), "\(listing.prefix(2000))")
            #expect(listing.contains("height (Real) = "), "\(listing.prefix(2000))")
            let (listed, layers) = try await TestData.runDetached(ogrinfo, ["-ro", "-so", "OAPIF:http://127.0.0.1:\(port)"])
            #expect(listed == 0, "\(layers)")
            for layer in ["areas", "buildings", "cameras", "responders", "events"] { #expect(layers.contains(": \(layer) "), "\(layers)") }
        }
    }
}
