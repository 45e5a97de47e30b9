import Foundation
import Testing
import GridwallBatch
import GridwallCore
import GridwallTestSupport

@Suite struct BatchAssignerTests {
    /// A 20 × 15 tiling of grids under 4 communities, and a temporary folder.
    static func fixture() throws -> (AssignmentEngine, URL) {
        var rng = SeededRandom(seed: 9)
        let (tiles, _) = RandomShapes.quadTiling(columns: 20, rows: 15, cell: 0.002, rng: &rng)
        var areas = [AreaRecord(id: "D", name: "district", level: .district, parentID: nil, geometry: .polygon(tiles[0][0]))]
        for c in 0..<4 { areas.append(AreaRecord(id: "C\(c)", name: "c", level: .community, parentID: "D", geometry: .polygon(tiles[0][0]))) }
        for (i, t) in tiles.enumerated() {
            areas.append(AreaRecord(id: "G\(i)", name: "g", level: .grid, parentID: "C\(i % 4)", geometry: .polygon(t[0])))
        }
        let buildings = [BuildingRecord(id: "B1", geometry: .polygon(Polygon(exterior: [
            .init(120.011, 30.011), .init(120.013, 30.011), .init(120.013, 30.013), .init(120.011, 30.013), .init(120.011, 30.011)])))]
        let dir = try TestData.scratchFolder("batch")
        return (AssignmentEngine(areas: areas, buildings: buildings, cameras: []), dir)
    }

    static func points(_ n: Int, seed: UInt64) -> [Coordinate] {
        var rng = SeededRandom(seed: seed)
        // Mostly inside the 0.04° × 0.03° tiling, some outside it.
        return (0..<n).map { _ in Coordinate(rng.uniform(119.995, 120.045), rng.uniform(29.995, 30.035)) }
    }

    @Test func csvOutputIsEveryRowInOrderWithTheEnginesAnswer() throws {
        let (engine, dir) = try Self.fixture()
        let pts = Self.points(30_000, seed: 1)
        var csv = "name,\"lon\",lat\r\n"
        for (i, p) in pts.enumerated() { csv += (i % 97 == 0 ? "\"row, \(i)\"" : "row\(i)") + ",\(p.x),\(p.y)\r\n" }
        let input = dir.appendingPathComponent("in.csv"), output = dir.appendingPathComponent("out.csv")
        try Data(csv.utf8).write(to: input)
        var options = BatchOptions(input: .csv, output: .csv)
        options.chunkBytes = 64 << 10   // many chunks, lines cut at block boundaries
        let report = try BatchAssigner(engine: engine).run(input: input.path, output: output.path, options: options)
        #expect(report.rows == pts.count && report.skipped == 0)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == pts.count + 1)
        #expect(lines[0] == "name,\"lon\",lat,grid_id,community_id,street_id,district_id,building_id,placement,nearest_grid_id,distance_m")
        var outside = 0, inBuilding = 0
        for (i, p) in pts.enumerated() {
            let fields = try CSV.fields(of: lines[i + 1])
            let a = engine.assign(x: p.x, y: p.y)
            #expect(fields[0] == (i % 97 == 0 ? "row, \(i)" : "row\(i)"))
            #expect(fields[3] == (a.grid >= 0 ? engine.grids[Int(a.grid)].gridID : ""))
            #expect(fields[4] == (a.grid >= 0 ? "C\(Int(a.grid) % 4)" : ""))
            #expect(fields[6] == (a.grid >= 0 ? "D" : ""))
            #expect(fields[7] == (a.building >= 0 ? "B1" : ""))
            #expect(fields[8] == a.placement.name)
            if a.placement == .outside {
                outside += 1
                #expect(fields[9] == engine.grids[Int(a.nearestGrid)].gridID)
                #expect(abs(Double(fields[10])! - a.distance) <= 0.005)
            }
            if a.building >= 0 { inBuilding += 1 }
        }
        #expect(outside > 1_000 && inBuilding > 10)
    }

    @Test func badRowsFailWithTheirLineOrAreSkipped() throws {
        let (engine, dir) = try Self.fixture()
        let csv = "id,lon,lat\n1,120.01,30.01\n2,abc,30.01\n3,120.01\n4,30.01,120.01\n5,120.02,30.02\n"
        let input = dir.appendingPathComponent("bad.csv"), output = dir.appendingPathComponent("bad-out.csv")
        try Data(csv.utf8).write(to: input)
        do {
            _ = try BatchAssigner(engine: engine).run(input: input.path, output: output.path, options: BatchOptions(input: .csv, output: .csv))
            Issue.record("expected an error")
        } catch let e as GridwallError {
            #expect(e.location == "line 3")
            #expect(e.message.contains("abc"))
        }
        #expect(!FileManager.default.fileExists(atPath: output.path), "a failed run leaves no output")
        var options = BatchOptions(input: .csv, output: .csv)
        options.skipBadRows = true
        let report = try BatchAssigner(engine: engine).run(input: input.path, output: output.path, options: options)
        #expect(report.rows == 2 && report.skipped == 3)
        #expect(report.problems[0].hasPrefix("line 3:"))
        #expect(report.problems[1] == "line 4: expected 3 fields, found 2")
        #expect(report.problems[2].hasPrefix("line 5:") && report.problems[2].contains("swapped"))
        let out = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(out.count == 3 && out[1].hasPrefix("1,") && out[2].hasPrefix("5,"))
    }

    /// Excel's "CSV UTF-8" starts with a byte order mark: the coordinate columns are still
    /// found when the first one is lon, and the output keeps the mark before the header.
    @Test func aSpreadsheetsByteOrderMarkIsNotPartOfTheHeader() throws {
        let (engine, dir) = try Self.fixture()
        let input = dir.appendingPathComponent("bom.csv"), output = dir.appendingPathComponent("bom-out.csv")
        try Data("\u{FEFF}lon,lat,name\n120.011,30.011,a\n".utf8).write(to: input)
        let report = try BatchAssigner(engine: engine).run(input: input.path, output: output.path, options: BatchOptions(input: .csv, output: .csv))
        #expect(report.rows == 1 && report.skipped == 0)
        // Bytes, not String(contentsOf:), which drops a leading mark as it decodes.
        let written = try Data(contentsOf: output)
        #expect(written.starts(with: Data("\u{FEFF}lon,lat,name,grid_id".utf8)))
        let lines = String(decoding: written, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.last?.contains(",B1,") == true)
    }

    @Test func ndjsonAndGeoJSONInAndOut() throws {
        let (engine, dir) = try Self.fixture()
        let pts = Self.points(500, seed: 2)
        var ndjson = ""
        for (i, p) in pts.enumerated() {
            ndjson += i % 2 == 0 ? "{\"id\":\(i),\"lon\":\(p.x),\"lat\":\(p.y)}\n"
                : "{\"type\":\"Feature\",\"properties\":{\"id\":\(i)},\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(p.x),\(p.y)]}}\n"
        }
        let input = dir.appendingPathComponent("in.ndjson"), output = dir.appendingPathComponent("out.geojson")
        try Data(ndjson.utf8).write(to: input)
        _ = try BatchAssigner(engine: engine).run(input: input.path, output: output.path, options: BatchOptions(input: .ndjson, output: .geojson))
        let features = try TestData.features(output)
        #expect(features.count == pts.count)
        for (i, f) in features.enumerated() {
            let a = engine.assign(x: pts[i].x, y: pts[i].y)
            #expect(f.properties["id"] == .number(Double(i)))
            #expect(f.properties["grid_id"] == (a.grid >= 0 ? .string(engine.grids[Int(a.grid)].gridID) : .null))
            #expect(f.properties["placement"] == .string(a.placement.name))
        }
        // And the GeoJSON back through as NDJSON.
        let again = dir.appendingPathComponent("again.ndjson")
        let report = try BatchAssigner(engine: engine).run(input: output.path, output: again.path, options: BatchOptions(input: .geojson, output: .ndjson))
        #expect(report.rows == pts.count)
        let rows = try String(contentsOf: again, encoding: .utf8).split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        #expect(rows.map { $0["grid_id"] } == features.map { $0.properties["grid_id"] })
    }
}

@Suite struct BatchCRSTests {
    /// GCJ-02 points (as Chinese web maps give them) assigned with `crs = .gcj02` land in the
    /// grids of their true WGS84 positions; without it, many land elsewhere (hundreds of metres
    /// off). The WGS84 written back equals PyPI prcoords' on known pairs.
    @Test func gcj02PointsAreConvertedBeforeAssignment() throws {
        let (engine, dir) = try BatchAssignerTests.fixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let truth = BatchAssignerTests.points(5_000, seed: 11)
        var csv = "name,lon,lat\n"
        for (i, p) in truth.enumerated() {
            let g = ChineseCoordinates.wgs84ToGCJ02(p)
            csv += "p\(i),\(g.x),\(g.y)\n"
        }
        // Known pairs (prcoords), appended after the random points.
        let known = try TestData.csv(TestData.url("Tests/Fixtures/gcj02_reference.csv")).prefix(40)
        for (i, row) in known.enumerated() { csv += "k\(i),\(row["gcj_lon"]!),\(row["gcj_lat"]!)\n" }
        let input = dir.appendingPathComponent("gcj.csv"), output = dir.appendingPathComponent("out.csv")
        try Data(csv.utf8).write(to: input)

        func run(_ crs: CoordinateSystem) throws -> [[String]] {
            var options = BatchOptions(input: .csv, output: .csv)
            options.crs = crs
            options.addWGS84 = true
            _ = try BatchAssigner(engine: engine).run(input: input.path, output: output.path, options: options)
            return try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { try CSV.fields(of: $0) }
        }
        let converted = try run(.gcj02)
        #expect(converted[0].suffix(2) == ["lon_wgs84", "lat_wgs84"])
        let gridColumn = try #require(converted[0].firstIndex(of: "grid_id"))
        func expectedGrid(_ p: Coordinate) -> String {
            let a = engine.assign(x: p.x, y: p.y)
            return a.grid >= 0 ? engine.grids[Int(a.grid)].gridID : ""
        }
        var mismatches = 0
        for (i, p) in truth.enumerated() {
            let row = converted[i + 1]
            if row[gridColumn] != expectedGrid(p) { mismatches += 1 }
            #expect(abs(Double(row[row.count - 2])! - p.x) < 1e-8 && abs(Double(row[row.count - 1])! - p.y) < 1e-8)
        }
        #expect(mismatches == 0)
        for (i, reference) in known.enumerated() {
            let row = converted[truth.count + 1 + i]
            #expect(abs(Double(row[row.count - 2])! - Double(reference["wgs_lon"]!)!) < 1e-7, "pair \(i)")
            #expect(abs(Double(row[row.count - 1])! - Double(reference["wgs_lat"]!)!) < 1e-7, "pair \(i)")
        }
        // The silent error this guards against: the same file read as WGS84.
        let unconverted = try run(.wgs84)
        let wrong = truth.indices.filter { unconverted[$0 + 1][gridColumn] != expectedGrid(truth[$0]) }.count
        #expect(wrong > truth.count / 10, "only \(wrong) of \(truth.count) rows moved grids without conversion")
    }
}
