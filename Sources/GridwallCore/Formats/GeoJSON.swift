// GeoJSON (RFC 7946) geometries and features to and from Gridwall values.
import Foundation

/// One feature: a geometry and its properties.
public struct Feature: Sendable, Hashable {
    public var geometry: Geometry
    public var properties: [String: JSONValue]
    /// A feature.
    public init(geometry: Geometry, properties: [String: JSONValue] = [:]) {
        self.geometry = geometry; self.properties = properties
    }
}

/// RFC 7946 GeoJSON: features in and out, with fixed-precision numbers.
public enum GeoJSON {
    /// Reads the features of a FeatureCollection, a single Feature, or a bare geometry.
    /// `location` in errors is "feature N" (1-based), so a user can find the culprit.
    public static func features(from value: JSONValue) throws -> [Feature] {
        guard let type = value["type"]?.stringValue else {
            throw GridwallError(.invalidInput, "GeoJSON object has no \"type\" member", at: "type")
        }
        switch type {
        case "FeatureCollection":
            guard let list = value["features"]?.arrayValue else {
                throw GridwallError(.invalidInput, "FeatureCollection has no \"features\" array", at: "features")
            }
            return try list.enumerated().map { i, f in try feature(f, number: i + 1) }
        case "Feature":
            return [try feature(value, number: 1)]
        default:
            return [Feature(geometry: try geometry(value, at: "feature 1"))]
        }
    }

    /// Reads one Feature object; `number` is used in error locations.
    public static func feature(_ value: JSONValue, number: Int) throws -> Feature {
        let at = "feature \(number)"
        guard value["type"]?.stringValue == "Feature" else {
            throw GridwallError(.invalidInput, "expected a GeoJSON Feature", at: at)
        }
        guard let g = value["geometry"], g != .null else {
            throw GridwallError(.invalidGeometry, "feature has no geometry", at: at)
        }
        let props = value["properties"]?.objectValue ?? [:]
        var properties = props
        // RFC 7946 puts the id beside the properties; keep it where layers look for it.
        if properties["id"] == nil, let id = value["id"], id != .null { properties["id"] = id }
        return Feature(geometry: try geometry(g, at: at), properties: properties)
    }

    /// Reads a GeoJSON geometry object.
    public static func geometry(_ value: JSONValue, at location: String) throws -> Geometry {
        guard let type = value["type"]?.stringValue else {
            throw GridwallError(.invalidGeometry, "geometry has no \"type\"", at: location)
        }
        guard let coords = value["coordinates"] else {
            throw GridwallError(.invalidGeometry, "\(type) has no \"coordinates\"", at: location)
        }
        func position(_ v: JSONValue) throws -> Coordinate {
            guard let a = v.arrayValue, a.count >= 2, case .number(let x) = a[0], case .number(let y) = a[1] else {
                throw GridwallError(.invalidGeometry, "a position must be an array of at least two numbers", at: location)
            }
            return Coordinate(x, y)
        }
        func positions(_ v: JSONValue) throws -> [Coordinate] {
            guard let a = v.arrayValue else {
                throw GridwallError(.invalidGeometry, "expected an array of positions", at: location)
            }
            return try a.map(position)
        }
        // RFC 7946 §3.1.6: a polygon has its outer ring, and every ring ends where it starts
        // with at least four positions. Checked here so the error names the feature and the
        // ring, where GEOS would later refuse the geometry in its own words, or not at all.
        func rings(_ v: JSONValue) throws -> [[Coordinate]] {
            guard let a = v.arrayValue else {
                throw GridwallError(.invalidGeometry, "expected an array of rings", at: location)
            }
            guard !a.isEmpty else { throw GridwallError(.invalidGeometry, "a polygon needs at least its outer ring", at: location) }
            return try a.enumerated().map { k, ring in
                let ps = try positions(ring)
                guard ps.count >= 4 else {
                    throw GridwallError(.invalidGeometry, "ring \(k + 1) of a polygon has \(ps.count) positions; a ring needs at least 4, the last equal to the first", at: location)
                }
                guard ps.first == ps.last else {
                    throw GridwallError(.invalidGeometry, "ring \(k + 1) of a polygon is not closed: it starts at (\(ps[0].x), \(ps[0].y)) and ends at "
                                        + "(\(ps[ps.count - 1].x), \(ps[ps.count - 1].y)); a GeoJSON ring ends where it starts", at: location)
                }
                return ps
            }
        }
        func list(_ v: JSONValue) throws -> [JSONValue] {
            guard let a = v.arrayValue else {
                throw GridwallError(.invalidGeometry, "\(type) coordinates must be an array", at: location)
            }
            return a
        }
        switch type {
        case "Point": return .point(try position(coords))
        case "MultiPoint": return .multiPoint(try positions(coords))
        case "LineString": return .lineString(try positions(coords))
        case "MultiLineString": return .multiLineString(try list(coords).map(positions))
        case "Polygon": return .polygon(Polygon(rings: try rings(coords)))
        case "MultiPolygon": return .multiPolygon(try list(coords).map { Polygon(rings: try rings($0)) })
        default:
            throw GridwallError(.invalidGeometry, "unsupported geometry type \"\(type)\"", at: location)
        }
    }

    /// Writes a geometry as GeoJSON text; `decimals` rounds coordinates (nil keeps full precision).
    public static func write(_ g: Geometry, decimals: Int? = nil, into s: inout String) {
        func pos(_ c: Coordinate) {
            s += "["; num(c.x); s += ","; num(c.y); s += "]"
        }
        func num(_ v: Double) {
            if let d = decimals { appendFixed(v, decimals: d, to: &s) } else { JSONValue.writeNumber(v, into: &s) }
        }
        // With fixed decimals a whole line's text is made as bytes and appended once: appending
        // its hundreds of small pieces to the string one by one took longer than making them.
        var bytes: [UInt8] = []
        func line(_ cs: [Coordinate]) {
            guard let d = decimals else {
                s += "["
                for (i, c) in cs.enumerated() { if i > 0 { s += "," }; pos(c) }
                s += "]"
                return
            }
            bytes.removeAll(keepingCapacity: true)
            bytes.append(UInt8(ascii: "["))
            for (i, c) in cs.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(UInt8(ascii: "["))
                appendFixed(c.x, decimals: d, to: &bytes)
                bytes.append(UInt8(ascii: ","))
                appendFixed(c.y, decimals: d, to: &bytes)
                bytes.append(UInt8(ascii: "]"))
            }
            bytes.append(UInt8(ascii: "]"))
            s += String(decoding: bytes, as: UTF8.self)
        }
        func poly(_ p: Polygon) {
            s += "["
            for (i, r) in p.rings.enumerated() { if i > 0 { s += "," }; line(r) }
            s += "]"
        }
        switch g {
        case .point(let c): s += "{\"type\":\"Point\",\"coordinates\":"; pos(c)
        case .multiPoint(let cs): s += "{\"type\":\"MultiPoint\",\"coordinates\":"; line(cs)
        case .lineString(let cs): s += "{\"type\":\"LineString\",\"coordinates\":"; line(cs)
        case .multiLineString(let ls):
            s += "{\"type\":\"MultiLineString\",\"coordinates\":["
            for (i, l) in ls.enumerated() { if i > 0 { s += "," }; line(l) }
            s += "]"
        case .polygon(let p): s += "{\"type\":\"Polygon\",\"coordinates\":"; poly(p)
        case .multiPolygon(let ps):
            s += "{\"type\":\"MultiPolygon\",\"coordinates\":["
            for (i, p) in ps.enumerated() { if i > 0 { s += "," }; poly(p) }
            s += "]"
        }
        s += "}"
    }

    /// Writes one Feature.
    public static func write(_ f: Feature, decimals: Int? = nil, into s: inout String) {
        s += "{\"type\":\"Feature\",\"properties\":"
        JSONValue.object(f.properties).write(into: &s)
        s += ",\"geometry\":"
        write(f.geometry, decimals: decimals, into: &s)
        s += "}"
    }

    /// A whole FeatureCollection, one feature per line (diff-friendly, streamable).
    public static func featureCollection(_ features: [Feature], decimals: Int? = nil) -> String {
        var s = "{\"type\":\"FeatureCollection\",\"features\":[\n"
        for (i, f) in features.enumerated() {
            if i > 0 { s += ",\n" }
            write(f, decimals: decimals, into: &s)
        }
        s += "\n]}\n"
        return s
    }

    /// Fixed-point decimal text without locale or exponent, trailing zeros trimmed.
    public static func formatFixed(_ v: Double, decimals: Int) -> String {
        var s = ""
        appendFixed(v, decimals: decimals, to: &s)
        return s
    }

    /// Appends `v` with `decimals` decimals, trailing zeros trimmed, as `%.Nf` rounds it.
    public static func appendFixed(_ v: Double, decimals d: Int, to s: inout String) {
        var bytes: [UInt8] = []
        appendFixed(v, decimals: d, to: &bytes)
        s += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 text of `v` with `decimals` decimals, trailing zeros trimmed, as `%.Nf`
    /// rounds it. Why not `String(format:)` alone: it goes through Foundation's string
    /// formatting, 3 µs a number, and a heatmap's grid outlines are a hundred thousand numbers
    /// (most of a `/heatmap?by=grid` answer's time). The integer arithmetic rounds as printf
    /// does except where the scaled value is within its own rounding error of a tie; those go
    /// to printf.
    public static func appendFixed(_ v: Double, decimals d: Int, to out: inout [UInt8]) {
        if d >= 0, d < powersOfTen.count, v.isFinite {
            let magnitude = abs(v * Double(powersOfTen[d]))
            if magnitude < 1e15 {
                let whole = magnitude.rounded(.down)
                let fraction = magnitude - whole   // exact
                if abs(fraction - 0.5) > magnitude * 0x1p-50 + 0x1p-40 {
                    let n = UInt64(whole) + (fraction > 0.5 ? 1 : 0)
                    guard n != 0 else { out.append(UInt8(ascii: "0")); return }   // never "-0"
                    if v < 0 { out.append(UInt8(ascii: "-")) }
                    appendDigits(n / powersOfTen[d], width: 1, to: &out)
                    var digits = n % powersOfTen[d], width = d
                    guard digits != 0 else { return }
                    while digits % 10 == 0 { digits /= 10; width -= 1 }
                    out.append(UInt8(ascii: "."))
                    appendDigits(digits, width: width, to: &out)
                    return
                }
            }
        }
        var t = String(format: "%.\(d)f", v)
        if t.contains(".") {
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
        }
        if t == "-0" { t = "0" }
        out.append(contentsOf: t.utf8)
    }

    /// The decimal digits of `value`, zero-padded on the left to `width`.
    @inline(__always)
    private static func appendDigits(_ value: UInt64, width: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { b in
            var v = value, i = 20
            repeat {
                i -= 1
                b[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0 || 20 - i < width
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<20]))
        }
    }

    private static let powersOfTen: [UInt64] = (0...15).map { k in (0..<k).reduce(1) { p, _ in p * 10 } }
}
