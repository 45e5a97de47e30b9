// Query parameters and request bodies, each failure a GridwallError naming the parameter.
import Foundation
import GridwallCore
import Hummingbird

struct Query {
    let parameters: Parameters
    init(_ request: Request) { parameters = request.uri.queryParameters }

    func string(_ name: String) -> String? {
        guard let v = parameters.get(name), !v.isEmpty else { return nil }
        return v
    }

    func double(_ name: String, range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let text = string(name) else { return nil }
        guard let v = Double(text), v.isFinite else {
            throw GridwallError(.invalidParameter, "\(name) must be a finite number, found \"\(text)\"", at: name)
        }
        if let range, !range.contains(v) {
            throw GridwallError(.invalidParameter, "\(name) must be between \(range.lowerBound) and \(range.upperBound), found \(text)", at: name)
        }
        return v
    }

    func int(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let v = Int(text), range.contains(v) else {
            throw GridwallError(.invalidParameter, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), found \"\(text)\"", at: name)
        }
        return v
    }

    /// A comma-separated list (repeated parameters are joined too).
    func list(_ name: String) -> [String]? {
        let values = parameters.getAll(name).flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        return values.isEmpty ? nil : values
    }

    func crs() throws -> CoordinateSystem {
        let crs = try string("crs").map(CoordinateSystem.init(parsing:)) ?? .wgs84
        guard crs.toWGS84IfChinese(Coordinate(120, 30)) != nil else {
            throw GridwallError(.invalidParameter, "crs must be wgs84 (EPSG:4326), gcj02 or bd09 here", at: "crs")
        }
        return crs
    }

    /// lon and lat (required), converted from `crs` to WGS84.
    func point() throws -> (Coordinate, CoordinateSystem) {
        let crs = try crs()
        let p = Coordinate(try coordinate(string("lon"), "lon", limit: 180), try coordinate(string("lat"), "lat", limit: 90))
        return (crs.toWGS84IfChinese(p)!, crs)
    }

    func flag(_ name: String) throws -> Bool {
        switch string(name)?.lowercased() {
        case nil, "false", "0", "no": return false
        case "true", "1", "yes": return true
        case let v?: throw GridwallError(.invalidParameter, "\(name) must be true or false, found \"\(v)\"", at: name)
        }
    }
}

/// The body of a request, at most the server's body limit (413 beyond).
func bodyBytes(_ request: Request, _ context: GridwallContext) async throws -> Data {
    let buffer: ByteBuffer
    do { buffer = try await request.body.collect(upTo: context.bodyLimit) } catch {
        throw GridwallError(.tooLarge, "the body is larger than \(context.bodyLimit) bytes", at: "body")
    }
    return Data(buffer.readableBytesView)
}

/// The JSON body of a request, at most the server's body limit.
func jsonBody(_ request: Request, _ context: GridwallContext) async throws -> JSONValue {
    try JSONValue.parse(try await bodyBytes(request, context), what: "the body")
}

/// How far ahead of the server's clock a position report's time may be (seconds).
let maximumClockLead = 300.0

/// One position report from a JSON object: lon, lat, optional time (ISO 8601; default now) and crs.
/// Positions outside `serviceArea` are refused, and times more than `maximumClockLead` ahead.
func positionUpdate(_ v: JSONValue, id: String, at place: String, defaultCRS: CoordinateSystem, serviceArea: ServiceArea?) throws -> PositionUpdate {
    func number(_ key: String, limit: Double) throws -> Double {
        guard let n = v[key]?.doubleValue, n.isFinite else {
            throw GridwallError(.invalidInput, "\(key) must be a number", at: "\(place).\(key)")
        }
        guard abs(n) <= limit else {
            throw GridwallError(.invalidInput, "\(key) must be within ±\(Int(limit)), found \(n)\(key == "lat" ? "; are lon and lat swapped?" : "")", at: "\(place).\(key)")
        }
        return n
    }
    let crs = try v["crs"]?.stringValue.map(CoordinateSystem.init(parsing:)) ?? defaultCRS
    guard let p = crs.toWGS84IfChinese(Coordinate(try number("lon", limit: 180), try number("lat", limit: 90))) else {
        throw GridwallError(.invalidInput, "crs must be wgs84, gcj02 or bd09", at: "\(place).crs")
    }
    if let problem = serviceArea?.problem(with: p) {
        throw GridwallError(.invalidInput, "the position \(problem)", at: place)
    }
    let now = Date().timeIntervalSince1970
    var time = now
    if let t = v["time"], t != .null {
        guard let s = t.stringValue, let parsed = ISOTime.parse(s) else {
            throw GridwallError(.invalidInput, "time must be an ISO 8601 time such as 2026-11-24T08:30:00Z", at: "\(place).time")
        }
        // A report older than the stored one is ignored, so one from the future would freeze
        // the responder until then: beyond a device clock's usual drift it is refused.
        guard parsed <= now + maximumClockLead else {
            throw GridwallError(.invalidInput, "time \(s) is ahead of the server's clock (\(ISOTime.format(Int64(now)))) by more than "
                                + "\(Int(maximumClockLead / 60)) minutes", at: "\(place).time")
        }
        time = parsed
    }
    return PositionUpdate(id: id, position: p, time: time)
}

/// A `bbox` parameter: minLon,minLat,maxLon,maxLat in WGS84 degrees.
func parseBBox(_ text: String) throws -> BoundingBox {
    let v = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard v.count == 4, let w = v[0], let s = v[1], let e = v[2], let n = v[3], [w, s, e, n].allSatisfy(\.isFinite),
          w <= e, s <= n, abs(w) <= 180, abs(e) <= 180, abs(s) <= 90, abs(n) <= 90 else {
        throw GridwallError(.invalidParameter, "expected minLon,minLat,maxLon,maxLat in degrees, found \"\(text)\"", at: "bbox")
    }
    return BoundingBox(minX: w, minY: s, maxX: e, maxY: n)
}

/// Parses a required coordinate parameter, with an error that names it.
func coordinate(_ text: String?, _ name: String, limit: Double) throws -> Double {
    guard let text, !text.isEmpty else {
        throw GridwallError(.invalidParameter, "\(name) is required (decimal degrees)", at: name)
    }
    guard let v = Double(text), v.isFinite else {
        throw GridwallError(.invalidParameter, "\(name) must be a finite decimal number, found \"\(text)\"", at: name)
    }
    guard abs(v) <= limit else {
        throw GridwallError(.invalidParameter, "\(name) must be within ±\(Int(limit)), found \(text)\(name == "lat" ? "; are lon and lat swapped?" : "")", at: name)
    }
    return v
}
