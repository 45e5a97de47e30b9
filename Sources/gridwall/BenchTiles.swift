// `gridwall bench tiles`: vector tiles of the sample district's grids and buildings, 200 tiles
// over zooms 12–16, from our encoder (one core) against PostGIS ST_AsMVT with ST_AsMVTGeom
// and a GiST index (the tool a user would reach for) in the same run on the same tiles.
// Features per tile are compared before any ratio is printed. Then the export of zooms 10–16
// beside tippecanoe (BenchTilesExport).
import ArgumentParser
import Foundation
import GridwallCore
import GridwallGEOS
import GridwallStore

struct BenchTiles: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiles", abstract: "Vector tile encoding throughput.")

    @Option(help: "Folder with the sample district.") var geodata = "geodata"
    @Option(help: "Tiles per layer, spread over zooms 12–16.") var tiles = 200
    @Option(help: "Repetitions of the timed Gridwall run (the median is reported).") var repeats = 5
    @Option(help: "PostGIS: auto (when installed), off.") var postgis = "auto"
    @Option(help: "tippecanoe for the export comparison (default: on the PATH; skipped if missing).") var tippecanoe: String?
    @Flag(help: "Only Gridwall's timed tiles (no export, no PostGIS): for profiling.") var tilesOnly = false
    @Option(help: "The layers to time: grids, buildings or both, comma-separated.") var layers = "grids,buildings"

    func validate() throws {
        let unknown = layers.split(separator: ",").filter { $0 != "grids" && $0 != "buildings" }
        guard unknown.isEmpty else { throw ValidationError("--layers: unknown layer \(unknown.joined(separator: ", ")); the layers are grids and buildings") }
    }

    func run() throws {
        print("# gridwall bench tiles — \(tiles) tiles per layer, zooms 12–16, 1 core, \(ISOTime.format(Int64(Date().timeIntervalSince1970)))")
        let areas = try FeatureReader.read(path: (geodata as NSString).appendingPathComponent("areas.geojson"), format: .geojson)
        let records = areas.map { f in
            AreaRecord(id: f.properties["id"]?.stringValue ?? "", name: f.properties["name"]?.stringValue ?? "",
                       level: AreaLevel(rawValue: f.properties["level"]?.stringValue ?? "") ?? .grid, parentID: f.properties["parent_id"]?.stringValue,
                       population: Int(f.properties["population"]?.doubleValue ?? 0), households: Int(f.properties["households"]?.doubleValue ?? 0),
                       geometry: f.geometry)
        }
        let buildingFeatures = try FeatureReader.read(path: (geodata as NSString).appendingPathComponent("buildings.geojson"), format: .geojson)
        let buildings = buildingFeatures.map { f in
            BuildingRecord(id: f.properties["id"]?.stringValue ?? "", height: f.properties["height"]?.doubleValue ?? 0,
                           floors: Int(f.properties["floors"]?.doubleValue ?? 0), geometry: f.geometry)
        }
        let district = try require(records.first { $0.level == .district }?.geometry.boundingBox, "no district in \(geodata)")
        let sample = Self.tiles(over: district, count: tiles)
        print("tiles: " + (12...16).map { z in "z\(z) \(sample.filter { $0.z == z }.count)" }.joined(separator: ", "))

        let grids = TileSource.areas(records, level: .grid, name: "grids", description: "grids")
        let buildingSource = TileSource.buildings(buildings) { _ in nil }
        let wanted = Set(self.layers.split(separator: ",").map { String($0) })
        let layers: [(String, TileSource, String)] = [
            ("grids", grids, "id, name, parent_id, population, households"),
            ("buildings", buildingSource, "id, height, floors, households, residents"),
        ].filter { wanted.contains($0.0) }
        var ours: [String: (seconds: Double, bytes: Int, features: [Int])] = [:]
        for (name, source, _) in layers {
            var runs: [Double] = [], bytes = 0, features: [Int] = []
            for _ in 0..<max(1, repeats) {
                var total = 0, counts: [Int] = []
                let cutter = GeosTileCutter()
                runs.append(try timed {
                    for t in sample {
                        let layer = try source.layer(t, cutter: cutter)
                        total += MVTTile.encode([layer]).count
                        counts.append(layer.featureCount)
                    }
                })
                bytes = total; features = counts
            }
            let median = runs.sorted()[runs.count / 2]
            ours[name] = (median, bytes, features)
            print(String(format: "Gridwall %-10@ %8.1f ms  %8.0f tiles/s  %d features, %d kB  (best %.0f tiles/s, %d runs)", name as NSString,
                         median * 1000, Double(sample.count) / median, features.reduce(0, +), bytes / 1024,
                         Double(sample.count) / runs.min()!, runs.count))
            // Warm: the same tiles again from the server's tile cache, filled by one cold pass
            // (the key made per request as a string, as the server makes its ETag).
            var cache = TileCache<String>()
            for t in sample { cache.insert(MVTTile.encode([try source.layer(t, cutter: GeosTileCutter())]), for: "\(name)|\(t)") }
            var served = 0
            let warm = try timed { for _ in 0..<100 { for t in sample { served += cache["\(name)|\(t)"]?.count ?? 0 } } } / 100
            print(String(format: "         %-10@ warm: %.2f ms, %.0f tiles/s from the tile cache (%d kB served per pass)", name as NSString,
                         warm * 1000, Double(sample.count) / warm, served / 100 / 1024))
        }

        guard !tilesOnly else { return }
        try exportBesideTippecanoe()

        guard postgis != "off" else { return }
        guard let cluster = try PostGISCluster.start() else {
            print("PostGIS: not installed (apt-get install postgresql-15-postgis-3); skipped")
            return
        }
        defer { cluster.stop() }
        // Hex WKB keeps every coordinate bit; PostGIS projects to Web Mercator once, at load.
        func hex(_ g: Geometry) -> String { WKB.encode(g).map { String(format: "%02X", $0) }.joined() }
        var gridRows = "", buildingRows = ""
        for a in records where a.level == .grid {
            gridRows += "\(a.id)\t\(a.name)\t\(a.parentID ?? "")\t\(a.population)\t\(a.households)\t\(hex(a.geometry))\n"
        }
        for b in buildings { buildingRows += "\(b.id)\t\(b.height)\t\(b.floors)\t\(b.households)\t\(b.residents)\t\(hex(b.geometry))\n" }
        let gridFile = try cluster.file("grids.tsv", gridRows), buildingFile = try cluster.file("buildings.tsv", buildingRows)
        let tileList = sample.map { "(\($0.z),\($0.x),\($0.y))" }.joined(separator: ",")
        func timedQuery(_ table: String, _ columns: String) -> String {
            """
            SELECT coalesce(sum(length(t.mvt)), 0) AS bytes FROM (VALUES \(tileList)) AS k(z, x, y) CROSS JOIN LATERAL (
              SELECT ST_AsMVT(q, '\(table)', 4096, 'geom') AS mvt FROM (
                SELECT \(columns), ST_AsMVTGeom(g.geom, ST_TileEnvelope(k.z, k.x, k.y), 4096, 64, true) AS geom
                FROM \(table) g WHERE g.geom && ST_TileEnvelope(k.z, k.x, k.y, margin => 64.0 / 4096)) q) t;
            """
        }
        func countQuery(_ table: String) -> String {
            """
            \\copy (SELECT k.n, (SELECT count(*) FROM \(table) g WHERE g.geom && ST_TileEnvelope(k.z, k.x, k.y, margin => 64.0 / 4096) AND ST_AsMVTGeom(g.geom, ST_TileEnvelope(k.z, k.x, k.y), 4096, 64, true) IS NOT NULL) FROM (VALUES \(sample.enumerated().map { "(\($0.offset),\($0.element.z),\($0.element.x),\($0.element.y))" }.joined(separator: ","))) AS k(n, z, x, y) ORDER BY k.n) TO '\(cluster.dir)/\(table)-counts.csv' CSV
            """
        }
        let output = try cluster.psql("""
            CREATE EXTENSION postgis;
            CREATE TABLE raw_grids (id text, name text, parent_id text, population int, households int, wkb text);
            \\copy raw_grids FROM '\(gridFile)'
            CREATE TABLE grids AS SELECT id, name, parent_id, population, households, ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(wkb, 'hex')), 4326), 3857) AS geom FROM raw_grids;
            CREATE INDEX ON grids USING gist (geom);
            CREATE TABLE raw_buildings (id text, height float8, floors int, households int, residents int, wkb text);
            \\copy raw_buildings FROM '\(buildingFile)'
            CREATE TABLE buildings AS SELECT id, height, floors, households, residents, ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(wkb, 'hex')), 4326), 3857) AS geom FROM raw_buildings;
            CREATE INDEX ON buildings USING gist (geom);
            VACUUM ANALYZE;
            \(timedQuery("grids", "g.id, g.name, g.parent_id, g.population, g.households"))
            \\timing on
            \(timedQuery("grids", "g.id, g.name, g.parent_id, g.population, g.households"))
            \(timedQuery("buildings", "g.id, g.height, g.floors, g.households, g.residents"))
            \\timing off
            \(countQuery("grids"))
            \(countQuery("buildings"))
            """)
        let timings = PostGISCluster.timings(output)
        guard timings.count >= 2 else { throw GridwallError(.io, "PostGIS printed no timings: \(output.suffix(500))") }
        for (name, _, columns) in layers {
            let seconds = timings[name == "grids" ? 0 : 1] / 1000
            let counts = try String(contentsOfFile: "\(cluster.dir)/\(name)-counts.csv", encoding: .utf8).split(separator: "\n")
                .compactMap { Int($0.split(separator: ",").last ?? "") }
            let mine = ours[name]!
            let same = zip(counts, mine.features).filter { $0 == $1 }.count
            let off = zip(counts, mine.features).map { abs($0 - $1) }.max() ?? 0
            print(String(format: "PostGIS  %-10@ %8.1f ms  %8.0f tiles/s  %d features (ST_AsMVT, ST_AsMVTGeom, GiST; attributes %@)", name as NSString,
                         seconds * 1000, Double(sample.count) / seconds, counts.reduce(0, +), columns as NSString))
            print("features per tile: \(same) of \(sample.count) tiles equal; the others differ by at most \(off) "
                  + "(features that only touch the buffer, or collapse below a tile unit, are kept by one and dropped by the other)")
            print(String(format: "ratio: Gridwall / PostGIS = %.1f× on %@", seconds / mine.seconds, name as NSString))
        }
    }

    /// Tiles over the district at zooms 12–16: every tile at the lower zooms while they are
    /// few, then a seeded sample, `count` in all.
    static func tiles(over box: BoundingBox, count: Int) -> [TileID] {
        var rng = SeededRandom(seed: 12)
        var out: [TileID] = []
        let perZoom = count / 5
        for z in 12...16 {
            var all = TileID.covering(box, zoom: z)
            let want = z == 16 ? count - out.count : min(perZoom, all.count)
            var chosen: [TileID] = []
            while chosen.count < want && !all.isEmpty { chosen.append(all.remove(at: rng.int(0, all.count - 1))) }
            out += chosen
        }
        return out
    }
}
