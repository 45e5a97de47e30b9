// Reads features from GeoJSON, CSV (a longitude and a latitude column) and GeoPackage files,
// keeping each feature's place in the file so that errors can say where.
import Foundation
import GRDB
import GridwallCore

/// A feature and where it came from ("feature 12", "line 13").
public struct SourceFeature: Sendable {
    public var place: String
    public var geometry: Geometry
    public var properties: [String: JSONValue]

    /// A feature read from `place` (a line, a feature number, a field of a request body).
    public init(place: String, geometry: Geometry, properties: [String: JSONValue]) {
        self.place = place; self.geometry = geometry; self.properties = properties
    }
}

/// A file format `gridwall import` reads.
public enum FileFormat: String, Sendable, CaseIterable {
    case geojson, csv, gpkg

    /// The format a `--format` option names, or the one the extension says when it names none.
    public static func chosen(_ option: String?, for path: String) throws -> FileFormat {
        guard let option else { return try guess(path) }
        guard let f = FileFormat(rawValue: option.lowercased()) else {
            throw GridwallError(.invalidParameter, "unknown format \"\(option)\"; use geojson, csv or gpkg", at: "--format")
        }
        return f
    }

    /// Guesses the format from the file extension.
    public static func guess(_ path: String) throws -> FileFormat {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "geojson", "json": return .geojson
        case "csv", "txt": return .csv
        case "gpkg", "sqlite": return .gpkg
        case let ext:
            throw GridwallError(.invalidInput, "cannot tell the format of \"\(path)\" from its extension \".\(ext)\"; use --format geojson|csv|gpkg", at: path)
        }
    }
}

/// Reads GeoJSON, CSV and GeoPackage files into features, each with its place in the file.
public enum FeatureReader {
    /// The features of the file at `path`.
    public static func read(path: String, format: FileFormat) throws -> [SourceFeature] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GridwallError(.io, "no such file", at: path)
        }
        switch format {
        case .geojson: return try geoJSON(path)
        case .csv: return try csv(path)
        case .gpkg: return try geoPackage(path)
        }
    }

    static func geoJSON(_ path: String) throws -> [SourceFeature] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let value = try JSONValue.parse(data, what: path)
        guard value["type"]?.stringValue == "FeatureCollection", let list = value["features"]?.arrayValue else {
            return try GeoJSON.features(from: value).enumerated().map { i, f in
                SourceFeature(place: "feature \(i + 1)", geometry: f.geometry, properties: f.properties)
            }
        }
        return try list.enumerated().map { i, v in
            let f = try GeoJSON.feature(v, number: i + 1)
            return SourceFeature(place: "feature \(i + 1)", geometry: f.geometry, properties: f.properties)
        }
    }

    static func csv(_ path: String) throws -> [SourceFeature] {
        let text = try CSV.text(Data(contentsOf: URL(fileURLWithPath: path)), file: path)
        // "\r\n" is one Character in Swift, so CRLF files need their own separator test.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw GridwallError(.invalidInput, "the CSV file is empty", at: path) }
        let header = try CSV.fields(of: first).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let (lonColumn, latColumn) = CSV.coordinateColumns(header) else {
            throw GridwallError(.invalidInput, "the header names no coordinate columns; name them lon and lat, longitude and latitude, or x and y", at: "\(path) line 1")
        }
        var out: [SourceFeature] = []
        out.reserveCapacity(lines.count)
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let place = "line \(i + 1)"
            let fields: [String]
            do { fields = try CSV.fields(of: line) } catch let e as GridwallError {
                throw GridwallError(.invalidInput, e.message, at: place)
            }
            guard fields.count == header.count else {
                throw GridwallError(.invalidInput, "expected \(header.count) fields, found \(fields.count)", at: place)
            }
            guard let x = Double(fields[lonColumn].trimmingCharacters(in: .whitespaces)),
                  let y = Double(fields[latColumn].trimmingCharacters(in: .whitespaces)) else {
                throw GridwallError(.invalidInput, "\(header[lonColumn])/\(header[latColumn]) must be numbers, found \"\(fields[lonColumn])\", \"\(fields[latColumn])\"", at: place)
            }
            var properties: [String: JSONValue] = [:]
            for (k, name) in header.enumerated() where k != lonColumn && k != latColumn {
                properties[name] = fields[k].isEmpty ? .null : .string(fields[k])
            }
            out.append(SourceFeature(place: place, geometry: .point(Coordinate(x, y)), properties: properties))
        }
        return out
    }

    /// Reads the first feature table of a GeoPackage (or the only one).
    static func geoPackage(_ path: String) throws -> [SourceFeature] {
        var config = Configuration()
        config.readonly = true
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: config) } catch {
            throw GridwallError(.io, "cannot open the GeoPackage: \(error)", at: path)
        }
        return try queue.read { db in
            guard let table = try Row.fetchOne(db, sql: "SELECT table_name, column_name FROM gpkg_geometry_columns ORDER BY table_name") else {
                throw GridwallError(.invalidInput, "the GeoPackage has no feature table", at: path)
            }
            let name: String = table[0], column: String = table[1]
            var out: [SourceFeature] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \"\(name)\"")
            var n = 0
            while let row = try cursor.next() {
                n += 1
                let place = "\(name) feature \(n)"
                guard let blob: Data = row[column] else {
                    throw GridwallError(.invalidGeometry, "feature has no geometry", at: place)
                }
                let geometry: Geometry
                do { geometry = try GeoPackageBinary.decode([UInt8](blob)).geometry } catch let e as GridwallError {
                    throw GridwallError(.invalidGeometry, e.message, at: place)
                }
                var properties: [String: JSONValue] = [:]
                for (key, value) in row where key != column && key != "fid" {
                    switch value.storage {
                    case .null: properties[key] = .null
                    case .int64(let v): properties[key] = .number(Double(v))
                    case .double(let v): properties[key] = .number(v)
                    case .string(let s): properties[key] = .string(s)
                    case .blob: continue
                    }
                }
                out.append(SourceFeature(place: place, geometry: geometry, properties: properties))
            }
            return out
        }
    }
}
