import Foundation
import Testing
import GridwallCore
import GridwallStore
import GridwallTestSupport

/// A fresh store in a temporary folder.
func temporaryStore() throws -> (GeoStore, URL) {
    let dir = try TestData.scratchFolder("test")
    return (try GeoStore(path: dir.appendingPathComponent("gridwall.sqlite").path), dir)
}

func write(_ text: String, _ name: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

func importFile(_ path: String, layer: LayerSchema, into store: GeoStore, crs: CoordinateSystem = .wgs84,
                repair: Bool = false, replace: Bool = false) throws -> ImportReport {
    var options = ImportOptions(layer: layer)
    options.crs = crs
    options.repair = repair
    options.replace = replace
    let features = try FeatureReader.read(path: path, format: try FileFormat.guess(path))
    return try Importer.run(features, into: store, options: options)
}

let square = #"{"type":"Polygon","coordinates":[[[120.2,30.3],[120.21,30.3],[120.21,30.31],[120.2,30.31],[120.2,30.3]]]}"#
let bowtie = #"{"type":"Polygon","coordinates":[[[120.2,30.3],[120.22,30.32],[120.22,30.3],[120.2,30.32],[120.2,30.3]]]}"#

func buildingsCollection(_ geometries: [String]) -> String {
    let features = geometries.enumerated().map { i, g in
        #"{"type":"Feature","properties":{"id":"B\#(i + 1)","height":\#(10 + i)},"geometry":\#(g)}"#
    }
    return #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
}

@Suite struct ImportTests {
    @Test func selfIntersectionIsRejectedWithFeatureReasonAndLocationAndNothingChanges() throws {
        let (store, dir) = try temporaryStore()
        _ = try importFile(try write(buildingsCollection([square]), "ok.geojson", in: dir), layer: .buildings, into: store)
        let before = try store.layerSummaries()
        let bad = try write(buildingsCollection([square.replacingOccurrences(of: "120.2,", with: "120.3,"), square, bowtie]), "bad.geojson", in: dir)
        do {
            _ = try importFile(bad, layer: .buildings, into: store)
            Issue.record("expected the import to fail")
        } catch let e as GridwallError {
            #expect(e.message.contains("feature 3"))
            #expect(e.message.contains("Self-intersection"))
            #expect(e.message.contains("at (120.21 30.31)"))
            #expect(e.message.contains("nothing was imported"))
        }
        #expect(try store.layerSummaries() == before)
        #expect(try store.buildings().count == 1)
    }

    @Test func repairFixesAndReports() throws {
        let (store, dir) = try temporaryStore()
        let path = try write(buildingsCollection([square, bowtie]), "b.geojson", in: dir)
        let report = try importFile(path, layer: .buildings, into: store, repair: true)
        #expect(report.imported == 2)
        #expect(report.repairs.count == 1)
        #expect(report.repairs[0].hasPrefix("feature 2: Self-intersection"))
        let repaired = try store.buildings()[1]
        #expect(repaired.geometry.polygons.count == 2)
    }

    @Test func aGridLayerFromAnotherSystemImportsWithItsFieldsNamed() throws {
        let (store, dir) = try temporaryStore()
        let text = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GRID_CODE":"G1","COMM":"C9","name":"North"},"geometry":\#(square)}]}"#
        let path = try write(text, "other.geojson", in: dir)
        // Without the options every feature lacks `id` and `level`.
        #expect(throws: GridwallError.self) { try importFile(path, layer: .areas, into: store) }
        var options = ImportOptions(layer: .areas)
        options.idField = "GRID_CODE"
        options.parentField = "COMM"
        options.level = "grid"
        _ = try Importer.run(try FeatureReader.read(path: path, format: .geojson), into: store, options: options)
        let area = try #require(try store.areas().first)
        #expect(area.id == "G1" && area.parentID == "C9" && area.level == .grid && area.name == "North")
    }

    @Test func duplicateIdsConflictAndLeaveTheStoreAsItWas() throws {
        let (store, dir) = try temporaryStore()
        let path = try write(buildingsCollection([square]), "b.geojson", in: dir)
        _ = try importFile(path, layer: .buildings, into: store)
        let before = try store.layerSummaries()
        #expect(throws: GridwallError.self) { try importFile(path, layer: .buildings, into: store) }
        #expect(try store.layerSummaries() == before)
        // --replace is the way to load it again.
        #expect(try importFile(path, layer: .buildings, into: store, replace: true).imported == 1)
    }

    /// Layer counts are kept between calls; every kind of write must still show at once.
    @Test func keptLayerCountsFollowEveryWrite() throws {
        let (store, dir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        func events() throws -> Int { try store.layerSummaries().first { $0.name == "events" }!.count }
        #expect(try events() == 0 && store.isEmpty())
        let rows = (0..<5).map { "e\($0),2026-11-0\($0 + 1)T00:00:00Z,fire,120.2,30.3" }
        let path = try write("id,time,category,lon,lat\n" + rows.joined(separator: "\n"), "e.csv", in: dir)
        _ = try importFile(path, layer: .events, into: store)
        #expect(try events() == 5 && !store.isEmpty())
        _ = try importFile(try write("id,time,category,lon,lat\nx,2026-11-09T00:00:00Z,fire,120.2,30.3", "x.csv", in: dir),
                           layer: .events, into: store)
        #expect(try events() == 6)
        // Replaced by one row.
        _ = try importFile(try write("id,time,category,lon,lat\ny,2026-11-09T00:00:00Z,fire,120.2,30.3", "y.csv", in: dir),
                           layer: .events, into: store, replace: true)
        #expect(try events() == 1)
        #expect(try store.extent(of: .events) != nil && store.extent(of: .areas) == nil)
    }

    @Test func badInputNamesTheLineOrField() throws {
        let (store, dir) = try temporaryStore()
        let csv = "id,time,category,lon,lat\nE1,2026-11-01T08:00:00Z,noise,120.2,30.3\nE2,2026-11-01T09:00:00Z,noise,abc,30.3\n"
        /// The error an import of `text` fails with (nil, and an issue, if it succeeds).
        func failure(_ text: String, _ name: String, _ layer: LayerSchema) throws -> GridwallError? {
            do {
                _ = try importFile(try write(text, name, in: dir), layer: layer, into: store)
                Issue.record("expected \(name) to be rejected")
                return nil
            } catch let e as GridwallError {
                return e
            }
        }
        #expect(try failure(csv, "e.csv", .events)?.location == "line 3")
        let swapped = try failure("id,time,category,lon,lat\nE1,2026-11-01T08:00:00Z,noise,30.3,120.2\n", "s.csv", .events)
        #expect(swapped?.message.contains("line 2") == true)
        #expect(swapped?.message.contains("swapped") == true)
        let longID = try failure("id,time,category,lon,lat\n\(String(repeating: "x", count: 300)),2026-11-01T08:00:00Z,noise,120.2,30.3\n", "i.csv", .events)
        #expect(longID?.message.contains("line 2: property \"id\" must be at most 256 bytes, found 300") == true, "\(String(describing: longID))")
        let badTime = try failure("id,time,category,lon,lat\nE1,yesterday,noise,120.2,30.3\n", "t.csv", .events)
        #expect(badTime?.message.contains("line 2: property \"time\"") == true)
        let missing = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":\#(square)}]}"#
        #expect(try failure(missing, "m.geojson", .areas)?.message.contains("feature 1: missing required property \"id\"") == true)
        #expect(try store.isEmpty())
    }

    /// What spreadsheets and Windows editors save: a CSV and a GeoJSON file behind a UTF-8 byte
    /// order mark read as without it (the first column keeps its name); a CSV in GB18030 is
    /// refused with the way to convert it, and nothing is stored.
    @Test func byteOrderMarksAreSkippedAndOtherEncodingsNamed() throws {
        let (store, dir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bom = "\u{FEFF}"
        _ = try importFile(try write(bom + "id,time,category,lon,lat\nB1,2026-11-01T08:00:00Z,noise,120.2,30.3\n", "bom.csv", in: dir),
                           layer: .events, into: store)
        let stored = try store.analysisEvents().events
        #expect(stored.count == 1 && stored[0].id == "B1")
        let buildings = bom + #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"b1","height":10},"geometry":\#(square)}]}"#
        #expect(try importFile(try write(buildings, "bom.geojson", in: dir), layer: .buildings, into: store).imported == 1)
        // 防火 ("fire prevention") in GB18030.
        let gb18030 = Data("id,time,category,lon,lat\nB2,2026-11-01T08:00:00Z,".utf8) + Data([0xB7, 0xC0, 0xBB, 0xF0]) + Data(",120.2,30.3\n".utf8)
        let path = dir.appendingPathComponent("gbk.csv")
        try gb18030.write(to: path)
        #expect {
            _ = try importFile(path.path, layer: .events, into: store)
        } throws: { e in
            (e as? GridwallError)?.message.contains("not UTF-8") == true && (e as? GridwallError)?.message.contains("iconv -f GB18030") == true
        }
        #expect(try store.analysisEvents().events.count == 1)
    }

    @Test func chineseAndProjectedInputEndsUpInWGS84() throws {
        let (store, dir) = try temporaryStore()
        let wgs = Coordinate(120.2, 30.27)
        let gcj = ChineseCoordinates.wgs84ToGCJ02(wgs), bd = ChineseCoordinates.wgs84ToBD09(wgs)
        _ = try importFile(try write("id,name,lon,lat\nC1,a,\(gcj.x),\(gcj.y)\n", "g.csv", in: dir), layer: .cameras, into: store, crs: .gcj02)
        _ = try importFile(try write("id,name,lng,lat\nC2,b,\(bd.x),\(bd.y)\n", "b.csv", in: dir), layer: .cameras, into: store, crs: .bd09)
        // (230627.399, 3352023.651) is (120.2, 30.27) in UTM 51N (see SWIFT-NOTES).
        _ = try importFile(try write("id,x,y\nC3,230627.399,3352023.651\n", "u.csv", in: dir), layer: .cameras, into: store, crs: .epsg(32651))
        for c in try store.cameras() {
            #expect(abs(c.position.x - wgs.x) < 1e-8 && abs(c.position.y - wgs.y) < 1e-8, "\(c.id): \(c.position)")
        }
    }

    @Test func realInvalidPolygonsFromTokyo() throws {
        let realdata = TestData.realdata
        let (store, dir) = try temporaryStore()
        var features = try TestData.features(realdata.appendingPathComponent("tokyo_municipalities/tokyo_municipalities.geojson"))
        for i in features.indices {
            features[i].properties["id"] = .string("T\(i + 1)")
            features[i].properties["level"] = .string("grid")
        }
        let path = try write(GeoJSON.featureCollection(features), "tokyo.geojson", in: dir)
        do {
            _ = try importFile(path, layer: .areas, into: store)
            Issue.record("expected 10 invalid polygons")
        } catch let e as GridwallError {
            #expect(e.message.hasPrefix("10 of 262 features rejected"))
        }
        #expect(try store.isEmpty())
        let report = try importFile(path, layer: .areas, into: store, repair: true)
        #expect(report.imported == 262)
        #expect(report.repairs.count == 10)
    }
}
