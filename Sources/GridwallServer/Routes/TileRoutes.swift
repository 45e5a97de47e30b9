// Tiles for the map wall: vector tiles of every source, PNG heat tiles, TileJSON and a style.
import GridwallAnalysis
import GridwallCore
import Hummingbird
import HTTPTypes

enum TileRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        // /tiles/{source}/{z}/{x}/{y}.mvt for the vector sources, /tiles/heat/{z}/{x}/{y}.png for
        // the density (one route: the source and the extension decide).
        routes.get("/tiles/{source}/{z}/{x}/{y}", tag: "tiles", "A vector tile (.mvt) of a source, or a PNG heat tile (/tiles/heat/…png)",
                   parameters: [.path("source", "district, streets, communities, grids, buildings, cameras, responders, events or heat"),
                                .path("z", "integer", "Zoom"), .path("x", "integer", "Column"), .path("y", "The row with .mvt or .png")]
                    + HeatmapRoutes.parameters.filter { !["by", "format", "crs", "level"].contains($0.name) },
                   answers: "application/vnd.mapbox-vector-tile", statuses: [204, 304]) { request, context in
            let source = context.parameters.get("source") ?? ""
            var yText = context.parameters.get("y") ?? ""
            let format = yText.hasSuffix(".png") ? "png" : "mvt"
            for suffix in [".png", ".mvt", ".pbf"] where yText.hasSuffix(suffix) { yText.removeLast(suffix.count) }
            func part(_ name: String, _ text: String) throws -> Int {
                guard let v = Int(text) else { throw GridwallError(.invalidParameter, "expected a whole number, found \"\(text)\"", at: name) }
                return v
            }
            let tile = try TileID(z: part("z", context.parameters.get("z") ?? ""), x: part("x", context.parameters.get("x") ?? ""), y: part("y", yText))
            let q = Query(request)
            let parsed = try HeatmapRequest(given: q.parameters.map { String($0.key) }, q.string)
            try s.checkNames(parsed.filter)
            if format == "png" {
                guard source == "heat" else { throw GridwallError(.invalidParameter, "PNG tiles are served for the heat source only; use .mvt", at: "y") }
                // The same events, filter and tile give the same picture.
                let etag = "\"heat-" + TileService.hash("\(s.heatmaps.version)|\(request.uri.query ?? "")|\(tile)") + "\""
                let headers: HTTPFields = [.contentType: "image/png", .cacheControl: "max-age=60", .eTag: etag]
                if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
                let png = try s.heatmaps.heatTile(for: parsed, tile)
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: png)))
            }
            let gzip = request.headers[.acceptEncoding]?.lowercased().contains("gzip") == true
            let encoded = try s.tiles.tile(source: source, tile, request: parsed, query: request.uri.query ?? "", gzip: gzip)
            var headers: HTTPFields = [.eTag: encoded.etag, .cacheControl: encoded.live ? "no-cache" : "max-age=60",
                                       .contentType: "application/vnd.mapbox-vector-tile"]
            if request.headers[.ifNoneMatch] == encoded.etag { return Response(status: .notModified, headers: headers) }
            // A tile with no feature: 204 No Content (MapLibre draws nothing there).
            guard !encoded.bytes.isEmpty else { return Response(status: .noContent, headers: headers) }
            if encoded.gzipped { headers[.contentEncoding] = "gzip" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encoded.bytes)))
        }
        // TileJSON: /tiles/{source}.json
        // (The parameter has the same name as the tile route's: the router needs one name per level.)
        routes.get("/tiles/{source}", tag: "tiles", "TileJSON 3.0.0 of a source: /tiles/{source}.json",
                   parameters: [.path("source", "The source name followed by .json")]) { request, context in
            let file = context.parameters.get("source") ?? ""
            guard file.hasSuffix(".json") else {
                throw GridwallError(.notFound, "expected /tiles/{source}.json or /tiles/{source}/{z}/{x}/{y}.mvt", at: "path")
            }
            // The query goes into the tile URLs: what every tile would refuse is refused here once.
            let q = Query(request)
            try s.checkNames(try HeatmapRequest(given: q.parameters.map { String($0.key) }, q.string).filter)
            return json(try s.tiles.tileJSON(source: String(file.dropLast(5)), base: baseURL(request, s.options), query: request.uri.query ?? ""))
        }
        routes.get("/style.json", tag: "tiles", "A MapLibre style of every source (extruded buildings, coloured grids, live layers)") { request, _ in
            json(MapStyle.document(base: baseURL(request, s.options), query: request.uri.query ?? ""))
        }
    }
}
