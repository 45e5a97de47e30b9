// `gridwall heatmap`: the same heatmaps as GET /heatmap, from the store, written as GeoJSON,
// CSV or PNG. Options carry the HTTP parameter names (--size-m is size_m) and go through the
// same parser, so both give the same answers and the same errors.
import ArgumentParser
import Foundation
import GridwallAnalysis
import GridwallCore
import GridwallServer
import GridwallStore

struct Heatmap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Event heatmaps and hot spots: per grid, community or street, hexagon or square bins, kernel density, Getis-Ord Gi*, emerging hot spots.",
        discussion: """
        Examples:
          gridwall heatmap --by grid --level community --from 2026-11-01T00:00:00Z --to 2026-11-08T00:00:00Z --out week.geojson
          gridwall heatmap --by hex --size-m 250 --category illegal_parking,noise --out hex.csv
          gridwall heatmap --by kde --bandwidth-m 300 --cell-m 25 --out heat.png
          gridwall heatmap --by gistar --units square --size-m 500 --empty true --weights queen --fdr true --out hot.geojson
          gridwall heatmap --by emerging --units grid --step week --steps 12 --out trends.geojson
        """)

    @Option(help: "grid, hex, square, kde, gistar or emerging.") var by = "grid"
    @Option(help: "Window start, ISO 8601 (inclusive).") var from: String?
    @Option(help: "Window end, ISO 8601 (exclusive).") var to: String?
    @Option(help: "Categories, comma-separated.") var category: String?
    @Option(help: "Statuses, comma-separated.") var status: String?
    @Option(help: "Sources, comma-separated.") var source: String?
    @Option(help: "minLon,minLat,maxLon,maxLat.") var bbox: String?
    @Option(help: "by grid: grid, community or street.") var level: String?
    @Option(help: "by grid: quantile, jenks or fixed.") var classify: String?
    @Option(help: "by grid with --classify fixed: four ascending thresholds.") var thresholds: String?
    @Option(help: "by grid: count, per_km2 or per_1000 (what the classes are computed from).") var measure: String?
    @Option(name: .customLong("size-m"), help: "Bin size in metres (hexagon side or square side).") var size: String?
    @Option(name: .customLong("bandwidth-m"), help: "by kde: kernel bandwidth in metres (default 300).") var bandwidth: String?
    @Option(name: .customLong("cell-m"), help: "by kde: cell size in metres (default 50).") var cell: String?
    @Flag(help: "by kde: write the density bands as polygons (GeoJSON or CSV) instead of the raster's summary.") var isobands = false
    @Option(help: "by kde with --isobands: five ascending lower bounds in events per km² (default: 5, 20, 40, 60, 80 % of the scale).") var levels: String?
    @Option(help: "by gistar or emerging: grid, hex or square.") var units: String?
    @Option(help: "by gistar or emerging: queen, rook, distance:<metres> or knn:<k>.") var weights: String?
    @Option(help: "by gistar or emerging: B (binary) or R (row-standardised).") var transform: String?
    @Option(help: "by gistar or emerging: true for false-discovery-rate correction.") var fdr: String?
    @Option(help: "by gistar over bins: true to include the empty bins of the covering rectangle.") var empty: String?
    @Option(help: "Bins in another metric CRS, e.g. EPSG:32651.") var crs: String?
    @Option(help: "by emerging: day or week (from Monday 00:00 UTC; default week).") var step: String?
    @Option(help: "by emerging: steps back from --to or the newest event (default 12; not with --from).") var steps: String?
    @Option(help: "by emerging: earlier steps of the same place among a cell's neighbours (default 1).") var lags: String?
    @Option(help: "The store.") var store = "gridwall.sqlite"
    @Option(help: "Output file: .geojson, .csv or .png (kde: .png image, .csv cells, .geojson summary or --isobands); standard output (GeoJSON) when omitted.") var out: String?

    func run() async throws {
        try await Terminal.reportingErrors {
            if let out { try OutputFile.checkWritable(out) }
            var given: [String: String] = ["by": by]
            let optional: [(String, String?)] = [
                ("from", from), ("to", to), ("category", category), ("status", status), ("source", source), ("bbox", bbox),
                ("level", level), ("classify", classify), ("thresholds", thresholds), ("measure", measure), ("size_m", size),
                ("bandwidth_m", bandwidth), ("cell_m", cell), ("units", units), ("weights", weights), ("transform", transform),
                ("fdr", fdr), ("empty", empty), ("crs", crs), ("step", step), ("steps", steps), ("lags", lags),
            ]
            for (name, value) in optional { if let value { given[name] = value } }
            let extensionName = out.map { URL(fileURLWithPath: $0).pathExtension.lowercased() } ?? "geojson"
            if by == "kde" && extensionName != "png" { given["format"] = isobands ? "geojson" : "json" }
            if let levels { given["levels"] = levels }
            let request = try HeatmapRequest(given: Array(given.keys)) { given[$0] }
            guard FileManager.default.fileExists(atPath: store) else {
                throw GridwallError(.notFound, "no store at \(store); run `gridwall serve` once or `gridwall import` first", at: "--store")
            }
            let geoStore = try GeoStore(path: store)
            // Read as the server reads them at start: in time order, a batch at a time.
            let (analysis, _, skipped) = try HeatmapService.analysis(of: geoStore, areas: try geoStore.areas())
            if skipped > 0 { Terminal.note("\(skipped) events without a readable time or position were left out") }
            if request.kind == .kde, extensionName == "csv", !isobands {
                // The raster itself, cell by cell.
                let raster = try analysis.density(filter: request.filter, bandwidth: request.bandwidth, cellSize: request.cellSize)
                let text = try analysis.rasterCSV(raster)
                if let out { try OutputFile.write(Array(text.utf8), to: out); Terminal.note("\(raster.columns) × \(raster.rows) raster written to \(out) (non-zero cells)") }
                else { FileHandle.standardOutput.write(Data(text.utf8)) }
                return
            }
            let answer = try analysis.heatmap(request)
            let bytes: [UInt8]
            switch (extensionName, answer) {
            case ("png", .image(let png, _)): bytes = png
            case ("png", _): throw GridwallError(.invalidParameter, "only --by kde makes a PNG; use .geojson or .csv", at: "--out")
            case ("csv", .features): bytes = Array(answer.csv.utf8)
            case ("geojson", _), ("json", _): bytes = Array(answer.geoJSON.utf8)
            default: throw GridwallError(.invalidParameter, "write .geojson, .csv or .png, not .\(extensionName)", at: "--out")
            }
            if let out {
                try OutputFile.write(bytes, to: out)
                if case .features(let features, _) = answer { Terminal.note("\(features.count) features written to \(out)") } else { Terminal.note("image written to \(out)") }
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
        }
    }
}
