// GET /wall: the 3D map wall page, its script and style, and the map library it runs on. The
// page is static (no token needed to load it); the data it reads goes through the API's roles.
import GridwallCore
import Hummingbird
import HTTPTypes

enum WallRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        let assets = WallAssets()
        routes.add(.get, "/wall", role: nil, tag: "wall", "The 3D map wall page (MapLibre over Gridwall's own tiles and stream)",
                   answers: "text/html") { request, _ in
            try serve(assets, "wall.html", request)
        }
        routes.add(.get, "/wall/{file}", role: nil, tag: "wall", "The wall page's script and style",
                   parameters: [.path("file", "wall.js or wall.css")], answers: "text/javascript") { request, context in
            try serve(assets, context.parameters.get("file") ?? "", request)
        }
        routes.add(.get, "/wall/vendor/{file}", role: nil, tag: "wall", "The map library the wall runs on (MapLibre GL JS, BSD-3-Clause) and its licence",
                   parameters: [.path("file", "maplibre-gl.js, maplibre-gl.css or LICENSE-maplibre.txt")], answers: "text/javascript") { request, context in
            try serve(assets, "vendor/" + (context.parameters.get("file") ?? ""), request)
        }
    }

    /// One of the loaded files (only those: a path is a key into the table, never opened).
    static func serve(_ assets: WallAssets, _ path: String, _ request: Request) throws -> Response {
        if case .failure(let missing) = assets.origin { throw missing }
        guard let file = assets.files[path] else { throw GridwallError(.notFound, "no such file of the wall page: \(path)", at: "path") }
        var headers: HTTPFields = [.contentType: file.contentType, .eTag: file.etag, .cacheControl: "no-cache"]
        if request.headers[.ifNoneMatch] == file.etag { return Response(status: .notModified, headers: headers) }
        var body = file.bytes
        if !file.gzipped.isEmpty, request.headers[.acceptEncoding]?.lowercased().contains("gzip") == true {
            body = file.gzipped
            headers[.contentEncoding] = "gzip"
        }
        headers[.vary] = "Accept-Encoding"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
