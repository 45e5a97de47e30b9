// Import: read → transform to WGS84 → check every geometry (GEOS) → write all or nothing.
import Foundation
import GRDB
import GridwallCore
import GridwallGEOS
import GridwallPROJ

/// Which layer an import fills, the coordinate system of its input, and whether it replaces the layer or repairs invalid polygons.
public struct ImportOptions: Sendable {
    public var layer: LayerSchema
    /// The coordinate system of the input.
    public var crs: CoordinateSystem = .wgs84
    /// Repair invalid polygons with GEOS MakeValid instead of rejecting them.
    public var repair = false
    /// Replace the layer's contents instead of adding to them.
    public var replace = false
    /// The property holding each feature's id, when it is not `id`.
    public var idField: String?
    /// Areas: the property holding each area's parent id, when it is not `parent_id`.
    public var parentField: String?
    /// Areas: the level of features that carry none (a grid layer from another system).
    public var level: String?
    /// Adds to `layer`, rejecting invalid polygons.
    public init(layer: LayerSchema) { self.layer = layer }

    /// The properties as the layer's columns name them: the id and parent read from the fields
    /// the options name, the level filled in where a feature has none.
    func renamed(_ properties: [String: JSONValue]) -> [String: JSONValue] {
        var p = properties
        if let idField, idField != "id" { p["id"] = properties[idField] ?? .null; p[idField] = nil }
        if let parentField, parentField != "parent_id" { p["parent_id"] = properties[parentField] ?? .null; p[parentField] = nil }
        if let level, p["level"] == nil || p["level"] == .null { p["level"] = .string(level) }
        return p
    }
}

/// What an import did: features written and the repairs made.
public struct ImportReport: Sendable {
    public var layer: String
    public var imported: Int
    /// One line per repaired feature: where, what GEOS said, what the repair produced.
    public var repairs: [String]
}

/// Progress of a long import: the phase and how far it got.
public typealias ImportProgress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

/// Checks every feature (GEOS validity, fields) and writes all of them in one transaction, or none.
public enum Importer {
    /// At most this many problems are listed in one error; the rest are counted.
    static let listedProblems = 20

    /// Imports `features` into `store`; throws naming every bad feature, writing nothing.
    public static func run(_ features: [SourceFeature], into store: GeoStore, options: ImportOptions,
                           engine: AssignmentEngine? = nil, progress: ImportProgress = { _, _, _ in }) throws -> ImportReport {
        let layer = options.layer
        let geos = GeosContext()
        var transformer: ProjTransformer?
        if case .epsg(let code) = options.crs, code != 4326 {
            transformer = try ProjTransformer(fromEPSG: code, toEPSG: 4326)
        }
        var problems: [String] = []
        var repairs: [String] = []
        var rows: [(geometry: Geometry, values: [DatabaseValue], extra: String?)] = []
        rows.reserveCapacity(features.count)
        var box = BoundingBox.empty
        for (n, feature) in features.enumerated() {
            if n % 1000 == 0 { progress("checking", n, features.count) }
            do {
                var g = try toWGS84(feature.geometry, crs: options.crs, transformer: transformer)
                try checkCoordinates(g)
                try checkKind(g, layer: layer)
                if layer.polygonal {
                    let handle = try geos.geometry(g)
                    if let problem = try handle.invalidity() {
                        guard options.repair else { throw GridwallError(.invalidGeometry, "invalid geometry: \(problem)") }
                        guard let fixed = try handle.makeValid().polygonalPart() else {
                            throw GridwallError(.invalidGeometry, "invalid geometry: \(problem); MakeValid left no polygon")
                        }
                        let before = try handle.area(), after = try geos.geometry(fixed).area()
                        repairs.append("\(feature.place): \(problem) → \(fixed.typeName.lowercased()) with \(fixed.polygons.count) part(s), area \(String(format: "%.3g", before)) → \(String(format: "%.3g", after)) deg²")
                        g = fixed
                    }
                }
                var (values, extra) = try columnValues(options.renamed(feature.properties), layer: layer)
                if layer.name == "events", let engine, case .point(let p) = g {
                    let a = engine.assign(x: p.x, y: p.y)
                    if let i = layer.columns.firstIndex(where: { $0.name == "grid_id" }), values[i].isNull, a.grid >= 0 {
                        values[i] = engine.grids[Int(a.grid)].gridID.databaseValue
                    }
                    if let i = layer.columns.firstIndex(where: { $0.name == "building_id" }), values[i].isNull, a.building >= 0 {
                        values[i] = engine.buildingIDs[Int(a.building)].databaseValue
                    }
                }
                if let b = g.boundingBox { box.extend(b) }
                rows.append((g, values, extra))
            } catch let e as GridwallError {
                problems.append("\(feature.place): \(e.message)")
            }
        }
        progress("checking", features.count, features.count)
        if !problems.isEmpty {
            var message = "\(problems.count) of \(features.count) features rejected; nothing was imported:\n  "
                + problems.prefix(listedProblems).joined(separator: "\n  ")
            if problems.count > listedProblems { message += "\n  … and \(problems.count - listedProblems) more" }
            if !options.repair && layer.polygonal && problems.contains(where: { $0.contains("invalid geometry") }) {
                message += "\n(--repair fixes invalid polygons with GEOS MakeValid and reports each change)"
            }
            throw GridwallError(.invalidGeometry, message, at: layer.name)
        }
        try write(rows, box: box, into: store, options: options, progress: progress)
        return ImportReport(layer: layer.name, imported: rows.count, repairs: repairs)
    }

    static func toWGS84(_ g: Geometry, crs: CoordinateSystem, transformer: ProjTransformer?) throws -> Geometry {
        if let transformer { return try transformer.forward(g) }
        switch crs {
        case .wgs84, .epsg: return g
        case .gcj02, .bd09: return g.mapCoordinates { crs.toWGS84IfChinese($0)! }
        }
    }

    static func checkCoordinates(_ g: Geometry) throws {
        if let (i, c) = g.firstNonFiniteCoordinate {
            throw GridwallError(.invalidGeometry, "coordinate \(i + 1) is not a finite number (\(c.x), \(c.y))")
        }
        if let problem = g.firstLonLatProblem {
            throw GridwallError(.invalidGeometry, problem + (problem.contains("swapped") ? "" : "; is --crs right?"))
        }
    }

    static func checkKind(_ g: Geometry, layer: LayerSchema) throws {
        switch (g, layer.polygonal) {
        case (.polygon, true), (.multiPolygon, true), (.point, false): return
        default:
            throw GridwallError(.invalidGeometry, "\(layer.name) need \(layer.polygonal ? "Polygon or MultiPolygon" : "Point") geometries, found \(g.typeName)")
        }
    }

    /// The longest id taken, in UTF-8 bytes.
    public static let maximumIDBytes = 256

    /// Why `id` cannot be a feature's id, nil when it can. Ids are what people read on the wall,
    /// type into a search and put in URLs (`/events/{id}`): an empty one cannot be asked for, a
    /// control character breaks lines of CSV and logs, and a 100 kB one is a mistake, not a name.
    public static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "must not be empty" }
        if id.utf8.count > maximumIDBytes { return "must be at most \(maximumIDBytes) bytes, found \(id.utf8.count)" }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "must not hold control characters" }
        return nil
    }

    /// The layer's column values from feature properties, and the rest as a JSON object.
    /// `ignoring` names properties that are neither columns nor kept (a live event's lon, lat and
    /// crs): leaving them out here spares the caller a copy of the dictionary without them.
    static func columnValues(_ properties: [String: JSONValue], layer: LayerSchema, ignoring: [String] = []) throws -> ([DatabaseValue], String?) {
        // Live ingest runs this for every event: no allocation per column (the key lists and a
        // set of used keys were a tenth of an event's time), and the leftover properties are
        // only collected when there are some.
        var used: [String] = []
        used.reserveCapacity(layer.columns.count)
        var values: [DatabaseValue] = []
        values.reserveCapacity(layer.columns.count)
        for column in layer.columns {
            var key: String?, value: JSONValue?
            if let v = properties[column.name], v != .null { key = column.name; value = v } else {
                for alias in column.aliases { if let v = properties[alias], v != .null { key = alias; value = v; break } }
            }
            guard let key, let value else {
                if column.required { throw GridwallError(.invalidInput, "missing required property \"\(column.name)\"") }
                values.append(.null)
                continue
            }
            used.append(key)
            switch column.kind {
            case .text:
                guard let s = value.stringValue else { throw GridwallError(.invalidInput, "property \"\(key)\" must be text") }
                if column.name == "time" {
                    guard let t = ISOTime.parse(s) else {
                        throw GridwallError(.invalidInput, "property \"time\" must be an ISO 8601 time such as 2026-11-20T08:30:00Z, found \"\(s)\"")
                    }
                    // Years of four digits (what the store's text form and every consumer reads).
                    guard ISOTime.acceptedRange.contains(t) else {
                        throw GridwallError(.invalidInput, "property \"time\" must be from \(ISOTime.format(Int64(ISOTime.acceptedRange.lowerBound))) to \(ISOTime.format(Int64(ISOTime.acceptedRange.upperBound))), found \"\(s)\"")
                    }
                    values.append(ISOTime.format(Int64(t.rounded(.down))).databaseValue)
                } else {
                    if column.name == "id", let problem = idProblem(s) { throw GridwallError(.invalidInput, "property \"\(key)\" \(problem)") }
                    values.append(s.databaseValue)
                }
            case .integer:
                // Int64(exactly:) refuses fractions and, unlike Int64(_:), whole numbers past its
                // range (1e300 would stop the process).
                guard let d = value.doubleValue, let whole = Int64(exactly: d) else {
                    throw GridwallError(.invalidInput, "property \"\(key)\" must be a whole number, found \(value.serialized)")
                }
                values.append(whole.databaseValue)
            case .real:
                guard let d = value.doubleValue, d.isFinite else {
                    throw GridwallError(.invalidInput, "property \"\(key)\" must be a number, found \(value.serialized)")
                }
                values.append(d.databaseValue)
            }
        }
        // The used keys are distinct non-null properties: when they are all the non-null ones
        // besides the ignored, nothing is left over.
        var others = 0
        for (key, value) in properties where value != .null && !ignoring.contains(key) { others += 1 }
        guard others > used.count else { return (values, nil) }
        let rest = properties.filter { key, value in value != .null && !used.contains(key) && !ignoring.contains(key) }
        return (values, rest.isEmpty ? nil : JSONValue.object(rest).serialized)
    }

    static func write(_ rows: [(geometry: Geometry, values: [DatabaseValue], extra: String?)], box: BoundingBox,
                      into store: GeoStore, options: ImportOptions, progress: ImportProgress) throws {
        let layer = options.layer
        let names = ["geom"] + layer.columns.map(\.name) + ["properties"]
        let sql = "INSERT INTO \(layer.name) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
        do {
            // One transaction: a failure anywhere leaves the store exactly as it was.
            try store.pool.write { db in
                if options.replace { try db.execute(sql: "DELETE FROM \(layer.name)") }
                let statement = try db.makeStatement(sql: sql)
                for (i, row) in rows.enumerated() {
                    if i % 2000 == 0 { progress("writing", i, rows.count) }
                    let blob = Data(GeoPackageBinary.encode(row.geometry))
                    var arguments: [DatabaseValue] = [blob.databaseValue]
                    arguments += row.values
                    arguments.append(row.extra?.databaseValue ?? .null)
                    do {
                        try statement.execute(arguments: StatementArguments(arguments))
                    } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                        let id = row.values.first.flatMap { String.fromDatabaseValue($0) } ?? "?"
                        let reason = e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                            ? "a feature with id \"\(id)\" is already in \(layer.name) (use --replace to replace the layer)"
                            : "rejected by the store: \(e.message ?? "constraint failed")"
                        throw GridwallError(.conflict, reason, at: "feature \(i + 1) (id \(id))")
                    }
                }
                // Keep gpkg_contents' extent true: the union of what was there and what came in.
                var extent = box
                if !options.replace,
                   let old = try Row.fetchOne(db, sql: "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", arguments: [layer.name]),
                   let a: Double = old[0], let b: Double = old[1], let c: Double = old[2], let d: Double = old[3] {
                    extent.extend(BoundingBox(minX: a, minY: b, maxX: c, maxY: d))
                }
                try db.execute(sql: """
                    UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?,
                      last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?
                    """, arguments: extent.isEmpty ? [nil, nil, nil, nil, layer.name]
                                                   : [extent.minX, extent.minY, extent.maxX, extent.maxY, layer.name])
            }
        } catch let e as DatabaseError {
            throw GridwallError(.storage, e.message ?? e.description, at: layer.name)
        }
        progress("writing", rows.count, rows.count)
    }
}
