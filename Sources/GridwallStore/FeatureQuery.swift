// Features of a layer page by page, with the filters OGC API – Features asks for: a box, a time
// interval (events), equality on attributes. Attribute and time filters run in SQLite; the box
// is tested on each geometry's bounds (layers here are small enough that a scan answers in well
// under a second; an R-tree is the next step when they are not).
import Foundation
import GRDB
import GridwallCore

/// Which features of a layer, and which page of them.
public struct FeatureQuery: Sendable {
    public var layer: LayerSchema
    /// WGS84 box the features' bounds must meet.
    public var bbox: BoundingBox?
    /// Events from `from` (inclusive) to `to` (exclusive), ISO 8601 UTC as the store keeps them.
    public var from: String?, to: String?
    /// Column = value tests (the columns are checked against the layer's).
    public var equals: [(column: String, value: String)] = []
    public var limit = 100
    public var offset = 0
    /// One feature by its `id` attribute.
    public var id: String?

    /// All features of `layer`, first page.
    public init(layer: LayerSchema) { self.layer = layer }
}

/// One page of features and how many match in all.
public struct FeaturePage: Sendable {
    public var features: [Feature]
    public var matched: Int
}

extension GeoStore {
    /// The page of features `query` asks for, with the count of all that match.
    public func features(_ query: FeatureQuery) throws -> FeaturePage {
        var conditions: [String] = [], arguments: [DatabaseValueConvertible] = []
        for (column, value) in query.equals {
            guard let c = query.layer.columns.first(where: { $0.name == column }) else {
                throw GridwallError(.invalidParameter, "\(query.layer.name) has no property \"\(column)\"; properties: "
                                    + query.layer.columns.map(\.name).joined(separator: ", "), at: column)
            }
            conditions.append("\(c.name) = ?")
            switch c.kind {
            case .text: arguments.append(value)
            case .integer:
                guard let v = Int64(value) else { throw GridwallError(.invalidParameter, "expected a whole number, found \"\(value)\"", at: column) }
                arguments.append(v)
            case .real:
                guard let v = Double(value), v.isFinite else { throw GridwallError(.invalidParameter, "expected a number, found \"\(value)\"", at: column) }
                arguments.append(v)
            }
        }
        if let id = query.id { conditions.append("id = ?"); arguments.append(id) }
        if let from = query.from { conditions.append("time >= ?"); arguments.append(from) }
        if let to = query.to { conditions.append("time < ?"); arguments.append(to) }
        let sql = "SELECT * FROM \(query.layer.name)" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY fid"
        var page: [Feature] = [], matched = 0
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try cursor.next() {
                let blob: Data = row["geom"]
                let geometry = try GeoPackageBinary.decode([UInt8](blob)).geometry
                if let bbox = query.bbox, !(geometry.boundingBox.map { $0.intersects(bbox) } ?? false) { continue }
                matched += 1
                guard matched > query.offset && page.count < query.limit else { continue }
                var properties: [String: JSONValue] = [:]
                for c in query.layer.columns {
                    switch c.kind {
                    case .text: if let v: String = row[c.name] { properties[c.name] = .string(v) }
                    case .integer: if let v: Int64 = row[c.name] { properties[c.name] = .number(Double(v)) }
                    case .real: if let v: Double = row[c.name] { properties[c.name] = .number(v) }
                    }
                }
                page.append(Feature(geometry: geometry, properties: properties))
            }
        }
        return FeaturePage(features: page, matched: matched)
    }
}
