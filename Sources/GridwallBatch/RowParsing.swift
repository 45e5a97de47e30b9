// Turning one input row into a point: CSV lines (a fast path for lines without quotes), NDJSON
// objects and GeoJSON features. Errors say what is wrong; the caller adds the line number.
import Foundation
import GridwallCore

/// Why one input row could not be read (its message; the caller adds the line number).
public struct RowError: Error, Sendable {
    public var message: String
}

enum RowParsing {
    /// Longitude and latitude from the CSV line's columns `lon` and `lat` (0-based).
    static func csvPoint(_ line: UnsafeBufferPointer<UInt8>, lon: Int, lat: Int, fieldCount: Int) throws(RowError) -> Coordinate {
        if line.contains(UInt8(ascii: "\"")) {
            // Rare: quoted fields go through the full CSV parser.
            let text = String(decoding: line, as: UTF8.self)
            let fields: [String]
            do { fields = try CSV.fields(of: text) } catch { throw RowError(message: "\(error)") }
            guard fields.count == fieldCount else { throw RowError(message: "expected \(fieldCount) fields, found \(fields.count)") }
            return try checked(Double(fields[lon].trimmingCharacters(in: .whitespaces)), Double(fields[lat].trimmingCharacters(in: .whitespaces)),
                               fields[lon], fields[lat])
        }
        var field = 0, start = 0
        var lonRange = 0..<0, latRange = 0..<0
        for i in 0...line.count {
            if i == line.count || line[i] == UInt8(ascii: ",") {
                if field == lon { lonRange = start..<i }
                if field == lat { latRange = start..<i }
                field += 1
                start = i + 1
            }
        }
        guard field == fieldCount else { throw RowError(message: "expected \(fieldCount) fields, found \(field)") }
        let x = parseDouble(line, lonRange), y = parseDouble(line, latRange)
        if x == nil || y == nil {
            throw RowError(message: "longitude and latitude must be numbers, found \"\(String(decoding: UnsafeBufferPointer(rebasing: line[lonRange]), as: UTF8.self))\", \"\(String(decoding: UnsafeBufferPointer(rebasing: line[latRange]), as: UTF8.self))\"")
        }
        return try checked(x, y, "", "")
    }

    /// strtod on a field, without allocating: nil unless the whole field is one number.
    static func parseDouble(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        var r = range
        while r.lowerBound < r.upperBound, line[r.lowerBound] == 32 { r = (r.lowerBound + 1)..<r.upperBound }
        while r.lowerBound < r.upperBound, line[r.upperBound - 1] == 32 || line[r.upperBound - 1] == 13 { r = r.lowerBound..<(r.upperBound - 1) }
        let n = r.count
        guard n > 0, n < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buffer -> Double? in
            for k in 0..<n { buffer[k] = CChar(bitPattern: line[r.lowerBound + k]) }
            buffer[n] = 0
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + n else { return nil }
            return v
        }
    }

    static func checked(_ x: Double?, _ y: Double?, _ xs: String, _ ys: String) throws(RowError) -> Coordinate {
        guard let x, let y else { throw RowError(message: "longitude and latitude must be numbers, found \"\(xs)\", \"\(ys)\"") }
        guard x.isFinite, y.isFinite else { throw RowError(message: "coordinates must be finite numbers, found \(x), \(y)") }
        let c = Coordinate(x, y)
        if let problem = c.lonLatProblem { throw RowError(message: problem) }
        return c
    }

    /// A point from an NDJSON object: lon/lat, lng/lat, longitude/latitude or x/y members, or a
    /// GeoJSON Feature (or bare Point) with a Point geometry.
    static func jsonPoint(_ value: JSONValue) throws(RowError) -> Coordinate {
        if let g = value["geometry"] ?? (value["type"]?.stringValue == "Point" ? value : nil) {
            guard g["type"]?.stringValue == "Point", let c = g["coordinates"]?.arrayValue, c.count >= 2 else {
                throw RowError(message: "the geometry must be a Point")
            }
            return try checked(c[0].doubleValue, c[1].doubleValue, c[0].serialized, c[1].serialized)
        }
        for (xk, yk) in [("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("x", "y")] {
            if let xv = value[xk], let yv = value[yk] {
                return try checked(xv.doubleValue, yv.doubleValue, xv.serialized, yv.serialized)
            }
        }
        throw RowError(message: "no coordinates: give lon and lat (or longitude/latitude, x/y) members or a Point geometry")
    }
}
