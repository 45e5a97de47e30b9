// Vector tiles for the server: the layers' tile sources built once per version of the layers
// (areas, buildings and cameras from the assignment snapshot; responders from each published
// registry snapshot), cut per request, with the heatmap figures joined onto the areas, gzip
// when the client takes it, and an ETag from what the tile shows.
import Foundation
import GridwallAnalysis
import GridwallCore
import GridwallGEOS

/// A tile as the HTTP layer sends it.
struct EncodedTile {
    /// The MVT bytes (gzipped when `gzipped`); empty for a tile with no feature.
    var bytes: [UInt8]
    var gzipped: Bool
    var etag: String
    /// Whether the tile changes with live state (responders): shorter caching.
    var live: Bool
}

public final class TileService: Sendable {
    let assignment: AssignmentService
    let responders: ResponderService
    let heatmaps: HeatmapService
    /// Static sources, for the layer version they were built from.
    private let staticSources = Locked<(version: String, sources: [String: TileSource])?>(nil)
    private let responderSource = Locked<(generation: UInt64, source: TileSource)?>(nil)
    /// Vector tiles of the layer sources by ETag (which names the source, tile, versions,
    /// query and encoding), so a tile is cut once while what it shows stands.
    private let encoded = Locked(TileCache<String>())

    /// Every source name served, areas first.
    public static let sourceNames = TileSource.areaSources.map(\.name) + ["buildings", "cameras", "responders"] + liveSources.map(\.name)

    public init(assignment: AssignmentService, responders: ResponderService, heatmaps: HeatmapService) {
        self.assignment = assignment; self.responders = responders; self.heatmaps = heatmaps
    }

    /// The source called `name`, or an `unknown_layer` error listing the names.
    func source(_ name: String) throws -> TileSource { try versionedSource(name).source }

    /// The source called `name` and the version of the state it was built from (the layers'
    /// version, or the responder registry's generation), read together so a tile's ETag never
    /// names newer state than its content.
    func versionedSource(_ name: String) throws -> (source: TileSource, version: String) {
        if name == "responders" {
            let snapshot = responders.registry.snapshot
            if let cached = responderSource.withLock({ $0 }), cached.generation == snapshot.generation { return (cached.source, "r\(snapshot.generation)") }
            let built = TileSource.responders(snapshot)
            responderSource.withLock { $0 = (snapshot.generation, built) }
            return (built, "r\(snapshot.generation)")
        }
        let s = assignment.snapshot
        let sources: [String: TileSource]
        if let cached = staticSources.withLock({ $0 }), cached.version == s.version {
            sources = cached.sources
        } else {
            var built: [String: TileSource] = [:]
            for a in TileSource.areaSources { built[a.name] = TileSource.areas(s.areaRecords, level: a.level, name: a.name, description: a.description) }
            built["buildings"] = TileSource.buildings(s.buildings) { b in
                guard let c = b.geometry.boundingBox?.center else { return nil }
                let grid = s.engine.assign(x: c.x, y: c.y).grid
                return grid >= 0 ? s.engine.grids[Int(grid)].gridID : nil
            }
            built["cameras"] = TileSource.cameras(s.visibility.cameras)
            staticSources.withLock { $0 = (s.version, built) }
            sources = built
        }
        guard let source = sources[name] else {
            throw GridwallError(.unknownLayer, "no tile source \"\(name)\"; sources: \(Self.sourceNames.joined(separator: ", "))", at: "source")
        }
        return (source, s.version)
    }

    /// The area level of an area source.
    static func level(of source: String) -> AreaLevel? { TileSource.areaSources.first { $0.name == source }?.level }

    /// The heatmap figures per area id for an area source, from the request's filters.
    func heat(_ level: AreaLevel, request: HeatmapRequest) -> [String: [(String, MVTValue?)]] {
        // Districts are not rolled up by the analysis; every other level is.
        guard level != .district else { return [:] }
        return heatmaps.reading { analysis in
            let (rows, _) = analysis.areaHeatmap(level: level, filter: request.filter, method: request.method, measure: request.measure)
            var out: [String: [(String, MVTValue?)]] = [:]
            for h in rows {
                let id = analysis.areas.records[h.record].id
                out[id] = [("count", .int(Int64(h.count))), ("per_km2", .double((h.perSquareKilometre * 1000).rounded() / 1000)),
                           ("previous", h.previous.map { .int(Int64($0)) }), ("change", h.change.map { .int(Int64($0)) }),
                           ("change_pct", h.changePercent.map { .double(($0 * 10).rounded() / 10) }),
                           ("class", .string(h.riskClass.name)), ("colour", .string(h.riskClass.colour))]
            }
            return out
        }
    }

    /// One tile of one source; `query` is the request's query string (it can change the heat
    /// figures, so it is part of the ETag).
    func tile(source name: String, _ tile: TileID, request: HeatmapRequest, query: String, gzip: Bool) throws -> EncodedTile {
        if name == "events" || name == "heat" {
            let etag = "\"" + Self.hash("\(name)|\(tile)|\(heatmaps.version)|\(query)|\(gzip)") + "\""   // before the content
            let layer = name == "events" ? eventsLayer(tile, request: request) : try heatLayer(tile, request: request)
            let bytes = MVTTile.encode([layer])
            let body = gzip && !bytes.isEmpty ? try Gzip.compress(bytes) : bytes
            return EncodedTile(bytes: body, gzipped: gzip && !bytes.isEmpty, etag: etag, live: true)
        }
        let (source, sourceVersion) = try versionedSource(name)
        var extra: ((Int) -> [(String, MVTValue?)])?
        var version = sourceVersion
        if let level = Self.level(of: name) {
            // The figures' version is read before the figures: a tag never names newer state.
            version += "|" + heatmaps.version
            let figures = heat(level, request: request)
            extra = { i in
                guard case .string(let id)? = source.features[i].properties.first?.1 else { return [] }
                return figures[id] ?? []
            }
        }
        let etag = "\"" + Self.hash("\(name)|\(tile)|\(version)|\(query)|\(gzip)") + "\""
        let live = name == "responders"
        if let kept = encoded.withLock({ $0[etag] }) {
            return EncodedTile(bytes: kept, gzipped: gzip && !kept.isEmpty, etag: etag, live: live)
        }
        let bytes = MVTTile.encode([try source.layer(tile, cutter: GeosTileCutter(), extra: extra)])
        let body = gzip && !bytes.isEmpty ? try Gzip.compress(bytes) : bytes
        encoded.withLock { $0.insert(body, for: etag) }
        return EncodedTile(bytes: body, gzipped: gzip && !bytes.isEmpty, etag: etag, live: live)
    }

    /// FNV-1a, 64 bits, as hex: a short, stable tag (not a security hash).
    static func hash(_ text: String) -> String { hash(bytes: text.utf8) }

    /// The same over any bytes (the wall page's files).
    static func hash<Bytes: Sequence<UInt8>>(bytes: Bytes) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// TileJSON 3.0.0 for one source; tile URLs on `base` (scheme and host), carrying `query`.
    func tileJSON(source name: String, base: String, query: String) throws -> JSONValue {
        if let live = Self.liveSources.first(where: { $0.name == name }) {
            let district = try source("district")
            let bounds = district.bounds
            let source = TileSource(name: name, description: live.description, minZoom: live.minZoom, maxZoom: live.maxZoom, features: [])
            return document(source, fields: live.fields, bounds: bounds, base: base, query: query)
        }
        let source = try source(name)
        var fields = source.fields.map { ($0.name, $0.type) }
        if Self.level(of: name).map({ $0 != .district }) == true {
            fields += [("count", .number), ("per_km2", .number), ("previous", .number), ("change", .number), ("change_pct", .number),
                       ("class", .string), ("colour", .string)]
        }
        return document(source, fields: fields, bounds: source.bounds, base: base, query: query)
    }

    func document(_ source: TileSource, fields: [(String, TileFieldType)], bounds: BoundingBox, base: String, query: String) -> JSONValue {
        let name = source.name
        let b = bounds.isEmpty ? BoundingBox(minX: -180, minY: -85.05, maxX: 180, maxY: 85.05) : bounds
        let suffix = query.isEmpty ? "" : "?" + query
        let centreZoom = Double(min(source.maxZoom, max(source.minZoom, 13)))
        return .object([
            "tilejson": .string("3.0.0"), "name": .string(name), "description": .string(source.description), "version": .string("1.0.0"),
            "scheme": .string("xyz"), "tiles": .array([.string("\(base)/tiles/\(name)/{z}/{x}/{y}.mvt\(suffix)")]),
            "minzoom": .number(Double(source.minZoom)), "maxzoom": .number(Double(source.maxZoom)),
            "bounds": .array(b.array.map(JSONValue.number)), "center": .array([.number(b.center.x), .number(b.center.y), .number(centreZoom)]),
            "vector_layers": .array([.object([
                "id": .string(name), "description": .string(source.description),
                "minzoom": .number(Double(source.minZoom)), "maxzoom": .number(Double(source.maxZoom)),
                "fields": .object(Dictionary(fields.map { ($0.0, JSONValue.string($0.1.rawValue)) }, uniquingKeysWith: { a, _ in a })),
            ])]),
        ])
    }
}
