// Vector tiles checked by an independent reader: tiles of the sample district's grids and
// buildings are written to z/x/y.pbf files, decoded by GDAL's MVT driver (ogr2ogr to GeoJSON
// in WGS84), and compared with the source features: every feature that reaches the tile is
// there once with its attributes, every polygon is valid by GEOS, and inside the tile it covers
// the same area as the original within the 4096-grid's rounding.
import Foundation
import Testing
import GridwallCore
import GridwallGEOS
import GridwallStore
import GridwallTestSupport

@Suite struct VectorTileTests {
    static let hasGDAL = TestData.tool("ogr2ogr") != nil

    /// Decodes one tile with GDAL: the features of its layer as GeoJSON in WGS84.
    static func decode(_ bytes: [UInt8], _ tile: TileID) throws -> [Feature] { try TestData.decodeMVT(bytes, tile) }

    static let areas = try! TestData.sampleAreas()

    @Test(.enabled(if: hasGDAL, "needs gdal-bin"), arguments: [(14, 13663, 6743), (12, 3415, 1685), (16, 54654, 26974)])
    func gridTilesDecodeToTheSameValidPolygons(_ z: Int, _ x: Int, _ y: Int) throws {
        let tile = try TileID(z: z, x: x, y: y)
        let source = TileSource.areas(Self.areas, level: .grid, name: "grids", description: "grids")
        let layer = try source.layer(tile, cutter: GeosTileCutter())
        #expect(layer.featureCount > 0)
        let decoded = try Self.decode(MVTTile.encode([layer]), tile)
        #expect(decoded.count == layer.featureCount)
        let geos = GeosContext()
        let box = tile.lonLatBox
        let tileBox = try geos.geometry(.polygon(Polygon(exterior: [Coordinate(box.minX, box.minY), Coordinate(box.maxX, box.minY),
                                                                     Coordinate(box.maxX, box.maxY), Coordinate(box.minX, box.maxY),
                                                                     Coordinate(box.minX, box.minY)])))
        let byID = Dictionary(uniqueKeysWithValues: Self.areas.map { ($0.id, $0) })
        var ids = Set<String>()
        // One tile unit at this zoom, in degrees (about): the rounding allowed per boundary.
        let unit = (box.maxX - box.minX) / 4096
        for f in decoded {
            let id = try #require(f.properties["id"]?.stringValue)
            #expect(ids.insert(id).inserted, "\(id) twice")
            let original = try #require(byID[id])
            #expect(f.properties["level"] == .string("grid") && f.properties["parent_id"]?.stringValue == original.parentID)
            #expect(f.properties["population"]?.doubleValue == Double(original.population))
            let ours = try geos.geometry(f.geometry)
            let problem = try ours.invalidity()
            #expect(problem == nil, "\(id) in \(tile): \(String(describing: problem))")
            // Inside the tile, the decoded polygon covers what the original does, within the
            // rounding of its boundary to the tile grid.
            let a = try ours.intersection(tileBox), b = try geos.geometry(original.geometry).intersection(tileBox)
            let difference = try a.symmetricDifference(b).area()
            let perimeter = try b.length()
            #expect(difference <= perimeter * unit, "\(id) in \(tile): differs by \(difference) deg² (perimeter \(perimeter))")
        }
        // Every grid whose polygon meets the tile is in it.
        let expected = try Self.areas.filter { $0.level == .grid }.filter { try geos.geometry($0.geometry).intersection(tileBox).area() > unit * unit * 4 }
        #expect(Set(expected.map(\.id)).isSubset(of: ids), "missing: \(Set(expected.map(\.id)).subtracting(ids).sorted())")
    }

    @Test(.enabled(if: hasGDAL, "needs gdal-bin"))
    func buildingsCarryTheirHeights() throws {
        let features = try TestData.features(TestData.url("geodata/buildings.geojson")).prefix(3000)
        let records = features.map { f in
            BuildingRecord(id: f.properties["id"]!.stringValue!, kind: f.properties["kind"]?.stringValue ?? "",
                           height: f.properties["height"]?.doubleValue ?? 0,
                           floors: Int(f.properties["floors"]?.doubleValue ?? 0), geometry: f.geometry)
        }
        let kinds = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.kind) })
        let source = TileSource.buildings(records) { _ in "G1" }
        let centre = try #require(records.first?.geometry.boundingBox).center
        let tile = try #require(TileID.covering(BoundingBox(minX: centre.x, minY: centre.y, maxX: centre.x, maxY: centre.y), zoom: 15).first)
        let layer = try source.layer(tile, cutter: GeosTileCutter())
        let decoded = try Self.decode(MVTTile.encode([layer]), tile)
        #expect(decoded.count == layer.featureCount && decoded.count > 10)
        let heights = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.height) })
        for f in decoded {
            let id = try #require(f.properties["id"]?.stringValue)
            #expect(f.properties["height"]?.doubleValue == heights[id].map { $0 > 0 ? $0 : 3 }, "\(id)")
            #expect(f.properties["grid_id"] == .string("G1"))
            #expect(f.properties["kind"]?.stringValue == kinds[id] && kinds[id]?.isEmpty == false, "\(id) kind")
        }
        // Below the source's zoom range the layer is empty.
        #expect(try source.layer(try TileID(z: 10, x: tile.x >> 5, y: tile.y >> 5), cutter: GeosTileCutter()).featureCount == 0)
    }

    @Test func clippingWindsAndDropsWhatCollapses() throws {
        let tile = try TileID(z: 14, x: 13663, y: 6743)
        let clipper = TileClipper(tile: tile)
        let box = tile.lonLatBox
        // A square around the tile's north-west corner, with a hole inside the tile.
        let w = box.maxX - box.minX, h = box.maxY - box.minY
        let outer = [Coordinate(box.minX - w / 2, box.maxY + h / 2), Coordinate(box.minX + w / 2, box.maxY + h / 2),
                     Coordinate(box.minX + w / 2, box.maxY - h / 2), Coordinate(box.minX - w / 2, box.maxY - h / 2),
                     Coordinate(box.minX - w / 2, box.maxY + h / 2)]
        let hole = [Coordinate(box.minX + w / 8, box.maxY - h / 8), Coordinate(box.minX + w / 4, box.maxY - h / 8),
                    Coordinate(box.minX + w / 4, box.maxY - h / 4), Coordinate(box.minX + w / 8, box.maxY - h / 4),
                    Coordinate(box.minX + w / 8, box.maxY - h / 8)]
        guard case .polygons(let polygons)? = try clipper.cut(WorldShape(.polygon(Polygon(exterior: outer, holes: [hole]))), cutter: GeosTileCutter()) else {
            Issue.record("the square was dropped"); return
        }
        #expect(polygons.count == 1 && polygons[0].count == 2)
        let ring = polygons[0][0]
        #expect(ring.allSatisfy { $0.x >= -64 && $0.y >= -64 && $0.x <= 2048 && $0.y <= 2048 })
        #expect(TileClipper.surveyorArea(ring) > 0 && TileClipper.surveyorArea(polygons[0][1]) < 0)
        // A sliver thinner than a tile unit collapses and is dropped.
        let sliver = [Coordinate(box.minX + w / 3, box.minY + h / 3), Coordinate(box.minX + w / 2, box.minY + h / 3),
                      Coordinate(box.minX + w / 2, box.minY + h / 3 + h / 100_000), Coordinate(box.minX + w / 3, box.minY + h / 3)]
        #expect(try clipper.cut(WorldShape(.polygon(Polygon(exterior: sliver))), cutter: GeosTileCutter()) == nil)
        // Points outside the tile and its buffer are left out.
        #expect(try clipper.cut(.points([TileID.world(Coordinate(box.maxX + w, box.maxY))]), cutter: GeosTileCutter()) == nil)
    }

    /// The whole pyramid, zooms 10–16, of the sample district's grids, communities and
    /// buildings, written to MBTiles and decoded zoom by zoom by GDAL: as many features as we
    /// wrote, every polygon valid by GEOS, the attributes as written.
    @Test(.enabled(if: hasGDAL, "needs gdal-bin"))
    func everyTileOfThePyramidDecodesToValidPolygons() throws {
        let buildings = try TestData.features(TestData.url("geodata/buildings.geojson")).map { f in
            BuildingRecord(id: f.properties["id"]!.stringValue!, height: f.properties["height"]?.doubleValue ?? 0,
                           floors: Int(f.properties["floors"]?.doubleValue ?? 0), geometry: f.geometry)
        }
        let sources = [TileSource.areas(Self.areas, level: .grid, name: "grids", description: ""),
                       TileSource.areas(Self.areas, level: .community, name: "communities", description: ""),
                       TileSource.buildings(buildings) { _ in nil }]
        let dir = try TestData.scratchFolder("pyramid")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pyramid.mbtiles").path
        let writer = try MBTilesWriter(path: file)
        let district = try #require(Self.areas.first { $0.level == .district }?.geometry.boundingBox)
        let cutter = GeosTileCutter()
        var written: [Int: [String: Int]] = [:]
        var expectedIDs: [String: [String: [String]]] = [:]
        let geosForBoxes = GeosContext()
        for z in 10...16 {
            var tiles: [(TileID, [UInt8])] = []
            for t in TileID.covering(district, zoom: z) {
                let layers = try sources.map { try $0.layer(t, cutter: cutter) }
                for l in layers { written[z, default: [:]][l.name, default: 0] += l.featureCount }
                // The ids each layer holds, found again feature by feature.
                let clipper = TileClipper(tile: t)
                for source in sources where source.minZoom <= z && z <= source.maxZoom {
                    let ids = try source.candidates(in: clipper.worldBox).filter { try clipper.cut(source.features[$0].shape, cutter: cutter) != nil }
                        .map { i -> String in if case .string(let id)? = source.features[i].properties.first?.1 { return id }; return "" }
                    if !ids.isEmpty { expectedIDs["\(t)", default: [:]][source.name] = ids }
                    // Areas: the ids are those of a direct GEOS intersection with the tile's
                    // buffered box, give or take features whose part inside is below a tile unit.
                    guard source.name != "buildings", !ids.isEmpty || z <= 12 else { continue }
                    let w = clipper.worldBox
                    let corners = [Coordinate(w.minX, w.minY), Coordinate(w.maxX, w.minY), Coordinate(w.maxX, w.maxY), Coordinate(w.minX, w.maxY)]
                        .map { Coordinate($0.x * 360 - 180, TileID.latitude(worldY: $0.y)) }
                    let box = try geosForBoxes.geometry(.polygon(Polygon(exterior: corners + [corners[0]])))
                    let unitArea = pow((t.lonLatBox.maxX - t.lonLatBox.minX) / 4096, 2)
                    let levelOf = source.name == "grids" ? AreaLevel.grid : .community
                    var lonLat = BoundingBox.empty
                    for c in corners { lonLat.extend(c) }
                    for a in Self.areas where a.level == levelOf && a.geometry.boundingBox?.intersects(lonLat) == true {
                        let inside = try geosForBoxes.geometry(a.geometry).intersection(box).area()
                        if inside > 16 * unitArea { #expect(ids.contains(a.id), "\(t) \(source.name): \(a.id) meets the tile but is missing") }
                        if inside == 0, ids.contains(a.id) {
                            #expect(try !geosForBoxes.geometry(a.geometry).intersects(box), "\(t) \(source.name): \(a.id) is in the tile but does not meet it")
                        }
                    }
                }
                let mvt = MVTTile.encode(layers)
                if !mvt.isEmpty { tiles.append((t, mvt)) }
            }
            try writer.add(tiles)
        }
        try writer.metadata(["name": "test", "format": "pbf", "minzoom": "10", "maxzoom": "16",
                             "json": #"{"vector_layers":[{"id":"grids","fields":{}},{"id":"communities","fields":{}},{"id":"buildings","fields":{}}]}"#])
        let geos = GeosContext()
        // An independent decoder too: PyPI mapbox-vector-tile reads every tile (and checks ring
        // winding); its ids per tile and layer must be those of the features we wrote.
        if let python = TestData.referencePython {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = [TestData.url("scripts/reference/decode_mbtiles.py").path, file]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out; p.standardError = err
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
            let decoded = try JSONValue.parse(data)
            var compared = 0
            for (key, layers) in expectedIDs {
                for (layer, ids) in layers {
                    let theirs = decoded[key]?[layer]?.arrayValue?.compactMap(\.stringValue) ?? []
                    #expect(theirs == ids.sorted(), "\(key) \(layer): \(theirs.count) decoded, \(ids.count) written")
                    compared += 1
                }
            }
            #expect(compared > 1000)
        } else {
            Issue.record("no reference Python (scripts/setup-debian --tests)")
        }
        let heights = Dictionary(uniqueKeysWithValues: buildings.map { ($0.id, $0.height > 0 ? $0.height : 3) })
        let parents = Dictionary(uniqueKeysWithValues: Self.areas.map { ($0.id, $0.parentID) })
        for z in 10...16 {
            for source in sources {
                let out = dir.appendingPathComponent("z\(z)-\(source.name).geojson").path
                let p = Process()
                p.executableURL = URL(fileURLWithPath: try #require(TestData.tool("ogr2ogr")))
                p.arguments = ["-f", "GeoJSON", "-oo", "ZOOM_LEVEL=\(z)", "-oo", "CLIP=NO", "-t_srs", "EPSG:4326", out, file, source.name]
                p.standardError = FileHandle.nullDevice
                try p.run(); p.waitUntilExit()
                let expected = written[z]?[source.name] ?? 0
                guard expected > 0 else { continue }
                #expect(p.terminationStatus == 0, "z\(z) \(source.name)")
                let decoded = try GeoJSON.features(from: JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: out))))
                #expect(decoded.count == expected, "z\(z) \(source.name): \(decoded.count) decoded, \(expected) written")
                var invalid = 0, wrong = 0
                for f in decoded {
                    if try geos.geometry(f.geometry).invalidity() != nil { invalid += 1 }
                    let id = f.properties["id"]?.stringValue ?? ""
                    if source.name == "buildings" {
                        if f.properties["height"]?.doubleValue != heights[id] { wrong += 1 }
                    } else if f.properties["parent_id"]?.stringValue != parents[id] ?? nil {
                        wrong += 1
                    }
                }
                #expect(invalid == 0, "z\(z) \(source.name): \(invalid) invalid polygons")
                #expect(wrong == 0, "z\(z) \(source.name): \(wrong) features with attributes not as written")
            }
        }
    }
}
