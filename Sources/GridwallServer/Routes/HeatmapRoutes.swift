// GET /heatmap: per area, hexagon and square bins, kernel density and hot spots, over the
// stored and live events (Docs/heatmaps.md lists the parameters and their limits).
import GridwallAnalysis
import GridwallCore
import Hummingbird
import HTTPTypes

enum HeatmapRoutes {
    /// Every parameter a heatmap request takes (HeatmapRequest.names), described.
    static let parameters: [ParameterDoc] = HeatmapRequest.names.map { name in
        let (type, text) = descriptions[name] ?? ("string", "See Docs/heatmaps.md")
        return .query(name, type, text)
    }
    static let descriptions: [String: (String, String)] = [
        "by": ("string", "grid (default), hex, square, kde or gistar"),
        "from": ("string", "Window start, ISO 8601 (inclusive)"), "to": ("string", "Window end, ISO 8601 (exclusive)"),
        "category": ("string", "Categories, comma-separated"), "status": ("string", "Statuses, comma-separated"),
        "source": ("string", "Sources, comma-separated"), "bbox": ("string", "minLon,minLat,maxLon,maxLat"),
        "level": ("string", "Areas for by=grid: grid, community, street or district"),
        "classify": ("string", "Five-class colouring: quantile, jenks or fixed"), "thresholds": ("string", "Class bounds for classify=fixed"),
        "measure": ("string", "count, per_km2 or per_1000"), "size_m": ("number", "Bin size in metres (hex, square)"),
        "bandwidth_m": ("number", "Kernel bandwidth in metres (kde)"), "cell_m": ("number", "Raster cell in metres (kde)"),
        "format": ("string", "kde output: png (default), json (a summary) or geojson (density bands)"), "levels": ("string", "Isoband lower bounds, events per km²"),
        "units": ("string", "gistar units: grid, hex or square"), "weights": ("string", "gistar weights: queen, rook, distance:M or knn:K"),
        "transform": ("string", "gistar weight transform: B (binary) or R (rows sum to 1)"), "fdr": ("boolean", "False discovery rate correction"),
        "empty": ("boolean", "Include bins without events"), "crs": ("string", "The metric system for bins and hot spots, EPSG:<code>"),
    ]

    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.get("/heatmap", tag: "heatmaps", "Events per area, bin, kernel density or hot spot (GeoJSON, or PNG for kde)",
                   parameters: parameters + [.query("version", "integer", "Count by the grids of this version of the area layer (GET /plans lists them): every event placed in that version's polygons")],
                   answers: "application/geo+json") { request, _ in
            let q = Query(request)
            let parsed = try HeatmapRequest(given: q.parameters.map { String($0.key) }.filter { $0 != "version" }, q.string)
            var analysis = s.heatmaps.analysis
            if let version = try q.int("version", range: 1...Int(Int32.max)) {
                guard let past = try s.heatmaps.analysis(version: version, store: s.store) else {
                    throw GridwallError(.notFound, "no version \(version) of the area layer (GET /plans lists them)", at: "version")
                }
                analysis = past
            }
            let answer = try analysis.heatmap(parsed)
            if case .image(let png, let summary) = answer, parsed.rasterFormat == .png {
                var headers: HTTPFields = [.contentType: "image/png"]
                if let corners = summary["corners"] { headers[HTTPField.Name("X-Gridwall-Corners")!] = corners.serialized }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: png)))
            }
            return geoJSON(answer.geoJSON)
        }
    }
}
