// Live event ingest on the store side: turning a submitted event into a checked row (the same
// rules and messages as `gridwall import`), and writing many clients' batches in one
// transaction (group commit) where each batch still stands or falls alone (a savepoint each).
// Idempotent by id: an event stored before with the same content is a duplicate, not an error;
// the same id with other content is a conflict.
import Foundation
import GRDB
import GridwallCore

/// An event checked and ready to be written (WGS84, time to the second, other properties as
/// canonical JSON).
public struct IngestEvent: Sendable, Equatable {
    public var id: String
    public var position: Coordinate
    /// Unix seconds.
    public var time: Int64
    public var category: String
    public var status: String
    public var severity: Int64?
    public var source: String?
    /// The properties that are not columns, as canonical JSON (sorted keys), nil when none.
    public var extra: String?
    /// Filled by assignment before writing.
    public var gridID: String?
    public var buildingID: String?
    /// Where the event was in the request ("body", "events[3]", "line 4"), for errors.
    public var place = ""

    /// An event; `gridID` and `buildingID` are usually filled by assignment afterwards.
    public init(id: String, position: Coordinate, time: Int64, category: String, status: String, severity: Int64?, source: String?,
                extra: String?, gridID: String? = nil, buildingID: String? = nil, place: String = "") {
        self.id = id; self.position = position; self.time = time; self.category = category; self.status = status
        self.severity = severity; self.source = source; self.extra = extra; self.gridID = gridID; self.buildingID = buildingID
        self.place = place
    }

    /// Whether `other` is the same report: everything the client sent (position, time,
    /// category, severity, source, other properties). Status and assignment are not compared: the
    /// status moves on after a dispatch, and the grids may have been redrawn since.
    public func sameReport(as other: IngestEvent) -> Bool {
        id == other.id && position == other.position && time == other.time && category == other.category
            && severity == other.severity && (source ?? "") == (other.source ?? "") && extra == other.extra
    }
}

/// What became of one event of a batch that was written.
public enum IngestedEvent: Sendable, Equatable {
    /// Stored now, as row `fid`.
    case stored(fid: Int64)
    /// Stored before with the same content (a retry); nothing was written.
    case duplicate
}

/// One group commit: each batch's outcome, in submission order.
public struct IngestCommit: Sendable {
    /// Per batch: the outcome of each of its events, or why the whole batch was refused.
    public var batches: [Result<[IngestedEvent], GridwallError>]
    /// The events table's `last_change` after the commit (the heatmaps keep it, to tell their
    /// own writes from other writers').
    public var lastChange: String
    /// The largest fid in the events table before this commit.
    public var previousMaxFid: Int64
}

extension Importer {
    /// Checks one submitted event as `gridwall import events` checks a feature (coordinates,
    /// geometry kind, required and typed properties) and reads it into an `IngestEvent`.
    /// Properties named in `ignoring` are neither columns nor kept. Errors name `feature.place`.
    public static func ingestEvent(_ feature: SourceFeature, crs: CoordinateSystem, ignoring: [String] = []) throws -> IngestEvent {
        let layer = LayerSchema.events
        do {
            let g = try toWGS84(feature.geometry, crs: crs, transformer: nil)
            try checkCoordinates(g)
            try checkKind(g, layer: layer)
            guard case .point(let p) = g else { throw GridwallError(.invalidGeometry, "events need Point geometries") }
            let (values, extra) = try columnValues(feature.properties, layer: layer, ignoring: ignoring)
            let at = EventColumnPositions.shared
            let status = String.fromDatabaseValue(values[at.status]) ?? "reported"
            guard EventStatus.all.contains(status) else {
                throw GridwallError(.invalidInput, "property \"status\" must be one of \(EventStatus.all.joined(separator: ", ")), found \"\(status)\"")
            }
            // columnValues has checked the required columns and the time (and its range).
            guard let id = String.fromDatabaseValue(values[at.id]), let category = String.fromDatabaseValue(values[at.category]),
                  let time = String.fromDatabaseValue(values[at.time]).flatMap(ISOTime.parse) else {
                throw GridwallError(.invalidInput, "id, time and category are required")
            }
            return IngestEvent(id: id, position: p, time: Int64(time.rounded(.down)), category: category,
                               status: status, severity: Int64.fromDatabaseValue(values[at.severity]),
                               source: String.fromDatabaseValue(values[at.source]), extra: extra,
                               gridID: String.fromDatabaseValue(values[at.gridID]), buildingID: String.fromDatabaseValue(values[at.buildingID]),
                               place: feature.place)
        } catch let e as GridwallError {
            throw GridwallError(e.code, e.message, at: feature.place)
        }
    }
}

extension Importer {
    /// The members a flat event may have for `flatEvent`, in the order of its values.
    public static let flatEventKeys = ["id", "lon", "lat", "time", "category", "status", "severity", "source"]

    /// The event `ingestEvent` makes of a flat WGS84 object with only the members of
    /// `flatEventKeys` (values by that order, from `JSONParser.flatObjects`), when it passes
    /// every check; nil otherwise, and the caller takes the general path, which words the error.
    /// Live batches are such objects: this skips a dictionary per event and a hash per lookup.
    public static func flatEvent(_ v: ArraySlice<JSONValue?>, place: String) -> IngestEvent? {
        let at = v.startIndex
        guard case .string(let id)? = v[at], idProblem(id) == nil, case .number(let lon)? = v[at + 1], case .number(let lat)? = v[at + 2],
              case .string(let timeText)? = v[at + 3], let time = ISOTime.parse(timeText), ISOTime.acceptedRange.contains(time),
              case .string(let category)? = v[at + 4] else { return nil }
        let p = Coordinate(lon, lat)
        guard (try? checkCoordinates(.point(p))) != nil else { return nil }
        var status = "reported"
        if let s = v[at + 5] {
            guard case .string(let text) = s, EventStatus.all.contains(text) else { return nil }
            status = text
        }
        var severity: Int64?
        if let s = v[at + 6] {
            guard case .number(let d) = s, let whole = Int64(exactly: d) else { return nil }
            severity = whole
        }
        var source: String?
        if let s = v[at + 7] {
            guard case .string(let text) = s else { return nil }
            source = text
        }
        return IngestEvent(id: id, position: p, time: Int64(time.rounded(.down)), category: category, status: status,
                           severity: severity, source: source, extra: nil, place: place)
    }
}

/// Where each column of the events layer is among `LayerSchema.events.columns` (found once,
/// not by name for every event).
private struct EventColumnPositions: Sendable {
    let id, time, category, status, severity, source, gridID, buildingID: Int
    static let shared = EventColumnPositions()
    private init() {
        func at(_ name: String) -> Int { LayerSchema.events.columns.firstIndex { $0.name == name }! }
        id = at("id"); time = at("time"); category = at("category"); status = at("status"); severity = at("severity")
        source = at("source"); gridID = at("grid_id"); buildingID = at("building_id")
    }
}

/// The statuses an event moves through.
public enum EventStatus {
    public static let all = ["reported", "dispatched", "resolved"]
}

extension GeoStore {
    /// Rows per INSERT on a batch's first attempt. One statement of many rows costs SQLite about
    /// half the CPU per row of a statement per row: each statement starts a VDBE program, opens a
    /// cursor on the table and both indexes, and reads and writes the AUTOINCREMENT counter
    /// (a C loop over this schema: 7.0 → 3.5 µs of user time per row at 50 rows per statement).
    static let rowsPerInsert = 64

    /// The INSERTs of 1…`rowsPerInsert` events (at `n - 1`), each row's ten parameters in `bindEvent`'s order.
    private static let insertSQL: [String] = (1...rowsPerInsert).map { n in
        "INSERT INTO events (geom, id, time, category, status, severity, source, grid_id, building_id, properties) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: n).joined(separator: ", ")
            + " ON CONFLICT(id) DO NOTHING"
    }

    /// Binds `e` as row `row` (from 0) of an insert made from `insertSQL`.
    private static func bindEvent(_ e: IngestEvent, row: Int, to insert: BoundStatement) throws {
        let at = Int32(row * 10)
        try insert.bind(at + 1, blob: GeoPackageBinary.encodePoint(e.position))
        try insert.bind(at + 2, e.id); try insert.bind(at + 3, ISOTime.format(e.time)); try insert.bind(at + 4, e.category)
        try insert.bind(at + 5, e.status); try insert.bind(at + 6, e.severity); try insert.bind(at + 7, e.source)
        try insert.bind(at + 8, e.gridID); try insert.bind(at + 9, e.buildingID); try insert.bind(at + 10, e.extra)
    }

    /// Writes the batches in one transaction (one fsync for all of them); each batch in its own
    /// savepoint, so a conflict refuses that batch alone. Nothing is visible to readers, and
    /// nothing is acknowledged, before the whole transaction is durable.
    public func ingest(_ batches: [[IngestEvent]]) throws -> IngestCommit {
        let (commit, before, after, added) = try write { db in
            let before = try Self.layerState("events", db)
            // Cached: a commit of a few single events would otherwise spend much of its time
            // compiling these statements again.
            func insert(rows n: Int) throws -> BoundStatement { BoundStatement(try db.cachedStatement(sql: Self.insertSQL[n - 1]), in: db) }
            let existing = try db.cachedStatement(sql: "SELECT geom, time, category, severity, source, properties FROM events WHERE id = ?")
            let previousMaxFid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(fid), 0) FROM events")) ?? 0
            var outcomes: [Result<[IngestedEvent], GridwallError>] = []
            var box = BoundingBox.empty, added = 0   // where the stored events lie, how many
            for batch in batches {
                var results: [IngestedEvent] = []
                var failure: GridwallError?
                // The first attempt at a batch of new events: `rowsPerInsert` rows a statement.
                // Nil as soon as a statement stores fewer rows than it was given (an id stored
                // before or repeated in the batch); the caller then takes it all back and writes
                // row by row, which tells a retry from a conflict.
                func writeNewBatch() throws -> [IngestedEvent]? {
                    var stored: [IngestedEvent] = []
                    stored.reserveCapacity(batch.count)
                    var start = 0
                    while start < batch.count {
                        let n = min(Self.rowsPerInsert, batch.count - start)
                        let statement = try insert(rows: n)
                        for k in 0..<n { try Self.bindEvent(batch[start + k], row: k, to: statement) }
                        try statement.run()
                        guard db.changesCount == n else { return nil }
                        // AUTOINCREMENT gives each new row the largest fid yet plus one (or fails
                        // when none is left), and this is the only writer: the statement's rows
                        // have consecutive fids ending at the last one inserted.
                        let last = db.lastInsertedRowID
                        for fid in (last - Int64(n) + 1)...last { stored.append(.stored(fid: fid)) }
                        start += n
                    }
                    return stored
                }
                // Writes the batch row by row; false when an event conflicts (the batch is then refused).
                func writeBatch() throws -> Bool {
                    let single = try insert(rows: 1)
                    for e in batch {
                        try Self.bindEvent(e, row: 0, to: single)
                        try single.run()
                        if db.changesCount == 1 {
                            results.append(.stored(fid: db.lastInsertedRowID))
                            continue
                        }
                        guard let row = try Row.fetchOne(existing, arguments: [e.id]),
                              let stored = Self.storedReport(row, id: e.id), stored.sameReport(as: e) else {
                            failure = GridwallError(.conflict, "an event with id \"\(e.id)\" is already stored with other content",
                                                    at: "\(e.place).id")
                            return false
                        }
                        results.append(.duplicate)
                    }
                    return true
                }
                if batch.count == 1 {
                    // A lone event needs no savepoint (two statements compiled per batch by
                    // GRDB): when it conflicts, nothing of it was written.
                    _ = try writeBatch()
                } else {
                    var new: [IngestedEvent]?
                    try db.inSavepoint {
                        new = try writeNewBatch()
                        return new == nil ? .rollback : .commit
                    }
                    if let new {
                        results = new
                    } else {
                        try db.inSavepoint { try writeBatch() ? .commit : .rollback }
                    }
                }
                if let failure {
                    outcomes.append(.failure(failure))
                } else {
                    outcomes.append(.success(results))
                    for (e, r) in zip(batch, results) where r != .duplicate {
                        box.extend(e.position)
                        added += 1
                    }
                }
            }
            if !box.isEmpty {
                // gpkg_contents keeps the layer's extent and last change true, as imports do.
                try db.cachedStatement(sql: """
                    UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?),
                      max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?),
                      last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'events'
                    """).execute(arguments: [box.minX, box.minX, box.minY, box.minY, box.maxX, box.maxX, box.maxY, box.maxY])
            }
            let lastChange = try String.fetchOne(db.cachedStatement(sql: "SELECT last_change FROM gpkg_contents WHERE table_name = 'events'")) ?? ""
            return (IngestCommit(batches: outcomes, lastChange: lastChange, previousMaxFid: previousMaxFid),
                    before, try Self.layerState("events", db), added)
        }
        keepCount("events", before: before, after: after, added: added)
        return commit
    }

    /// The report part of a stored event row, for comparing with a retried one.
    static func storedReport(_ row: Row, id: String) -> IngestEvent? {
        let blob: Data = row["geom"]
        guard case .point(let p)? = try? GeoPackageBinary.decode([UInt8](blob)).geometry,
              let time = (row["time"] as String?).flatMap(ISOTime.parse) else { return nil }
        return IngestEvent(id: id, position: p, time: Int64(time.rounded(.down)), category: row["category"] ?? "", status: "",
                           severity: row["severity"], source: row["source"], extra: row["properties"])
    }
}
