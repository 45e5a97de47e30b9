// The service about itself: health and layer counts.
import GridwallCore
import Hummingbird

enum AdminRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.add(.get, "/health", role: nil, tag: "operations", "Whether the server is up (no token needed)") { _, _ in
            json(.object(["status": .string("ok")]))
        }
        routes.get("/layers", tag: "operations", "Each layer's feature count and extent") { _, _ in
            let layers = try s.store.layerSummaries()
            return json(.object(["layers": .array(layers.map { l in
                .object(["name": .string(l.name), "count": .number(Double(l.count)),
                         "bbox": l.bbox.map { .array($0.map(JSONValue.number)) } ?? .null])
            })]))
        }
    }
}
