// Features of a layer page by page, with the filters OGC API – Features asks for: a box, a time
// interval (events), equality on attributes. Attribute and time filters run in SQLite, and so
// does the box for points (PointBoxFunction); other geometries' bounds are tested here. Past the page, rows are read only to count the matches,
// within a budget the caller sets: a layer of millions of events is not read whole for a page.
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
    /// Column ∈ values tests (for lists such as category=a,b or the grids of a community).
    public var oneOf: [(column: String, values: [String])] = []
    /// Cursor paging: only rows after this fid (then `offset` is usually 0).
    public var afterFid: Int64?
    /// How many rows (fids) past the page the count of every match (`matched`) may cover: 0
    /// for none (cursor paging), unlimited by default. A page of a large layer is answered
    /// without reading the whole layer when this is bounded (`FeaturePage.complete` then says
    /// whether the count reached the end).
    public var countBudget = Int.max

    /// All features of `layer`, first page.
    public init(layer: LayerSchema) { self.layer = layer }
}

/// One page of features and how many match in all.
public struct FeaturePage: Sendable {
    public var features: [Feature]
    /// Every match when `complete`, else the matches seen so far.
    public var matched: Int
    /// Whether every row was read, so that `matched` counts every match.
    public var complete = false
    /// The fid of the last feature returned (the cursor of the next page), nil when none was.
    public var lastFid: Int64?
    /// Whether a match follows the page (its next link).
    public var more = false
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
        for (column, values) in query.oneOf {
            guard query.layer.columns.contains(where: { $0.name == column }) else {
                throw GridwallError(.invalidParameter, "\(query.layer.name) has no property \"\(column)\"", at: column)
            }
            conditions.append("\(column) IN (\(values.map { _ in "?" }.joined(separator: ",")))")
            arguments += values as [DatabaseValueConvertible]
        }
        if let b = query.bbox {
            // Rows whose envelope (or point) misses the box are left in SQLite (PointBoxFunction);
            // the rest are tested exactly below.
            conditions.append("\(PointBoxFunction.name)(geom, ?, ?, ?, ?)")
            arguments += [b.minX, b.minY, b.maxX, b.maxY]
        }
        if let after = query.afterFid { conditions.append("fid > ?"); arguments.append(after) }
        if let from = query.from { conditions.append("time >= ?"); arguments.append(from) }
        if let to = query.to { conditions.append("time < ?"); arguments.append(to) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM \(query.layer.name)\(filter) ORDER BY fid"
        var page: [Feature] = [], matched = 0, lastFid: Int64?, more = false, complete = true
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            var next: Int64?
            while let row = try cursor.next() {
                // Geometries are decoded only to test the box exactly and for the page's features.
                var geometry: Geometry?
                if let bbox = query.bbox {
                    let blob: Data = row["geom"]
                    let decoded = try GeoPackageBinary.decode([UInt8](blob)).geometry
                    guard decoded.boundingBox.map({ $0.intersects(bbox) }) ?? false else { continue }
                    geometry = decoded
                }
                matched += 1
                if matched <= query.offset { continue }
                if page.count == query.limit { more = true; next = row["fid"]; break }
                if geometry == nil {
                    let blob: Data = row["geom"]
                    geometry = try GeoPackageBinary.decode([UInt8](blob)).geometry
                }
                lastFid = row["fid"]
                var properties: [String: JSONValue] = [:]
                for c in query.layer.columns {
                    switch c.kind {
                    case .text: if let v: String = row[c.name] { properties[c.name] = .string(v) }
                    case .integer: if let v: Int64 = row[c.name] { properties[c.name] = .number(Double(v)) }
                    case .real: if let v: Double = row[c.name] { properties[c.name] = .number(v) }
                    }
                }
                page.append(Feature(geometry: geometry!, properties: properties))
            }
            guard let next else { return }
            // The rest are counted by SQLite alone, over the fids the budget allows past the page
            // (fids are the rows' order, one apart but for deleted rows).
            complete = false
            guard query.countBudget > 0 else { return }
            let end = next.addingReportingOverflow(Int64(min(query.countBudget, Int(Int32.max)))).partialValue
            let counting = "SELECT count(*) FROM \(query.layer.name) WHERE " + (conditions + ["fid > ?", "fid <= ?"]).joined(separator: " AND ")
            matched += try Int.fetchOne(db, sql: counting, arguments: StatementArguments(arguments + [next, end])) ?? 0
            complete = end >= (try Int64.fetchOne(db, sql: "SELECT max(fid) FROM \(query.layer.name)") ?? 0)
        }
        return FeaturePage(features: page, matched: matched, complete: complete, lastFid: lastFid, more: more)
    }
}
