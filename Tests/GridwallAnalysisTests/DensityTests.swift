// Kernel density: the raster integrates to the number of events, equals a direct sum over all
// events at sample cells, and its PNG, decoded by GDAL, shows the hot spots where the events are.
import Foundation
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallPROJ
import GridwallTestSupport

@Suite struct DensityTests {
    static var month: EventFilter {
        let (_, records, _) = EventAnalysisTests.sample
        let end = records.map(\.time).max()! + 1
        return EventFilter(from: end - 30 * 86_400, to: end)
    }

    @Test func densityIntegratesToTheEventsAndEqualsADirectSum() throws {
        let (analysis, _, _) = EventAnalysisTests.sample
        var points: [Coordinate] = []
        analysis.events.forEachMatch(Self.month) { points.append(Coordinate(analysis.events.xs[$0], analysis.events.ys[$0])) }
        #expect(points.count > 10_000)
        for (bandwidth, cell) in [(300.0, 30.0), (500.0, 50.0), (150.0, 25.0)] {
            let raster = try analysis.density(filter: Self.month, bandwidth: bandwidth, cellSize: cell, method: .exact)
            #expect(abs(raster.total - Double(points.count)) < 0.01 * Double(points.count), "h \(bandwidth), cell \(cell): \(raster.total) for \(points.count)")
            var rng = TestData.random("density cells")
            for _ in 0..<40 {
                let c = rng.int(0, raster.columns - 1), r = rng.int(0, raster.rows - 1)
                let direct = KernelDensity.density(at: raster.centre(column: c, row: r), points: points, bandwidth: bandwidth)
                #expect(abs(raster[column: c, row: r] - direct) <= 1e-9 * max(1, direct))
            }
        }
    }

    /// The positions a density is made from are those `forEachMatch` visits, in its order, with
    /// their box: for a window, a category, a status with a bbox, and no filter at all.
    @Test func positionsMatchingAFilterAreTheMatchesInOrder() throws {
        let (analysis, records, _) = EventAnalysisTests.sample
        var category = Self.month; category.categories = [try #require(records.first?.category)]
        var boxed = Self.month; boxed.statuses = ["reported", "dispatched"]
        let lons = records.map(\.position.x).sorted(), lats = records.map(\.position.y).sorted()
        boxed.bbox = BoundingBox(minX: lons[lons.count / 4], minY: lats[lats.count / 3], maxX: lons[3 * lons.count / 4], maxY: lats[2 * lats.count / 3])
        // A box alone (the tiles' filter) against a plain loop over the columns.
        var boxOnly = Self.month; boxOnly.bbox = boxed.bbox
        let e = analysis.events
        let inBox = e.times.indices.filter { i in
            e.times[i] >= boxOnly.from! && e.times[i] < boxOnly.to! && boxOnly.bbox!.contains(Coordinate(e.lons[i], e.lats[i]))
        }
        var visited: [Int] = []
        e.forEachMatch(boxOnly) { visited.append($0) }
        #expect(visited == inBox && !inBox.isEmpty)
        for filter in [Self.month, category, boxed, boxOnly, EventFilter()] {
            var expected: [Coordinate] = [], box = BoundingBox.empty
            analysis.events.forEachMatch(filter) { i in
                expected.append(Coordinate(analysis.events.xs[i], analysis.events.ys[i]))
                box.extend(expected[expected.count - 1])
            }
            let (points, found) = analysis.events.positions(matching: filter)
            #expect(points == expected && found == box && !points.isEmpty, "\(points.count) positions for \(expected.count) matches")
        }
    }

    @Test(.enabled(if: TestData.tool("gdal_translate") != nil, "needs gdal-bin")) func pngShowsTheHotSpotsWhereTheEventsAre() throws {
        let (analysis, _, areas) = EventAnalysisTests.sample
        let raster = try analysis.density(filter: Self.month, bandwidth: 400, cellSize: 40)
        let png = try analysis.png(raster)
        let dir = try TestData.scratchFolder("png")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("heat.png")
        try Data(png).write(to: file)
        // GDAL decodes each band to "x y value" lines (pixel centres, rows from the top).
        var decoded = [[UInt8]](repeating: [UInt8](repeating: 0, count: raster.columns * raster.rows), count: 4)
        for band in 1...4 {
            let out = dir.appendingPathComponent("band\(band).xyz")
            let gdal = Process()
            gdal.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            gdal.arguments = ["gdal_translate", "-q", "-of", "XYZ", "-b", "\(band)", file.path, out.path]
            try gdal.run(); gdal.waitUntilExit()
            #expect(gdal.terminationStatus == 0, "gdal_translate (apt-get install gdal-bin)")
            for line in try String(contentsOf: out, encoding: .utf8).split(separator: "\n") {
                let f = line.split(separator: " ")
                guard f.count == 3, let x = Double(f[0]), let y = Double(f[1]), let v = UInt8(f[2]) else { continue }
                decoded[band - 1][Int(y.rounded(.down)) * raster.columns + Int(x.rounded(.down))] = v
            }
        }
        // Every pixel is the ramp colour of its cell.
        let top = raster.displayScale
        var mismatches = 0
        for y in 0..<raster.rows {
            for x in 0..<raster.columns {
                let expected = ColourRamp.rgba(raster[column: x, row: raster.rows - 1 - y] / top)
                let i = y * raster.columns + x
                if (decoded[0][i], decoded[1][i], decoded[2][i], decoded[3][i]) != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        // The densest cell is drawn in the ramp's top colour, and it lies in one of the grids
        // with the most events in that window; the corners of the image are transparent (no
        // event within a bandwidth).
        let densest = raster.values.indices.max { raster.values[$0] < raster.values[$1] }!
        let (cx, cr) = (densest % raster.columns, densest / raster.columns)
        let pixel = (raster.rows - 1 - cr) * raster.columns + cx
        #expect((decoded[0][pixel], decoded[1][pixel], decoded[2][pixel], decoded[3][pixel]) == ColourRamp.rgba(1))
        let centre = raster.centre(column: cx, row: cr)
        let lonLat = try analysis.lonLat(centre)
        let engine = AssignmentEngine(areas: areas, buildings: [], cameras: [])
        let grid = Int(engine.assign(x: lonLat.x, y: lonLat.y).grid)
        let counts = analysis.events.gridCounts(Self.month)
        let busiest = Array(counts.dropLast().enumerated().sorted { $0.element > $1.element }.prefix(20).map(\.offset))
        #expect(busiest.contains(grid), "densest cell in grid \(grid) (\(counts[max(0, grid)]) events), busiest \(busiest)")
        #expect(decoded[3][0] == 0 && decoded[3][decoded[3].count - 1] == 0)
    }

    /// Heat tiles: the pixel over the densest cell has the top colour; a tile far away is
    /// transparent; tile bounds follow the XYZ scheme.
    @Test func heatTilesShowTheSameSurface() throws {
        let (analysis, _, _) = EventAnalysisTests.sample
        let raster = try analysis.density(filter: Self.month, bandwidth: 400, cellSize: 40)
        let densest = raster.values.indices.max { raster.values[$0] < raster.values[$1] }!
        let spot = try analysis.lonLat(raster.centre(column: densest % raster.columns, row: densest / raster.columns))
        let z = 15, n = Double(1 << z)
        // The standard slippy-map formulas, written out here independently of HeatTiles.
        let fx = (spot.x + 180) / 360 * n
        let latRad = spot.y * .pi / 180
        let fy = (1 - log(tan(latRad) + 1 / cos(latRad)) / .pi) / 2 * n
        let (x, y) = (Int(fx), Int(fy))
        let pixels = try analysis.heatTilePixels(raster, scale: raster.maximum, z: z, x: x, y: y)
        let (px, py) = (Int((fx - Double(x)) * 256), Int((fy - Double(y)) * 256))
        let i = (py * 256 + px) * 4
        // Within one pixel (~3 m at zoom 15) of the densest cell's centre the density is close to its peak.
        let (r, g, _, a) = ColourRamp.rgba(1)
        #expect(abs(Int(pixels[i]) - Int(r)) <= 3 && abs(Int(pixels[i + 1]) - Int(g)) <= 12 && abs(Int(pixels[i + 3]) - Int(a)) <= 3,
                "pixel \(pixels[i..<i + 4]) at the densest spot")
        let far = try analysis.heatTilePixels(raster, scale: raster.maximum, z: z, x: 0, y: 0)
        #expect(far.allSatisfy { $0 == 0 })
        // From the whole world down: the tile holding the spot shows it (at zooms 0–4 the
        // district is smaller than a pixel, whose centre may miss it).
        for zoom in 0...18 {
            let m = Double(1 << zoom)
            let tile = try analysis.heatTilePixels(raster, scale: raster.maximum, z: zoom, x: Int(fx / n * m), y: Int(fy / n * m))
            if zoom >= 5 { #expect(stride(from: 3, to: tile.count, by: 4).contains { tile[$0] > 0 }, "zoom \(zoom)") }
        }
        let world = HeatTiles.bounds(z: 0, x: 0, y: 0)
        #expect(world.minX == -180 && world.maxX == 180 && abs(world.maxY - 85.0511287798) < 1e-9)
        #expect(throws: GridwallError.self) { try HeatTiles.validate(z: 3, x: 8, y: 0) }
        #expect(try analysis.heatTile(raster, scale: raster.maximum, z: z, x: x, y: y).prefix(4) == [0x89, 0x50, 0x4E, 0x47])
    }

    /// A zoom-18 tile over the densest spot, drawn at its own resolution, equals the exact
    /// density at its pixels (within 1 %, a street's width of detail); sampling the 50 m raster
    /// of the whole filter there is further off.
    @Test func aZoom18TileHasTheExactDensityAtItsPixels() throws {
        let (analysis, _, _) = EventAnalysisTests.sample
        let (h, cell) = (300.0, 50.0)
        let whole = try analysis.density(filter: Self.month, bandwidth: h, cellSize: cell)
        let densest = whole.values.indices.max { whole.values[$0] < whole.values[$1] }!
        let spot = try analysis.lonLat(whole.centre(column: densest % whole.columns, row: densest / whole.columns))
        let z = 18, w = TileID.world(spot), n = Double(1 << z)
        let x = Int(w.x * n), y = Int(w.y * n)
        let own = try #require(try analysis.tileRaster(filter: Self.month, bandwidth: h, cellSize: cell, z: z, x: x, y: y))
        #expect(own.cellSize < cell)
        #expect(try analysis.tileRaster(filter: Self.month, bandwidth: h, cellSize: cell, z: 10, x: x >> 8, y: y >> 8) == nil)   // pixels ~150 m: the filter raster serves
        var points: [Coordinate] = []
        analysis.events.forEachMatch(Self.month) { points.append(Coordinate(analysis.events.xs[$0], analysis.events.ys[$0])) }
        var centres = HeatTiles.pixelCentres(z: z, x: x, y: y)
        centres = stride(from: 0, to: centres.count, by: 1021).map { centres[$0] }    // 65 pixels spread over the tile
        let projected = try centres.map { c in try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: analysis.crs) { try $0.forward(c) } }
        var worstOwn = 0.0, worstWhole = 0.0
        for p in projected {
            let exact = KernelDensity.density(at: p, points: points, bandwidth: h)
            #expect(exact > 0)
            worstOwn = max(worstOwn, abs(own.value(at: p) - exact) / exact)
            worstWhole = max(worstWhole, abs(whole.value(at: p) - exact) / exact)
        }
        #expect(worstOwn <= 0.01 && worstOwn < worstWhole, "tile's own raster \(worstOwn * 100) %, the filter's \(worstWhole * 100) %")
    }
}
