// A MapLibre style (spec v8) over Gridwall's own tile sources, with no basemap, font or sprite
// from anywhere else: the background is the district, grids are coloured by their five-colour
// class, buildings are extruded by height, cameras and responders are points (responders
// coloured by status), events as points (counts below street zooms), and the hexagon heat as a
// layer switched off until asked for. Buildings are opaque: translucent extrusions cost a
// second pass, a fifth of the frame on a software renderer. The wall page starts from it; other clients load it as is.
import GridwallCore

enum MapStyle {
    /// The style document; tile sources on `base`, carrying the heatmap filters in `query`.
    static func document(base: String, query: String) -> JSONValue {
        let suffix = query.isEmpty ? "" : "?" + query
        var sources: [String: JSONValue] = [:]
        for name in TileService.sourceNames {
            sources[name] = .object(["type": .string("vector"), "url": .string("\(base)/tiles/\(name).json\(suffix)")])
        }
        func layer(_ id: String, _ type: String, _ source: String, paint: [String: JSONValue], extra: [String: JSONValue] = [:]) -> JSONValue {
            var o: [String: JSONValue] = ["id": .string(id), "type": .string(type), "source": .string(source),
                                          "source-layer": .string(source), "paint": .object(paint)]
            for (k, v) in extra { o[k] = v }
            return .object(o)
        }
        let statusColour: JSONValue = .array([.string("match"), .array([.string("get"), .string("status")]),
                                              .string("available"), .string("#1a9641"), .string("busy"), .string("#d7191c"),
                                              .string("#888888")])
        let layers: [JSONValue] = [
            .object(["id": .string("background"), "type": .string("background"), "paint": .object(["background-color": .string("#0b1622")])]),
            layer("district-fill", "fill", "district", paint: ["fill-color": .string("#15263a")]),
            layer("grids-fill", "fill", "grids", paint: [
                "fill-color": .array([.string("coalesce"), .array([.string("get"), .string("colour")]), .string("#1a9641")]),
                "fill-opacity": .number(0.45)]),
            layer("grids-line", "line", "grids", paint: ["line-color": .string("#9fb3c8"), "line-width": .number(0.6)]),
            layer("communities-line", "line", "communities", paint: ["line-color": .string("#d9e2ec"), "line-width": .number(1.4)]),
            layer("streets-line", "line", "streets", paint: ["line-color": .string("#ffffff"), "line-width": .number(2.5)]),
            layer("heat", "fill", "heat", paint: [
                "fill-color": .array([.string("interpolate"), .array([.string("linear")]), .array([.string("get"), .string("count")]),
                                      .number(1), .string("#2b83ba"), .number(5), .string("#abdda4"), .number(20), .string("#ffff8c"),
                                      .number(50), .string("#fdae61"), .number(100), .string("#d7191c")]),
                "fill-opacity": .number(0.55)], extra: ["layout": .object(["visibility": .string("none")])]),
            layer("buildings-3d", "fill-extrusion", "buildings", paint: [
                "fill-extrusion-color": .string("#8aa1b8"), "fill-extrusion-opacity": .number(1),
                "fill-extrusion-height": .array([.string("get"), .string("height")]), "fill-extrusion-base": .number(0)]),
            layer("cameras", "circle", "cameras", paint: ["circle-radius": .number(2.5), "circle-color": .string("#4fc3f7")]),
            layer("events", "circle", "events", paint: [
                "circle-radius": .array([.string("interpolate"), .array([.string("linear")]), .array([.string("get"), .string("count")]),
                                         .number(1), .number(3), .number(100), .number(14)]),
                "circle-color": .string("#ff7043"), "circle-opacity": .number(0.8)]),
            layer("responders", "circle", "responders", paint: [
                "circle-radius": .number(5), "circle-color": statusColour,
                "circle-stroke-color": .string("#ffffff"), "circle-stroke-width": .number(1)]),
        ]
        return .object([
            "version": .number(8), "name": .string("Gridwall"),
            "center": .array([.number(120.22), .number(30.30)]), "zoom": .number(13), "pitch": .number(60),
            "sources": .object(sources), "layers": .array(layers),
        ])
    }
}
