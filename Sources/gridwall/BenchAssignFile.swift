// `gridwall bench assign`, file to file: 1,000,000 points over the sample district's bounding
// box as CSV (id, lon, lat; about a third fall outside every grid), assigned to a CSV with every
// column `gridwall assign` writes, by its code (BatchAssigner, 2 threads) against, in the same
// run on the same file: the GEOS C path one would write (strtod, a prepared-geometry STRtree,
// the grid id appended to each line; one thread) and shapely with pandas (`read_csv`, an STRtree
// query, `to_csv`: scripts/reference/assign_file_reference.py). Every row's grid is compared.
// Beside them, the engine alone in memory on the same points: grid only, and the whole
// assignment (grid, nearest grid outside, building), to show where the file path's time goes.
import Foundation
import GridwallBatch
import GridwallCore
import GridwallGEOS
import GridwallStore

extension BenchAssign {
    func fileToFile() throws {
        print("\n## file to file: CSV in, CSV out, sample district")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-file-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try GeoStore(path: dir.appendingPathComponent("store.sqlite").path)
        _ = try GeodataLoader.load(directory: geodata, into: store) { _ in }
        let engine = try store.assignmentEngine()
        let grids = try store.areas().filter { $0.level == .grid }
        // The points: uniform over the grids' bounding box, 7 decimals, as a user's export.
        var box = BoundingBox.empty
        for g in grids { if let b = g.geometry.boundingBox { box.extend(b) } }
        var rng = SeededRandom(seed: 2026)
        var text = "id,lon,lat\n"
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<points {
            let lon = (rng.uniform(box.minX, box.maxX) * 1e7).rounded() / 1e7, lat = (rng.uniform(box.minY, box.maxY) * 1e7).rounded() / 1e7
            xs.append(lon); ys.append(lat)
            text += "P\(i),\(GeoJSON.formatFixed(lon, decimals: 7)),\(GeoJSON.formatFixed(lat, decimals: 7))\n"
        }
        let input = dir.appendingPathComponent("points.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: input))
        text = ""
        let megabytes = Double((try FileManager.default.attributesOfItem(atPath: input)[.size] as? NSNumber)?.intValue ?? 0) / 1e6
        print(String(format: "%d points, %.1f MB of CSV", points, megabytes))

        // Ours: `gridwall assign`'s code, every column.
        let output = dir.appendingPathComponent("gridwall.csv").path
        let assigner = BatchAssigner(engine: engine)
        let oursRuns = try (0..<3).map { _ in try assigner.run(input: input, output: output, options: BatchOptions(input: .csv, output: .csv)).seconds }
        let ours = oursRuns.min()!
        print(String(format: "Gridwall assign (2 threads; grid, community, street, district, building, placement, nearest grid, distance): %.3f s, %.2f M rows/s (best of 3)",
                     ours, Double(points) / ours / 1e6))
        let oursGrids = try gridColumn(output, column: "grid_id")

        // The engine alone on the same points, one core: where the file path's time goes.
        var sink = 0
        let gridOnly = best(3) { for i in 0..<xs.count { sink &+= Int(engine.gridIndex.locate(x: xs[i], y: ys[i]).feature) } }
        let buildingOnly = best(3) { for i in 0..<xs.count { sink &+= Int(engine.buildingIndex.locate(x: xs[i], y: ys[i]).feature) } }
        let outside = xs.indices.filter { engine.gridIndex.locate(x: xs[$0], y: ys[$0]).feature < 0 }
        let nearestOnly = best(3) { for i in outside { sink &+= Int(engine.gridIndex.nearestFeatureOutside(x: xs[i], y: ys[i])?.feature ?? 0) } }
        let whole = best(3) { for i in 0..<xs.count { let a = engine.assign(x: xs[i], y: ys[i]); sink &+= Int(a.grid) &+ Int(a.building) } }
        print(String(format: "  the engine in memory, 1 core: the grid %.0f ms (%.1f M points/s), the building %.0f ms, the nearest grid of the %d outside %.0f ms; whole assignment %.0f ms (%.1f M points/s)%@",
                     gridOnly * 1000, Double(points) / gridOnly / 1e6, buildingOnly * 1000, outside.count, nearestOnly * 1000,
                     whole * 1000, Double(points) / whole / 1e6, sink == 42 ? " " : ""))

        // The GEOS C path: strtod, a prepared STRtree, the grid id appended.
        let geos = GeosContext()
        let locator = try GeosPointLocator(context: geos, features: grids.map(\.geometry.polygons))
        let geosOutput = dir.appendingPathComponent("geos.csv").path
        let ids = grids.map(\.id)
        let geosSeconds = try timed {
            let data = try Data(contentsOf: URL(fileURLWithPath: input))
            var out: [UInt8] = []
            out.reserveCapacity(data.count + points * 16)
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let bytes = raw.bindMemory(to: CChar.self)
                var start = 0
                var first = true
                for i in 0..<bytes.count where bytes[i] == 10 {
                    let line = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    defer { start = i + 1 }
                    out.append(contentsOf: UnsafeRawBufferPointer(line))
                    if first { out.append(contentsOf: Array(",grid_id\n".utf8)); first = false; continue }
                    // id,lon,lat: the numbers after the first and second commas.
                    guard let c1 = line.firstIndex(of: 44) else { continue }
                    var end: UnsafeMutablePointer<CChar>?
                    let lon = strtod(line.baseAddress! + c1 + 1, &end)
                    let lat = strtod(end! + 1, nil)
                    let g = try locator.locate(x: lon, y: lat)
                    out.append(44)
                    if g >= 0 { out.append(contentsOf: Array(ids[Int(g)].utf8)) }
                    out.append(10)
                }
            }
            try Data(out).write(to: URL(fileURLWithPath: geosOutput))
        }
        let geosGrids = try gridColumn(geosOutput, column: "grid_id")
        print(String(format: "GEOS C path (1 thread; strtod, prepared STRtree, grid id appended): %.3f s, %.2f M rows/s; grids identical to ours: %d of %d; ratio Gridwall / GEOS = %.1f×",
                     geosSeconds, Double(points) / geosSeconds / 1e6, zip(geosGrids, oursGrids).filter { $0 == $1 }.count, points, geosSeconds / ours))

        // shapely and pandas.
        let gridFile = dir.appendingPathComponent("grids.geojson").path
        try GeoJSON.featureCollection(grids.map { Feature(geometry: $0.geometry, properties: ["id": .string($0.id)]) })
            .write(toFile: gridFile, atomically: true, encoding: .utf8)
        let shapelyOutput = dir.appendingPathComponent("shapely.csv").path
        guard let printed = try runReferenceScript(referencePython(python), "assign_file_reference.py", [gridFile, input, shapelyOutput], showErrors: true),
              let result = try? JSONValue.parse(printed), let seconds = result["seconds"]?.doubleValue else {
            print("shapely + pandas: skipped (\(referencePython(python)) with shapely, pandas and numpy not found)")
            return
        }
        let shapelyGrids = try gridColumn(shapelyOutput, column: "grid_id")
        print(String(format: "shapely %@ + pandas %@ (1 thread; read_csv, STRtree query, to_csv): %.3f s, %.2f M rows/s; grids identical to ours: %d of %d; ratio Gridwall / shapely = %.1f×",
                     (result["shapely"]?.stringValue ?? "?") as NSString, (result["pandas"]?.stringValue ?? "?") as NSString, seconds,
                     Double(points) / seconds / 1e6, zip(shapelyGrids, oursGrids).filter { $0 == $1 }.count, points, seconds / ours))
    }

    /// One column of a CSV with a header (ids are plain: no quoting).
    func gridColumn(_ path: String, column: String) throws -> [Substring] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
        guard let k = header.firstIndex(where: { $0 == column }) else { throw GridwallError(.invalidInput, "no \(column) column", at: path) }
        return lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return k < fields.count ? fields[k] : ""
        }
    }

}
