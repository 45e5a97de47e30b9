// The command-line tool as a user runs it: the built `gridwall` binary in a child process, on a
// small generated district imported layer by layer. Exit codes (0 done, 64 a bad parameter, 1
// bad input), what lands on stdout and stderr, and the errors naming what and where.
import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite(.serialized) struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary `swift build` puts beside the test bundle.
    static let binary: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gridwall")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return TestData.url(".build/debug/gridwall")
    }()

    static func run(_ arguments: [String], in dir: URL) throws -> Run {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes while the child runs, so a full pipe cannot block it.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !reader.isFinished { usleep(1_000) }
        return Run(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A small generated district imported into a fresh store, shared by the tests.
    static let district: URL = {
        let dir = try! TestData.scratchFolder("cli")
        let generated = try! run(["generate", "--small", "--out", "district"], in: dir)
        precondition(generated.status == 0, generated.stderr)
        for (layer, file) in [("areas", "areas.geojson"), ("buildings", "buildings.geojson"), ("cameras", "cameras.geojson"),
                              ("responders", "responders.geojson"), ("events", "events.csv")] {
            let imported = try! run(["import", layer, "district/\(file)"], in: dir)
            precondition(imported.status == 0, "import \(layer): \(imported.stderr)")
        }
        return dir
    }()

    @Test func importRejectsAnInvalidPolygonNamingTheFeature() throws {
        let dir = Self.district
        // A bow tie: self-intersecting at (120.005, 30.005).
        let bowTie = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"b1","height":10},"geometry":{"type":"Polygon","coordinates":[[[120,30],[120.01,30.01],[120.01,30],[120,30.01],[120,30]]]}}]}"#
        try Data(bowTie.utf8).write(to: dir.appendingPathComponent("bowtie.geojson"))
        let rejected = try Self.run(["import", "buildings", "bowtie.geojson", "--store", "other.sqlite"], in: dir)
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("feature 1") && rejected.stderr.lowercased().contains("self-intersection"), "\(rejected.stderr)")
        let repaired = try Self.run(["import", "buildings", "bowtie.geojson", "--store", "other.sqlite", "--repair"], in: dir)
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(repaired.stderr.contains("feature 1"), "the repair is reported: \(repaired.stderr)")
        let unknown = try Self.run(["import", "roads", "bowtie.geojson", "--store", "other.sqlite"], in: dir)
        #expect(unknown.status != 0 && unknown.stderr.contains("roads"), "\(unknown.stderr)")
    }

    /// `plan check`: the district's own grids pass (exit 0); a layer from another system, with
    /// its own field names and one grid missing, fails (exit 1) naming the gap, and --out holds
    /// it as GeoJSON; a bad option is named (exit 64).
    @Test func planCheckPassesTheDistrictAndNamesAGap() throws {
        let dir = Self.district
        let clean = try Self.run(["plan", "check", "district/areas.geojson"], in: dir)
        #expect(clean.status == 0 && clean.stdout.contains("no findings"), "\(clean.stdout)\(clean.stderr)")
        let grids = try TestData.features(dir.appendingPathComponent("district/areas.geojson"))
            .filter { $0.properties["level"] == .string("grid") }
        let missing = grids[grids.count / 2]
        let other = grids.filter { $0 != missing }.map {
            Feature(geometry: $0.geometry, properties: ["CODE": $0.properties["id"]!, "COMM": $0.properties["parent_id"]!])
        }
        try Data(GeoJSON.featureCollection(other).utf8).write(to: dir.appendingPathComponent("other.geojson"))
        let found = try Self.run(["plan", "check", "other.geojson", "--id-field", "CODE", "--parent-field", "COMM", "--out", "findings.geojson"], in: dir)
        #expect(found.status == 1, "\(found.stdout)\(found.stderr)")
        #expect(found.stdout.contains("gap: ") && found.stdout.contains(missing.properties["parent_id"]!.stringValue!), "\(found.stdout)")
        let findings = try TestData.features(dir.appendingPathComponent("findings.geojson"))
        #expect(findings.contains { $0.properties["kind"] == .string("gap") && $0.properties["parent"] == missing.properties["parent_id"] })
        let bad = try Self.run(["plan", "check", "other.geojson", "--level", "village"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--level"), "\(bad.stderr)")
    }

    /// A plan for one community that renames its fullest grid: everything in that grid moves to
    /// the new id and nothing else moves; the rest of the layer stays.
    @Test func planImpactMovesARenamedGridsContents() throws {
        let dir = Self.district
        let grids = try TestData.features(dir.appendingPathComponent("district/areas.geojson")).filter { $0.properties["level"] == .string("grid") }
        let fullest = grids.max { ($0.properties["households"]?.doubleValue ?? 0) < ($1.properties["households"]?.doubleValue ?? 0) }!
        let old = fullest.properties["id"]!.stringValue!, community = fullest.properties["parent_id"]!
        let plan = grids.filter { $0.properties["parent_id"] == community }.map { f in
            var properties = f.properties
            if f == fullest { properties["id"] = .string("NEW-1") }
            return Feature(geometry: f.geometry, properties: properties)
        }
        try Data(GeoJSON.featureCollection(plan).utf8).write(to: dir.appendingPathComponent("renamed.geojson"))
        let ran = try Self.run(["plan", "impact", "renamed.geojson", "--out", "impact.json"], in: dir)
        #expect(ran.status == 0, "\(ran.stdout)\(ran.stderr)")
        #expect(ran.stdout.contains("buildings from \(old) to NEW-1"), "\(ran.stdout)")
        let report = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("impact.json")))
        let after = try #require(report["grids"]?.arrayValue)
        #expect(after.count == grids.count)
        let renamed = try #require(after.first { $0["grid"] == .string("NEW-1") })
        #expect((renamed["buildings"]?.doubleValue ?? 0) > 0)
        let moves = try #require(report["moves"]?.arrayValue)
        #expect(moves.allSatisfy { $0["from"] == .string(old) && $0["to"] == .string("NEW-1") }, "\(moves.prefix(3))")
        for kind in ["buildings", "cameras", "events", "responders"] {
            let moved = moves.first { $0["kind"] == .string(kind) }?["count"]?.doubleValue ?? 0
            #expect(moved == renamed[kind]?.doubleValue, "\(kind)")
            #expect(report["moved"]?[kind]?.doubleValue == moved)
        }
        let bad = try Self.run(["plan", "impact", "renamed.geojson", "--households", "500-300"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--households"), "\(bad.stderr)")
    }

    @Test func assignWritesEveryRowAndReportsThroughput() throws {
        let dir = Self.district
        var csv = "name,lon,lat\n"
        var rng = SeededRandom(seed: 3)
        for i in 0..<500 { csv += "p\(i),\(rng.uniform(119.9, 120.6)),\(rng.uniform(29.9, 30.6))\n" }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("points.csv"))
        let ok = try Self.run(["assign", "points.csv", "--out", "assigned.csv"], in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.contains("assigned 500 points"), "\(ok.stderr)")
        let rows = try String(contentsOf: dir.appendingPathComponent("assigned.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 501)
        #expect(rows[0] == "name,lon,lat,grid_id,community_id,street_id,district_id,building_id,placement,nearest_grid_id,distance_m")
        #expect(rows.dropFirst().contains { $0.contains(",inside,") } && rows.dropFirst().contains { $0.contains(",outside,") })

        try Data("name,lon,lat\na,120.1,30.1\nb,abc,30.1\n".utf8).write(to: dir.appendingPathComponent("bad.csv"))
        let bad = try Self.run(["assign", "bad.csv", "--out", "bad-out.csv"], in: dir)
        #expect(bad.status == 1 && bad.stderr.contains("line 3"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad-out.csv").path), "no half-written output")
        let crs = try Self.run(["assign", "points.csv", "--crs", "mars"], in: dir)
        #expect(crs.status != 0 && crs.stderr.contains("mars"), "\(crs.stderr)")
    }

    @Test func heatmapWritesGeoJSONAndNamesBadParameters() throws {
        let dir = Self.district
        let ok = try Self.run(["heatmap", "--by", "hex", "--size-m", "300"], in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        let geojson = try JSONValue.parse(Data(ok.stdout.utf8))
        let counts = (geojson["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["count"]?.doubleValue }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 >= 1 })
        let png = try Self.run(["heatmap", "--by", "kde", "--out", "heat.png"], in: dir)
        #expect(png.status == 0, "\(png.stderr)")
        let bytes = try Data(contentsOf: dir.appendingPathComponent("heat.png"))
        #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        for (arguments, named) in [(["--by", "hex", "--size-m", "0.5"], "size_m"), (["--by", "gistar", "--weights", "distance:inf"], "weights"),
                                   (["--by", "heat"], "by")] {
            let bad = try Self.run(["heatmap"] + arguments, in: dir)
            #expect(bad.status == 64, "\(arguments): \(bad.status) \(bad.stderr)")
            #expect(bad.stderr.contains(named), "\(arguments): \(bad.stderr)")
        }
        // An output folder that does not exist is named before any work, in the system's words.
        for command in [["heatmap", "--by", "kde", "--out", "missing/heat.png"],
                        ["tiles", "export", "missing/wall.pmtiles", "--minzoom", "12", "--maxzoom", "12", "--sources", "grids"]] {
            let failed = try Self.run(command, in: dir)
            #expect(failed.status == 1 && failed.stderr.contains("the folder") && failed.stderr.contains("No such file or directory")
                    && failed.stderr.contains("missing/"), "\(command): \(failed.stderr)")
        }
    }

    @Test func nearestPrintsRespondersNearestFirst() throws {
        let dir = Self.district
        let areas = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("district/areas.geojson")))
        let grid = try #require(GeoJSON.features(from: areas).first { $0.properties["level"] == .string("grid") })
        let centre = try #require(grid.geometry.boundingBox).center
        let json = try Self.run(["nearest", "--lon", "\(centre.x)", "--lat", "\(centre.y)", "--k", "3", "--status", "available,busy", "--json"], in: dir)
        #expect(json.status == 0, "\(json.stderr)")
        let rows = try JSONValue.parse(Data(json.stdout.utf8)).arrayValue ?? []
        #expect(rows.count == 3)
        let distances = rows.compactMap { $0["distance_m"]?.doubleValue }
        #expect(distances.count == 3 && distances == distances.sorted())
        let table = try Self.run(["nearest", "--lon", "\(centre.x)", "--lat", "\(centre.y)"], in: dir)
        #expect(table.status == 0 && table.stdout.hasPrefix("id "), "\(table.stdout)")
        let bad = try Self.run(["nearest", "--lon", "\(centre.x)", "--lat", "\(centre.y)", "--status", "sleeping"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--status"), "\(bad.stderr)")
        // A kind or skill no responder has is named with the known ones, not "no responder matches".
        let kind = try Self.run(["nearest", "--lon", "\(centre.x)", "--lat", "\(centre.y)", "--kind", "police,polise"], in: dir)
        #expect(kind.status == 64 && kind.stderr.contains("unknown kind \"polise\"") && kind.stderr.contains("--kind")
                && kind.stderr.contains("grid_worker"), "\(kind.stderr)")
        let skill = try Self.run(["nearest", "--lon", "\(centre.x)", "--lat", "\(centre.y)", "--skills", "first_aide"], in: dir)
        #expect(skill.status == 64 && skill.stderr.contains("unknown skill \"first_aide\"") && skill.stderr.contains("--skills"), "\(skill.stderr)")
        let known = try Self.run(["nearest", "--lon", "\(centre.x)", "--lat", "\(centre.y)", "--kind", "police", "--skills", "first_aid"], in: dir)
        #expect(known.status == 0, "\(known.stderr)")
    }

    /// An MBTiles export that GDAL opens: the layers are there with features, the metadata says
    /// pbf; bad options are named.
    @Test(.enabled(if: TestData.tool("ogrinfo") != nil, "needs gdal-bin"))
    func tilesExportWritesMBTilesGDALReads() throws {
        let dir = Self.district
        let run = try Self.run(["tiles", "export", "wall.mbtiles", "--sources", "grids,buildings", "--minzoom", "12", "--maxzoom", "15"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("wrote ") && run.stderr.contains("zooms 12–15"), "\(run.stderr)")
        let (status, listing) = try TestData.run(try #require(TestData.tool("ogrinfo")),
                                                 ["-ro", "-so", "-oo", "ZOOM_LEVEL=15", dir.appendingPathComponent("wall.mbtiles").path])
        #expect(status == 0)
        #expect(listing.contains("grids") && listing.contains("buildings"), "\(listing)")
        let bad = try Self.run(["tiles", "export", "wall.mbtiles", "--sources", "roads"], in: dir)
        #expect(bad.status != 0 && bad.stderr.contains("roads"), "\(bad.stderr)")
        let zooms = try Self.run(["tiles", "export", "wall.mbtiles", "--minzoom", "9", "--maxzoom", "3"], in: dir)
        #expect(zooms.status == 64 && zooms.stderr.contains("maxzoom"), "\(zooms.stderr)")
    }

    /// A PMTiles export read back by PyPI's `pmtiles` reader (scripts/reference/check_pmtiles.py):
    /// every tile of an MBTiles export of the same store, byte for byte, found by its z/x/y.
    @Test(.enabled(if: TestData.referencePython != nil, "needs scripts/setup-debian --tests (pmtiles)"))
    func pmtilesExportReadsBackTileForTile() throws {
        let dir = Self.district
        for file in ["same.mbtiles", "same.pmtiles"] {
            let run = try Self.run(["tiles", "export", file, "--sources", "district,communities,grids,buildings,cameras",
                                    "--minzoom", "10", "--maxzoom", "16"], in: dir)
            #expect(run.status == 0, "\(file): \(run.stderr)")
        }
        let (status, text) = try TestData.run(try #require(TestData.referencePython), [
            TestData.url("scripts/reference/check_pmtiles.py").path,
            dir.appendingPathComponent("same.pmtiles").path, dir.appendingPathComponent("same.mbtiles").path])
        #expect(status == 0 && text.contains("tiles identical"), "\(text)")
    }

    /// Tile ids on the Hilbert curve, as PMTiles numbers them (values from its Python reader's
    /// zxy_to_tileid, recorded by hand: 0/0/0 → 0, 1/1/0 → 4, 2/3/1 → 17, 14/13663/6743 → 305323413).
    @Test func pmtilesTileIDs() throws {
        for ((z, x, y), id) in [((0, 0, 0), 0), ((1, 1, 0), 4), ((2, 3, 1), 17), ((14, 13663, 6743), 305_323_413)] as [((Int, Int, Int), UInt64)] {
            #expect(try TileID(z: z, x: x, y: y).pmtilesID == id, "\(z)/\(x)/\(y)")
        }
    }
}
