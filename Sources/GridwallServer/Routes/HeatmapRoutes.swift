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
        "by": ("string", "grid (default), hex, square, kde, gistar or emerging"),
        "from": ("string", "Window start, ISO 8601 (inclusive)"), "to": ("string", "Window end, ISO 8601 (exclusive)"),
        "category": ("string", "Categories, comma-separated"), "status": ("string", "Statuses, comma-separated"),
        "source": ("string", "Sources, comma-separated"), "bbox": ("string", "minLon,minLat,maxLon,maxLat"),
        "level": ("string", "Areas for by=grid: grid, community, street or district"),
        "classify": ("string", "Five-class colouring: quantile, jenks or fixed"), "thresholds": ("string", "Class bounds for classify=fixed"),
        "measure": ("string", "count, per_km2 or per_1000"), "size_m": ("number", "Bin size in metres (hex, square)"),
        "bandwidth_m": ("number", "Kernel bandwidth in metres (kde)"), "cell_m": ("number", "Raster cell in metres (kde)"),
        "format": ("string", "kde output: png (default), json (a summary) or geojson (density bands)"), "levels": ("string", "Isoband lower bounds, events per km²"),
        "units": ("string", "gistar and emerging units: grid, hex or square"), "weights": ("string", "gistar and emerging weights: queen, rook, distance:M or knn:K"),
        "transform": ("string", "gistar weight transform: B (binary) or R (rows sum to 1)"), "fdr": ("boolean", "False discovery rate correction"),
        "empty": ("boolean", "Include bins without events"), "crs": ("string", "The metric system for bins and hot spots, EPSG:<code>"),
        "step": ("string", "emerging: day or week (default; from Monday 00:00 UTC)"),
        "steps": ("integer", "emerging: steps back from `to` or the newest event (default 12; not with from)"),
        "lags": ("integer", "emerging: earlier steps of the same place among a cell's neighbours (default 1)"),
    ]

    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        let seriesNames = ["grid", "community", "street", "step", "from", "to", "category", "status", "source", "bbox"]
        routes.get("/heatmap/series", tag: "heatmaps",
                   "Events per hour, day or week (UTC) in one grid, community or street (or the whole district), with the heatmap filters",
                   parameters: [.query("grid", "A grid's id"), .query("community", "A community's id"), .query("street", "A street's id"),
                                .query("step", "hour, day (default) or week (from Monday 00:00 UTC)")]
                    + parameters.filter { ["from", "to", "category", "status", "source", "bbox"].contains($0.name) }) { request, _ in
            let q = Query(request)
            let given = q.parameters.map { String($0.key) }
            for name in given where !seriesNames.contains(name) {
                throw GridwallError(.invalidParameter, "unknown parameter; known: \(seriesNames.joined(separator: ", "))", at: name)
            }
            let step = try q.string("step").map { text in
                guard let s = EventSeries.Step(rawValue: text) else { throw GridwallError(.invalidParameter, "step must be hour, day or week", at: "step") }
                return s
            } ?? .day
            var filter = try HeatmapRequest(given: given.filter { ["from", "to", "category", "status", "source", "bbox"].contains($0) }, q.string).filter
            try s.checkNames(filter)
            let named = [AreaLevel.grid, .community, .street].compactMap { level in q.string(level.rawValue).map { (level, $0) } }
            guard named.count <= 1 else { throw GridwallError(.invalidParameter, "name one area: grid, community or street", at: named[1].0.rawValue) }
            let (series, record) = try s.heatmaps.reading { analysis -> (EventSeries, AreaRecord?) in
                var area: Int?
                if let (level, id) = named.first {
                    guard let index = analysis.areas.records.firstIndex(where: { $0.id == id && $0.level == level }) else {
                        throw GridwallError(.notFound, "no \(level.rawValue) \"\(id)\"", at: level.rawValue)
                    }
                    area = index
                }
                // Without a window: the last 48 hours, 30 days or 12 weeks up to the newest event.
                let end = filter.to ?? ((analysis.events.times.last ?? 0) + 1)
                let span: Int64 = switch step { case .hour: 48 * 3_600; case .day: 30 * 86_400; case .week: 12 * 604_800 }
                let start = filter.from ?? (end - span)
                filter = filter.window(from: nil, to: nil)
                return (try analysis.series(filter: filter, area: area, step: step, from: start, to: end), area.map { analysis.areas.records[$0] })
            }
            return json(.object([
                "area": record.map { .object(["id": .string($0.id), "name": .string($0.name), "level": .string($0.level.rawValue)]) } ?? .null,
                "step": .string(step.rawValue), "from": .string(ISOTime.format(series.from)), "to": .string(ISOTime.format(series.to)),
                "total": .number(Double(series.total)),
                "series": .array(series.counts.enumerated().map { k, n in
                    .object(["start": .string(ISOTime.format(series.from + Int64(k) * step.seconds)), "count": .number(Double(n))])
                }),
            ]))
        }
        routes.get("/heatmap", tag: "heatmaps", "Events per area, bin, kernel density, hot spot or emerging hot spot (GeoJSON, or PNG for kde)",
                   parameters: parameters + [.query("version", "integer", "Count by the grids of this version of the area layer (GET /plans lists them): every event placed in that version's polygons")],
                   answers: "application/geo+json") { request, _ in
            let q = Query(request)
            let parsed = try HeatmapRequest(given: q.parameters.map { String($0.key) }.filter { $0 != "version" }, q.string)
            try s.checkNames(parsed.filter)
            let answer: HeatmapAnswer
            if let version = try q.int("version", range: 1...Int(Int32.max)) {
                guard let past = try s.heatmaps.analysis(version: version, store: s.store) else {
                    throw GridwallError(.notFound, "no version \(version) of the area layer (GET /plans lists them)", at: "version")
                }
                answer = try past.heatmap(parsed)
            } else if parsed.kind == .kde {
                // The positions are read under the analysis's lock, the raster made without it:
                // over millions of events it takes a tenth of a second that new events would wait.
                let (input, crs) = try s.heatmaps.reading { analysis in (try analysis.densityInput(for: parsed), analysis.crs) }
                answer = try EventAnalysis.densityAnswer(parsed, input: input, crs: crs)
            } else {
                answer = try s.heatmaps.reading { try $0.heatmap(parsed) }
            }
            if case .image(let png, let summary) = answer, parsed.rasterFormat == .png {
                var headers: HTTPFields = [.contentType: "image/png"]
                if let corners = summary["corners"] { headers[HTTPField.Name("X-Gridwall-Corners")!] = corners.serialized }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: png)))
            }
            return geoJSON(answer.geoJSON)
        }
    }
}
