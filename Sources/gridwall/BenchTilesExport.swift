// `gridwall bench tiles`, the export half: zooms 10–16 of the sample district's grids and
// buildings written to MBTiles and to PMTiles by `gridwall tiles export` (its code, in this
// process, from a store loaded from the geodata beforehand; 2 threads) and by tippecanoe on the
// same features as GeoJSON (felt/tippecanoe, built from source: BENCHMARKS.md says how; it
// uses every core too), in the same run. Tippecanoe is told to keep every feature at every zoom
// (no dropping, no tiny-polygon reduction, no tile size or feature limits), as ours does.
import Foundation
import GridwallCore
import GridwallStore

extension BenchTiles {
    func exportBesideTippecanoe() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-export-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try GeoStore(path: dir.appendingPathComponent("store.sqlite").path)
        _ = try GeodataLoader.load(directory: geodata, into: store) { _ in }
        print("export, zooms 10–16, grids and buildings, 2 threads:")
        var ours: [String: Double] = [:]
        for format in ["mbtiles", "pmtiles"] {
            let out = dir.appendingPathComponent("gridwall.\(format)").path
            var result = (written: 0, empty: 0, bytes: 0)
            let seconds = try best(max(1, repeats / 2)) {
                try? FileManager.default.removeItem(atPath: out)
                let sources = try TilesExport.sources(["grids", "buildings"], from: store)
                var bounds = BoundingBox.empty
                for s in sources { bounds.extend(s.bounds) }
                result = try TilesExport.export(sources, bounds: bounds, to: out, minzoom: 10, maxzoom: 16, threads: 2, progress: nil)
            }
            ours[format] = seconds
            print(String(format: "  Gridwall tiles export → %@: %.2f s (best of %d; sources read from the store, cut, encoded, gzipped, written); %d tiles, %.1f MB",
                         format as NSString, seconds, max(1, repeats / 2), result.written, Double(fileSize(out)) / 1e6))
        }
        guard let tippecanoe = tippecanoePath else {
            print("  tippecanoe: not found (--tippecanoe PATH, or on PATH); skipped")
            return
        }
        // The same features as GeoJSON files, one per layer.
        let areas = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: (geodata as NSString).appendingPathComponent("areas.geojson"))))
        let grids = (areas["features"]?.arrayValue ?? []).filter { $0["properties"]?["level"]?.stringValue == "grid" }
        try JSONValue.object(["type": .string("FeatureCollection"), "features": .array(grids)]).serialized
            .write(to: dir.appendingPathComponent("grids.geojson"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: (geodata as NSString).appendingPathComponent("buildings.geojson"),
                                        toPath: dir.appendingPathComponent("buildings.geojson").path)
        for format in ["mbtiles", "pmtiles"] {
            let out = dir.appendingPathComponent("tippecanoe.\(format)").path
            var status: Int32 = 0
            let seconds = try best(max(1, repeats / 2)) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: tippecanoe)
                p.arguments = ["-o", out, "--force", "--quiet", "-Z10", "-z16", "--no-feature-limit", "--no-tile-size-limit",
                               "--no-tiny-polygon-reduction", "--drop-rate=1",
                               "-L", "grids:" + dir.appendingPathComponent("grids.geojson").path,
                               "-L", "buildings:" + dir.appendingPathComponent("buildings.geojson").path]
                try p.run()
                p.waitUntilExit()
                status = p.terminationStatus
            }
            guard status == 0 else { throw GridwallError(.io, "tippecanoe exited with \(status)") }
            let tiles = format == "mbtiles" ? mbtilesCount(out).map { "\($0) tiles, " } ?? "" : ""
            print(String(format: "  tippecanoe → %@: %.2f s (best of %d; GeoJSON read, cut, simplified, encoded, written); %@%.1f MB; ratio tippecanoe / Gridwall = %.1f×",
                         format as NSString, seconds, max(1, repeats / 2), tiles as NSString, Double(fileSize(out)) / 1e6, seconds / ours[format]!))
        }
    }

    /// --tippecanoe, or `tippecanoe` on the PATH.
    var tippecanoePath: String? {
        if let tippecanoe { return FileManager.default.isExecutableFile(atPath: tippecanoe) ? tippecanoe : nil }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/tippecanoe"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The tiles in an MBTiles file, by the sqlite3 shell when there is one.
    func mbtilesCount(_ path: String) -> Int? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", path, "SELECT count(*) FROM tiles"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return p.terminationStatus == 0 ? Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    }

    func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
