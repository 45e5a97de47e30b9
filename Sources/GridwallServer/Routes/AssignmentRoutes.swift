// Where a point is: GET /assign (grid chain, building, cameras) and GET /cameras/visible.
import GridwallCore
import Hummingbird

enum AssignmentRoutes {
    static let point: [ParameterDoc] = [
        .query("lon", "number", required: true, "Longitude in decimal degrees (in crs)"),
        .query("lat", "number", required: true, "Latitude in decimal degrees (in crs)"),
        .query("crs", "The coordinates' system: wgs84 (default), gcj02 or bd09"),
    ]

    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.get("/assign", tag: "assignment", "The grid, community, street, district, building and visible cameras of a point",
                   parameters: point) { request, _ in
            let (p, _) = try Query(request).point()
            return json(s.assignment.answer(x: p.x, y: p.y))
        }
        routes.get("/cameras/visible", tag: "assignment", "Cameras that see a point (range, field of view, buildings in the way)",
                   parameters: point + [.query("explain", "boolean", "Also list cameras in range that do not see it, with the reason")]) { request, _ in
            let q = Query(request)
            let (p, _) = try q.point()
            return json(.object(["cameras": .array(s.assignment.visibleCameras(x: p.x, y: p.y, explain: try q.flag("explain")))]))
        }
    }
}
