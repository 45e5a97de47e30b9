// `gridwall tiles export`: a pyramid of vector tiles from the store into an MBTiles or PMTiles file, for a
// wall that runs without the server (MapLibre reads it through a tile server or a protocol
// handler; GDAL and QGIS open it directly).
import ArgumentParser
import Dispatch
import Foundation
import GridwallAnalysis
import GridwallCore
import GridwallGEOS
import GridwallStore

struct Tiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Vector tiles from the store.", subcommands: [TilesExport.self])
}

struct TilesExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a tile pyramid of the store's layers to an MBTiles or PMTiles file.",
        discussion: """
            Every tile of the zoom range that holds a feature of a chosen source is written, gzipped, one
            layer per source (the layers of `GET /tiles/{source}/…`, without the live heat figures).
            Prints a progress bar on a terminal and a summary line: tiles, bytes, seconds.
            """)

    static let exportable = TileSource.areaSources.map(\.name) + ["buildings", "cameras", "responders"]

    @Argument(help: "The output file: .mbtiles (MBTiles 1.3) or .pmtiles (PMTiles v3, clustered).") var out: String
    @Option(help: "Sources, comma-separated: \(exportable.joined(separator: ", ")).") var sources = "district,streets,communities,grids,buildings"
    @Option(help: "Lowest zoom.") var minzoom = 10
    @Option(help: "Highest zoom.") var maxzoom = 16
    @Option(help: "The store.") var store = "gridwall.sqlite"
    @Option(help: "Worker threads (default: all cores).") var threads = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        try await Terminal.reportingErrors {
            let pmtiles = out.hasSuffix(".pmtiles")
            guard pmtiles || out.hasSuffix(".mbtiles") else {
                throw GridwallError(.invalidParameter, "the output must end in .mbtiles or .pmtiles", at: "OUT")
            }
            try OutputFile.checkWritable(out)
            guard (0...TileID.maximumZoom).contains(minzoom), (minzoom...TileID.maximumZoom).contains(maxzoom) else {
                throw GridwallError(.invalidParameter, "zooms must satisfy 0 ≤ minzoom ≤ maxzoom ≤ \(TileID.maximumZoom)", at: "--maxzoom")
            }
            let names = sources.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for n in names where !Self.exportable.contains(n) {
                throw GridwallError(.unknownLayer, "no tile source \"\(n)\"; sources: \(Self.exportable.joined(separator: ", "))", at: "--sources")
            }
            let started = Date()
            let geoStore = try GeoStore(path: store)
            let chosen = try Self.sources(names, from: geoStore)
            var bounds = BoundingBox.empty
            for s in chosen { bounds.extend(s.bounds) }
            guard !bounds.isEmpty else { throw GridwallError(.notFound, "the chosen sources hold no feature", at: "--sources") }
            let (written, empty, bytes) = try Self.export(chosen, bounds: bounds, to: out, minzoom: minzoom, maxzoom: maxzoom, threads: threads,
                                                          progress: ProgressBar(label: "tiles"))
            Terminal.note("wrote \(written) tiles (\(empty) empty left out), \(bytes / 1024) kB, zooms \(minzoom)–\(maxzoom), "
                          + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s to \(out)")
        }
    }

    /// Writes every tile of `minzoom...maxzoom` over `bounds` holding a feature of `sources` to
    /// `out` (.mbtiles or .pmtiles): tiles written, empty ones left out, bytes.
    static func export(_ sources: [TileSource], bounds: BoundingBox, to out: String, minzoom: Int, maxzoom: Int, threads: Int,
                       progress: ProgressBar?) throws -> (written: Int, empty: Int, bytes: Int) {
        var pyramid: [TileID] = []
        for z in minzoom...maxzoom { pyramid += TileID.covering(bounds, zoom: z) }
        let writer = out.hasSuffix(".pmtiles") ? nil : try MBTilesWriter(path: out)
        var kept: [(TileID, [UInt8])] = []   // PMTiles is written whole at the end (its directory first)
        var written = 0, bytes = 0
        let batch = 512
        for start in stride(from: 0, to: pyramid.count, by: batch) {
            let part = Array(pyramid[start..<min(pyramid.count, start + batch)])
            let encoded = try encode(part, sources: sources, threads: threads)
            if let writer { try writer.add(encoded) } else { kept += encoded }
            written += encoded.count
            bytes += encoded.reduce(0) { $0 + $1.1.count }
            progress?.update("cutting", start + part.count, pyramid.count)
        }
        progress?.finish()
        let metadata = metadata(sources, bounds: bounds, minzoom: minzoom, maxzoom: maxzoom)
        if let writer {
            try writer.metadata(metadata)
        } else {
            // PMTiles metadata is one JSON object: the MBTiles rows, with vector_layers unwrapped.
            var object: [String: JSONValue] = [:]
            for (k, v) in metadata where k != "json" { object[k] = .string(v) }
            object["vector_layers"] = try JSONValue.parse(Data((metadata["json"] ?? "{}").utf8))["vector_layers"]
            try PMTilesWriter.write(path: out, tiles: kept, metadata: .object(object), bounds: bounds,
                                    minZoom: minzoom, maxZoom: maxzoom, centreZoom: min(maxzoom, max(minzoom, 13)))
        }
        return (written, pyramid.count - written, bytes)
    }

    /// The chosen sources built from the store.
    static func sources(_ names: [String], from store: GeoStore) throws -> [TileSource] {
        let areas = try store.areas()
        var out: [TileSource] = []
        for name in names {
            if let a = TileSource.areaSources.first(where: { $0.name == name }) {
                out.append(TileSource.areas(areas, level: a.level, name: a.name, description: a.description))
            } else if name == "buildings" {
                let engine = AssignmentEngine(areas: areas, buildings: [], cameras: [])
                out.append(TileSource.buildings(try store.buildings()) { b in
                    guard let c = b.geometry.boundingBox?.center else { return nil }
                    let g = engine.assign(x: c.x, y: c.y).grid
                    return g >= 0 ? engine.grids[Int(g)].gridID : nil
                })
            } else if name == "cameras" {
                out.append(TileSource.cameras(try store.cameras()))
            } else if name == "responders" {
                out.append(TileSource.responders(ResponderIndex(responders: try store.responders())))
            }
        }
        return out
    }

    /// Tiles with at least one feature, gzipped, in the order given; parts on all cores, each
    /// worker with its own GEOS context.
    static func encode(_ tiles: [TileID], sources: [TileSource], threads: Int) throws -> [(TileID, [UInt8])] {
        let results = Locked<[Int: Result<[UInt8]?, Error>]>([:])
        let parts = max(1, min(threads, tiles.count))
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let cutter = GeosTileCutter()
            var local: [Int: Result<[UInt8]?, Error>] = [:]
            for i in stride(from: p, to: tiles.count, by: parts) {
                local[i] = Result {
                    let layers = try sources.map { try $0.layer(tiles[i], cutter: cutter) }
                    let mvt = MVTTile.encode(layers)
                    return mvt.isEmpty ? nil : try Gzip.compress(mvt)
                }
            }
            results.withLock { all in for (k, v) in local { all[k] = v } }
        }
        let all = results.withLock { $0 }
        var out: [(TileID, [UInt8])] = []
        for i in tiles.indices {
            if let bytes = try all[i]!.get() { out.append((tiles[i], bytes)) }
        }
        return out
    }

    static func metadata(_ sources: [TileSource], bounds: BoundingBox, minzoom: Int, maxzoom: Int) -> [String: String] {
        let layers = JSONValue.object(["vector_layers": .array(sources.map { s in
            .object(["id": .string(s.name), "description": .string(s.description),
                     "minzoom": .number(Double(max(minzoom, s.minZoom))), "maxzoom": .number(Double(min(maxzoom, s.maxZoom))),
                     "fields": .object(Dictionary(s.fields.map { ($0.name, JSONValue.string($0.type.rawValue)) }, uniquingKeysWith: { a, _ in a }))])
        })])
        let c = bounds.center
        return [
            "name": "Gridwall", "format": "pbf", "type": "overlay", "version": "1",
            "description": "Gridwall layers: " + sources.map(\.name).joined(separator: ", "),
            "bounds": bounds.array.map { String($0) }.joined(separator: ","),
            "center": "\(c.x),\(c.y),\(min(maxzoom, max(minzoom, 13)))",
            "minzoom": String(minzoom), "maxzoom": String(maxzoom), "json": layers.serialized,
        ]
    }
}
