// The bodies POST /events takes: one event, a JSON array of them, a GeoJSON Feature or
// FeatureCollection, or NDJSON (one event or Feature per line). An event is either a GeoJSON
// Feature with a Point or a flat object with lon and lat beside its properties; each may name
// its own crs. Every event keeps where it was in the body, for errors.
import Foundation
import GridwallCore
import GridwallStore

enum IncomingEvents {
    /// The most events one request may carry (larger loads are sent in several batches).
    static let maximumBatch = 10_000

    /// The events in `body`, each checked as `gridwall import` checks a feature; `single` when
    /// the body is one event (its answer also lists nearest responders).
    static func parse(_ body: Data, ndjson: Bool, crs: CoordinateSystem) throws -> (events: [IngestEvent], single: Bool) {
        if !ndjson, crs == .wgs84, let flat = flatEvents(body) { return flat }
        return try parseGenerally(body, ndjson: ndjson, crs: crs)
    }

    /// `parse` without the flat batch's shortcut: every body, every error.
    static func parseGenerally(_ body: Data, ndjson: Bool, crs: CoordinateSystem) throws -> (events: [IngestEvent], single: Bool) {
        var items: [(JSONValue, String)] = []
        var single = false
        if ndjson {
            var line = 0
            for text in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                line += 1
                guard text.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else { continue }
                items.append((try JSONValue.parse(Data(text), what: "line \(line)"), "line \(line)"))
                guard items.count <= maximumBatch else { throw tooMany() }
            }
        } else {
            let value = try JSONValue.parse(body, what: "the body")
            if let list = value.arrayValue {
                items = list.enumerated().map { ($1, "events[\($0)]") }
            } else if value["type"]?.stringValue == "FeatureCollection" {
                guard let list = value["features"]?.arrayValue else {
                    throw GridwallError(.invalidInput, "a FeatureCollection needs a \"features\" array", at: "body.features")
                }
                items = list.enumerated().map { ($1, "features[\($0)]") }
            } else {
                items = [(value, "body")]
                single = true
            }
        }
        guard !items.isEmpty else { throw GridwallError(.invalidInput, "the body holds no event", at: "body") }
        guard items.count <= maximumBatch else { throw tooMany() }
        var events: [IngestEvent] = [], problems: [GridwallError] = []
        events.reserveCapacity(items.count)
        for (value, place) in items {
            do {
                events.append(try event(value, place: place, crs: crs))
            } catch let e as GridwallError {
                if single { throw e }
                problems.append(e)
            }
        }
        if !problems.isEmpty {
            // The first problem's place is the error's; the message lists up to twenty.
            let listed = problems.prefix(20).map(\.description).joined(separator: "; ")
            throw GridwallError(problems[0].code, "\(problems.count) of \(items.count) events rejected; nothing was stored: \(listed)"
                                + (problems.count > 20 ? "; … and \(problems.count - 20) more" : ""), at: problems[0].location)
        }
        return (events, single)
    }

    /// A batch of flat WGS84 events, or one alone (`single`), read straight from the bytes
    /// (`JSONParser.flatObjects`, `Importer.flatEvent`); nil unless every event passes: the
    /// general path then reads the body and names what is wrong. Both give the same events
    /// (FlatBatchTests).
    static func flatEvents(_ body: Data) -> (events: [IngestEvent], single: Bool)? {
        let keys = Importer.flatEventKeys
        guard let (values, lone) = body.withUnsafeBytes({ JSONParser.flatObjects($0.bindMemory(to: UInt8.self), keys: keys) }),
              values.count / keys.count <= maximumBatch else { return nil }
        var events: [IngestEvent] = []
        events.reserveCapacity(values.count / keys.count)
        for (i, from) in stride(from: 0, to: values.count, by: keys.count).enumerated() {
            guard let e = Importer.flatEvent(values[from..<(from + keys.count)], place: lone ? "body" : "events[\(i)]") else { return nil }
            events.append(e)
        }
        return events.isEmpty ? nil : (events, lone)
    }

    /// Members of an event that are not its properties (made once, not per event).
    static let flatIgnored = ["lon", "lat", "crs"], featureIgnored = ["crs"]

    static func tooMany() -> GridwallError {
        GridwallError(.tooLarge, "at most \(maximumBatch) events per request; send larger loads in several", at: "body")
    }

    /// One event from a Feature or a flat object.
    static func event(_ value: JSONValue, place: String, crs defaultCRS: CoordinateSystem) throws -> IngestEvent {
        guard let object = value.objectValue else {
            throw GridwallError(.invalidInput, "an event is a JSON object (a Feature or {\"id\", \"lon\", \"lat\", \"time\", \"category\", …})", at: place)
        }
        var crs = defaultCRS
        if let name = object["crs"] ?? object["properties"]?["crs"], name != .null {
            guard let text = name.stringValue, let parsed = try? CoordinateSystem(parsing: text),
                  parsed.toWGS84IfChinese(Coordinate(120, 30)) != nil else {
                throw GridwallError(.invalidInput, "crs must be wgs84 (EPSG:4326), gcj02 or bd09", at: "\(place).crs")
            }
            crs = parsed
        }
        if object["type"]?.stringValue == "Feature" {
            let f: Feature
            do { f = try GeoJSON.feature(value, number: 1) } catch let e as GridwallError {
                throw GridwallError(e.code, e.message, at: place)
            }
            return try Importer.ingestEvent(SourceFeature(place: place, geometry: f.geometry, properties: f.properties), crs: crs, ignoring: featureIgnored)
        } else {
            func number(_ key: String) throws -> Double {
                guard let v = object[key], v != .null else {
                    throw GridwallError(.invalidInput, "\(key) is required (decimal degrees)", at: "\(place).\(key)")
                }
                guard case .number(let n) = v, n.isFinite else {
                    throw GridwallError(.invalidInput, "\(key) must be a finite number, found \(v.serialized)", at: "\(place).\(key)")
                }
                return n
            }
            let p = Coordinate(try number("lon"), try number("lat"))
            // Taken out by ingestEvent rather than here: removing keys would copy the dictionary.
            return try Importer.ingestEvent(SourceFeature(place: place, geometry: .point(p), properties: object), crs: crs,
                                            ignoring: flatIgnored)
        }
    }
}
