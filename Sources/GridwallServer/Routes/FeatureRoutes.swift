// OGC API – Features, Part 1 Core with GeoJSON: the layers as collections that QGIS and GDAL
// ("OAPIF:http://…") read without glue. Landing page, conformance, collections, items with
// bbox, limit/offset paging (next and prev links), datetime (events) and property filters, and
// single items by id. The store is the source: what is imported is what is served.
import Foundation
import GridwallCore
import GridwallStore
import Hummingbird
import HTTPTypes

enum FeatureRoutes {
    static let conformance = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    ]
    /// The page size when none is asked for, and the largest one served.
    static let defaultLimit = 100, maximumLimit = 10_000
    /// Rows read past a page to count numberMatched (`FeatureQuery.countBudget`).
    static let countBudget = 50_000
    /// Parameters the items request knows besides the layer's properties.
    static let itemParameters: Set<String> = ["bbox", "limit", "offset", "datetime", "f", "crs"]

    static func link(_ href: String, _ rel: String, _ type: String, _ title: String? = nil) -> JSONValue {
        var o: [String: JSONValue] = ["href": .string(href), "rel": .string(rel), "type": .string(type)]
        if let title { o["title"] = .string(title) }
        return .object(o)
    }

    static func landing(base: String) -> JSONValue {
        .object([
            "title": .string("Gridwall"),
            "description": .string("The district's layers: areas, buildings, cameras, responders and events."),
            "links": .array([
                link("\(base)/", "self", "application/json", "This document"),
                link("\(base)/conformance", "conformance", "application/json", "Conformance classes"),
                link("\(base)/collections", "data", "application/json", "The layers"),
                link("\(base)/style.json", "describedby", "application/json", "MapLibre style of the vector tiles"),
            ]),
        ])
    }

    /// A layer as a collection: its extent from the store's bounds (no count: on a live store
    /// every commit would make /collections count millions of events again).
    static func collection(_ layer: LayerSchema, store: GeoStore, base: String) throws -> JSONValue {
        var extent: [String: JSONValue] = [:]
        if let b = try store.extent(of: layer) {
            extent["spatial"] = .object(["bbox": .array([.array(b.map(JSONValue.number))]),
                                         "crs": .string("http://www.opengis.net/def/crs/OGC/1.3/CRS84")])
        }
        if layer.name == "events", let (first, last) = try store.eventTimeRange() {
            extent["temporal"] = .object(["interval": .array([.array([.string(first), .string(last)])]),
                                          "trs": .string("http://www.opengis.net/def/uom/ISO-8601/0/Gregorian")])
        }
        return .object([
            "id": .string(layer.name), "title": .string(layer.name), "description": .string(layer.description),
            "itemType": .string("feature"), "crs": .array([.string("http://www.opengis.net/def/crs/OGC/1.3/CRS84")]),
            "extent": .object(extent),
            "links": .array([
                link("\(base)/collections/\(layer.name)", "self", "application/json"),
                link("\(base)/collections/\(layer.name)/items", "items", "application/geo+json", "The features"),
            ]),
        ])
    }

    /// The items query from the request's parameters; every unknown one is named.
    static func query(_ layer: LayerSchema, _ q: Query) throws -> FeatureQuery {
        var query = FeatureQuery(layer: layer)
        for name in q.parameters.map({ String($0.key) }) where !itemParameters.contains(name) {
            guard layer.columns.contains(where: { $0.name == name }) else {
                throw GridwallError(.invalidParameter, "unknown parameter; use bbox, limit, offset, datetime or a property of \(layer.name): "
                                    + layer.columns.map(\.name).joined(separator: ", "), at: name)
            }
            if let value = q.string(name) { query.equals.append((name, value)) }
        }
        query.limit = try q.int("limit", range: 1...maximumLimit) ?? defaultLimit
        query.offset = try q.int("offset", range: 0...Int(Int32.max)) ?? 0
        if let text = q.string("bbox") { query.bbox = try parseBBox(text) }
        if let text = q.string("datetime") {
            guard layer.name == "events" else {
                throw GridwallError(.invalidParameter, "\(layer.name) have no time; datetime applies to events", at: "datetime")
            }
            (query.from, query.to) = try interval(text)
        }
        return query
    }

    /// An instant or an interval (`a/b`, `../b`, `a/..`) as the store's [from, to).
    static func interval(_ text: String) throws -> (String?, String?) {
        func time(_ part: Substring) throws -> Int64? {
            if part == ".." || part.isEmpty { return nil }
            guard let t = ISOTime.parse(String(part)) else {
                throw GridwallError(.invalidParameter, "expected an ISO 8601 time or interval such as 2026-11-01T00:00:00Z/2026-11-08T00:00:00Z, found \"\(text)\"", at: "datetime")
            }
            return Int64(t.rounded(.down))
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let t = try time(parts[0]) else { throw GridwallError(.invalidParameter, "expected a time", at: "datetime") }
            return (ISOTime.format(t), ISOTime.format(t + 1))
        case 2:
            let a = try time(parts[0]), b = try time(parts[1])
            if let a, let b, b < a { throw GridwallError(.invalidParameter, "the interval ends before it starts", at: "datetime") }
            // The end is inclusive in OGC API: the store's end is exclusive, one second later.
            return (a.map(ISOTime.format), b.map { ISOTime.format($0 + 1) })
        default:
            throw GridwallError(.invalidParameter, "expected an instant or start/end, found \"\(text)\"", at: "datetime")
        }
    }

    /// The output coordinate system (`crs=gcj02|bd09` for Chinese web maps, as elsewhere;
    /// `bbox` stays in WGS84).
    static func outputCRS(_ q: Query) throws -> CoordinateSystem { try q.crs() }

    /// One feature as OGC GeoJSON: its `id` member from the `id` property; coordinates in `crs`.
    static func write(_ f: Feature, crs: CoordinateSystem = .wgs84, links: [JSONValue]? = nil, into s: inout String) {
        s += "{\"type\":\"Feature\",\"id\":"
        (f.properties["id"] ?? .null).write(into: &s)
        s += ",\"geometry\":"
        let geometry = crs == .wgs84 ? f.geometry : f.geometry.mapCoordinates { crs.fromWGS84IfChinese($0) ?? $0 }
        GeoJSON.write(geometry, into: &s)
        s += ",\"properties\":"
        JSONValue.object(f.properties).write(into: &s)
        if let links { s += ",\"links\":"; JSONValue.array(links).write(into: &s) }
        s += "}"
    }

    /// Adds the routes to `router`.
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        let store = s.store
        @Sendable func base(_ request: Request) -> String { baseURL(request, s.options) }
        @Sendable func layer(_ context: GridwallContext) throws -> LayerSchema {
            let name = context.path("collection")
            guard let layer = LayerSchema.all.first(where: { $0.name == name }) else {
                throw GridwallError(.notFound, "no collection \"\(name)\"; collections: \(LayerSchema.all.map(\.name).joined(separator: ", "))", at: "collection")
            }
            return layer
        }
        let tag = "features"
        let collectionParameter = ParameterDoc.path("collection", "A layer: \(LayerSchema.all.map(\.name).joined(separator: ", "))")
        routes.get("/", tag: tag, "OGC API – Features landing page") { request, _ in json(landing(base: base(request))) }
        routes.get("/conformance", tag: tag, "OGC API conformance classes") { _, _ in
            json(.object(["conformsTo": .array(conformance.map(JSONValue.string))]))
        }
        routes.get("/collections", tag: tag, "The layers as OGC API collections") { request, _ in
            let b = base(request)
            return json(.object([
                "links": .array([link("\(b)/collections", "self", "application/json")]),
                "collections": .array(try LayerSchema.all.map { l in try collection(l, store: store, base: b) }),
            ]))
        }
        routes.get("/collections/{collection}", tag: tag, "One layer's collection", parameters: [collectionParameter]) { request, context in
            let l = try layer(context)
            return json(try collection(l, store: store, base: base(request)))
        }
        routes.get("/collections/{collection}/items", tag: tag, "A page of a layer's features (GeoJSON)",
                   parameters: [collectionParameter,
                                .query("bbox", "minLon,minLat,maxLon,maxLat"), .query("limit", "integer", "Page size, 1–\(maximumLimit)"),
                                .query("offset", "integer", "Features to skip"), .query("datetime", "Events only: an instant or start/end"),
                                .query("crs", "Output coordinates: wgs84, gcj02 or bd09")],
                   answers: "application/geo+json") { request, context in
            let l = try layer(context), q = Query(request)
            let crs = try outputCRS(q)
            var query = try self.query(l, q)
            // numberMatched is counted while that reads at most 50,000 rows past the page (every
            // layer but a large store's events); past that it is left out, as OGC API – Features
            // allows, and clients follow the next links.
            query.countBudget = countBudget
            let page = try store.features(query)
            let b = base(request)
            func href(_ offset: Int) -> String {
                pageLink(request, to: "\(b)/collections/\(l.name)/items", setting: "offset", to: String(offset))
            }
            var links = [link(href(query.offset), "self", "application/geo+json"),
                         link("\(b)/collections/\(l.name)", "collection", "application/json")]
            if page.more { links.append(link(href(query.offset + page.features.count), "next", "application/geo+json")) }
            if query.offset > 0 { links.append(link(href(max(0, query.offset - query.limit)), "prev", "application/geo+json")) }
            return featureCollection(page.features, crs: crs, links: links, members: (page.complete ? "\"numberMatched\":\(page.matched)," : "")
                                     + "\"numberReturned\":\(page.features.count),\"timeStamp\":\"\(ISOTime.format(Int64(Date().timeIntervalSince1970)))\",")
        }
        routes.get("/collections/{collection}/items/{id}", tag: tag, "One feature by id (GeoJSON)",
                   parameters: [collectionParameter, .path("id", "The feature's id"), .query("crs", "Output coordinates: wgs84, gcj02 or bd09")],
                   answers: "application/geo+json") { request, context in
            let l = try layer(context)
            let crs = try outputCRS(Query(request))
            let id = context.path("id")
            var query = FeatureQuery(layer: l)
            query.id = id; query.limit = 1
            guard let f = try store.features(query).features.first else {
                throw GridwallError(.notFound, "no feature \"\(id)\" in \(l.name)", at: "id")
            }
            let b = base(request)
            var s = ""
            write(f, crs: crs, links: [link("\(b)/collections/\(l.name)/items/\(percentEncoded(id))", "self", "application/geo+json"),
                             link("\(b)/collections/\(l.name)", "collection", "application/json")], into: &s)
            return geoJSON(s)
        }
    }

    /// A link to another page: `path` with the request's parameters, `name` set to `value`.
    static func pageLink(_ request: Request, to path: String, setting name: String, to value: String) -> String {
        let kept = request.uri.queryParameters.map { (String($0.key), String($0.value)) }.filter { $0.0 != name }
        return path + "?" + (kept + [(name, value)]).map { "\($0.0)=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// A GeoJSON FeatureCollection answer: `members` (JSON members with their trailing commas,
    /// e.g. "\"numberReturned\":3,"), the links, then one feature a line, coordinates in `crs`.
    static func featureCollection(_ features: [Feature], crs: CoordinateSystem, links: [JSONValue], members: String) -> Response {
        var s = "{\"type\":\"FeatureCollection\"," + members + "\"links\":"
        JSONValue.array(links).write(into: &s)
        s += ",\"features\":[\n"
        for (i, f) in features.enumerated() {
            if i > 0 { s += ",\n" }
            write(f, crs: crs, into: &s)
        }
        s += "\n]}\n"
        return geoJSON(s)
    }

    /// A query value percent-encoded for a link.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:,")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
