// One heatmap request, parsed from named text parameters: the HTTP query string of
// GET /heatmap and the options of `gridwall heatmap` go through the same parser, so both take
// the same names and give the same errors (each naming the parameter at fault).
import GridwallCore
import GridwallPROJ

/// One heatmap request, parsed from named text parameters: the same for `GET /heatmap`, heat tiles and `gridwall heatmap`.
///
/// ```swift
/// let q = try HeatmapRequest(given: ["by", "size_m", "from"]) { ["by": "hex", "size_m": "250", "from": "2026-11-01T00:00:00Z"][$0] }
/// let geojson = try analysis.heatmap(q).geoJSON
/// ```
public struct HeatmapRequest: Sendable, Hashable {
    /// What the heatmap shows: per-area counts, hexagon or square bins, kernel density, Gi* hot
    /// spots, or emerging hot spots (their trend over time).
    public enum Kind: String, Sendable, CaseIterable { case grid, hex, square, kde, gistar, emerging }
    /// How a density answer is written: PNG image, JSON summary or GeoJSON isobands.
    public enum RasterFormat: String, Sendable, CaseIterable { case png, json, geojson }

    public var kind: Kind = .grid
    public var filter = EventFilter()
    // by=grid
    public var level: AreaLevel = .grid
    public var method: ClassificationMethod = .quantile
    public var measure: HeatMeasure = .count
    // by=hex|square, and gistar over bins
    public var size: Double?
    // by=kde
    public var bandwidth = 300.0
    public var cellSize = 50.0
    public var rasterFormat: RasterFormat = .png
    /// Isoband lower bounds (events per km²) for format=geojson; nil: fractions of the scale.
    public var levels: [Double]?
    // by=gistar and by=emerging
    public var units: Kind = .grid
    public var weights: HotSpotWeights = .contiguity(.queen)
    public var transform: GetisOrd.Transform = .binary
    public var falseDiscoveryRate = false
    public var includeEmpty = false
    public var crs: Int?
    // by=emerging
    public var step: EventSeries.Step = .week
    /// Steps back from `to` (default 12 when `from` is not given).
    public var steps: Int?
    public var lags = 1

    /// The parameter names understood (for help texts and for rejecting typos).
    public static let names = ["by", "from", "to", "category", "status", "source", "bbox", "level", "classify", "thresholds", "measure",
                               "size_m", "bandwidth_m", "cell_m", "format", "levels", "units", "weights", "transform", "fdr", "empty", "crs",
                               "step", "steps", "lags"]

    /// The defaults: per-grid counts over every event, quantile classes.
    public init() {}

    /// Parses `value(name)` for every known name; unknown names in `given` are rejected.
    public init(given: [String], _ lookup: (String) -> String?) throws {
        for name in given where !Self.names.contains(name) {
            throw GridwallError(.invalidParameter, "unknown parameter; known: \(Self.names.joined(separator: ", "))", at: name)
        }
        // Only the parameters given are read: a route that hands over its filters alone keeps
        // its own parameters of the same name (/heatmap/series has a `step` of its own).
        func value(_ name: String) -> String? { given.contains(name) ? lookup(name) : nil }
        func pick<T: RawRepresentable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String, T: CaseIterable {
            guard let text = value(name) else { return nil }
            guard let v = T(rawValue: text) else {
                throw GridwallError(.invalidParameter, "\"\(text)\" is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", at: name)
            }
            return v
        }
        func number(_ name: String, in range: ClosedRange<Double>, text given: String? = nil) throws -> Double? {
            guard let text = given ?? value(name) else { return nil }
            guard let v = Double(text), v.isFinite, range.contains(v) else {
                throw GridwallError(.invalidParameter, "expected metres from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)), found \"\(text)\"", at: name)
            }
            return v
        }
        func numbers(_ name: String) throws -> [Double]? {
            guard let text = value(name) else { return nil }
            return try text.split(separator: ",").map { item in
                let t = item.trimmingCharacters(in: .whitespaces)
                guard let v = Double(t), v.isFinite else {
                    throw GridwallError(.invalidParameter, "expected comma-separated finite numbers, found \"\(t)\"", at: name)
                }
                return v
            }
        }
        func list(_ name: String) -> Set<String>? {
            guard let text = value(name) else { return nil }
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return items.isEmpty ? nil : Set(items)
        }
        func time(_ name: String) throws -> Int64? {
            guard let text = value(name) else { return nil }
            guard let t = ISOTime.parse(text) else {
                throw GridwallError(.invalidParameter, "expected an ISO 8601 time such as 2026-11-01T00:00:00Z, found \"\(text)\"", at: name)
            }
            return Int64(t.rounded(.down))
        }
        func flag(_ name: String) throws -> Bool {
            guard let text = value(name) else { return false }
            switch text { case "true", "1", "yes": return true; case "false", "0", "no": return false
            default: throw GridwallError(.invalidParameter, "expected true or false, found \"\(text)\"", at: name) }
        }

        kind = try pick("by", Kind.self) ?? .grid
        filter.from = try time("from")
        filter.to = try time("to")
        if let from = filter.from, let to = filter.to, to <= from {
            throw GridwallError(.invalidParameter, "the window is empty: to must be after from", at: "to")
        }
        filter.categories = list("category")
        filter.statuses = list("status")
        filter.sources = list("source")
        if let text = value("bbox") {
            let v = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 4, v.allSatisfy(\.isFinite), v[0] < v[2], v[1] < v[3] else {
                throw GridwallError(.invalidParameter, "expected minLon,minLat,maxLon,maxLat, found \"\(text)\"", at: "bbox")
            }
            if let problem = Coordinate(v[0], v[1]).lonLatProblem ?? Coordinate(v[2], v[3]).lonLatProblem {
                throw GridwallError(.invalidParameter, problem, at: "bbox")
            }
            filter.bbox = BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
        }
        level = try pick("level", AreaLevel.self) ?? .grid
        measure = try pick("measure", HeatMeasure.self) ?? .count
        switch value("classify") ?? "quantile" {
        case "quantile": method = .quantile
        case "jenks": method = .jenks
        case "fixed":
            let t = try numbers("thresholds") ?? []
            guard t.count == 4, zip(t, t.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw GridwallError(.invalidParameter, "classify=fixed needs four ascending thresholds, e.g. thresholds=5,10,20,40", at: "thresholds")
            }
            method = .fixed(t)
        case let other:
            throw GridwallError(.invalidParameter, "\"\(other)\" is not one of quantile, jenks, fixed", at: "classify")
        }
        size = try number("size_m", in: HeatmapLimits.binSize)
        bandwidth = try number("bandwidth_m", in: HeatmapLimits.bandwidth) ?? bandwidth
        cellSize = try number("cell_m", in: HeatmapLimits.cellSize) ?? cellSize
        rasterFormat = try pick("format", RasterFormat.self) ?? .png
        if let v = try numbers("levels") {
            guard v.count == 5, v[0] > 0, zip(v, v.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw GridwallError(.invalidParameter, "expected five ascending positive densities (events per km²), e.g. 5,20,50,100,200", at: "levels")
            }
            levels = v
        }
        units = try pick("units", Kind.self) ?? .grid
        guard [.grid, .hex, .square].contains(units) else {
            throw GridwallError(.invalidParameter, "hot spots are computed over grid, hex or square units", at: "units")
        }
        if let text = value("weights") {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            switch parts[0] {
            case "queen", "rook": weights = .contiguity(SpatialWeights.Contiguity(rawValue: parts[0])!)
            case "distance":
                guard parts.count == 2 else {
                    throw GridwallError(.invalidParameter, "expected distance:<metres>, e.g. distance:1000", at: "weights")
                }
                weights = .distanceBand(try number("weights", in: HeatmapLimits.neighbourDistance, text: parts[1])!)
            case "knn":
                let range = HeatmapLimits.nearestK
                guard parts.count == 2, let k = Int(parts[1]), range.contains(k) else {
                    throw GridwallError(.invalidParameter, "expected knn:<k> with k from \(range.lowerBound) to \(range.upperBound), e.g. knn:8", at: "weights")
                }
                weights = .nearest(k)
            default:
                throw GridwallError(.invalidParameter, "\"\(text)\" is not queen, rook, distance:<metres> or knn:<k>", at: "weights")
            }
        }
        if let text = value("transform") {
            guard let t = GetisOrd.Transform(rawValue: text.uppercased()) else {
                throw GridwallError(.invalidParameter, "expected B (binary) or R (row-standardised), found \"\(text)\"", at: "transform")
            }
            transform = t
        }
        falseDiscoveryRate = try flag("fdr")
        includeEmpty = try flag("empty")
        if let text = value("crs") {
            let digits = text.uppercased().hasPrefix("EPSG:") ? String(text.dropFirst(5)) : text
            guard let code = Int(digits), code > 0 else {
                throw GridwallError(.invalidParameter, "expected EPSG:<code> of a metric projected CRS, found \"\(text)\"", at: "crs")
            }
            try MetricCRS.check(code, at: "crs")
            crs = code
        }
        if let text = value("step") {
            guard let s = EventSeries.Step(rawValue: text), s != .hour else {
                throw GridwallError(.invalidParameter, "expected day or week, found \"\(text)\"", at: "step")
            }
            step = s
        }
        func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = value(name) else { return nil }
            guard let v = Int(text), range.contains(v) else {
                throw GridwallError(.invalidParameter, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \"\(text)\"", at: name)
            }
            return v
        }
        steps = try integer("steps", in: EventAnalysis.emergingSteps)
        if steps != nil && filter.from != nil {
            throw GridwallError(.invalidParameter, "give either from or steps: the window ends at to (or the newest event)", at: "steps")
        }
        lags = try integer("lags", in: EventAnalysis.emergingLags) ?? lags
    }

    /// A number for messages: whole numbers without a decimal point.
    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
