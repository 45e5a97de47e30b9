// The store: one SQLite file that is also a valid GeoPackage (OGC 12-128r18), so QGIS and
// ogrinfo open it as it is. GRDB runs the migrations; constraints reject bad rows.
import Foundation
import GRDB
import GridwallCore

/// Count and extent of one layer.
public struct LayerSummary: Sendable, Codable, Hashable {
    public var name: String
    public var count: Int
    public var bbox: [Double]?
}

/// The GeoPackage file every layer lives in (SQLite through GRDB); GDAL and QGIS open it as it is.
///
/// ```swift
/// let store = try GeoStore(path: "gridwall.sqlite")
/// _ = try GeodataLoader.load(directory: "geodata", into: store)   // when empty
/// let engine = try store.assignmentEngine()
/// ```
public final class GeoStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Each layer's row count with the state it was counted at (see `layerSummaries`).
    private let counts = Locked<[String: (state: String, count: Int)]>([:])
    /// How many times a layer's rows were counted in full (tests see that ingest keeps counts).
    let fullCounts = Locked(0)

    /// Opens (creating if needed) and migrates the store at `path`.
    ///
    ///     let store = try GeoStore(path: "gridwall.sqlite")
    public init(path: String) throws {
        self.path = path
        do {
            var configuration = Configuration()
            // An acknowledged write survives a power cut, not only a crash: in WAL mode FULL
            // syncs the log at every commit (live ingest shares one commit among many requests).
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try PointBoxFunction.register(db)
            }
            // A write waits for another writer (`gridwall import` beside the server) instead of failing.
            configuration.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            // Tools that sniff the file header (GDAL, QGIS) must see the GeoPackage application id
            // now, not after the next automatic checkpoint moves it out of the WAL.
            // Another process using the store (a running server) may keep the log busy: then
            // the file is not new, and opening must not fail for it.
            do { _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY {}
        } catch let error as DatabaseError {
            throw GridwallError(.storage, "cannot open the store: \(error.message ?? error.description)", at: path)
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("geopackage-core") { db in
            // GeoPackage: application id "GPKG" and version 1.3.0.
            try db.execute(sql: "PRAGMA application_id = 1196444487")
            try db.execute(sql: "PRAGMA user_version = 10300")
            try db.execute(sql: """
                CREATE TABLE gpkg_spatial_ref_sys (
                  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
                  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                INSERT INTO gpkg_spatial_ref_sys VALUES
                  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
                  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
                  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
                   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
                   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
                CREATE TABLE gpkg_contents (
                  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                CREATE TABLE gpkg_geometry_columns (
                  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
                """)
            for layer in LayerSchema.all {
                let columns = layer.columns.map { c in
                    "\(c.name) \(c.sqlType)\(c.required ? " NOT NULL" : "")\(c.name == "id" ? " UNIQUE" : "") \(c.constraint)"
                }.joined(separator: ",\n  ")
                try db.execute(sql: """
                    CREATE TABLE \(layer.name) (
                      fid INTEGER PRIMARY KEY AUTOINCREMENT,
                      geom BLOB NOT NULL,
                      \(columns),
                      properties TEXT);
                    INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
                      VALUES ('\(layer.name)', 'features', '\(layer.name)', '\(layer.description)', 4326);
                    INSERT INTO gpkg_geometry_columns VALUES ('\(layer.name)', 'geom', '\(layer.geometryType)', 4326, 0, 0);
                    """)
            }
            try db.execute(sql: "CREATE INDEX events_time ON events(time)")
            try db.execute(sql: "CREATE INDEX areas_level ON areas(level)")
        }
        m.registerMigration("dispatches") { db in
            // Which responders went to which event: dispatch makes them busy, resolving frees them.
            try db.execute(sql: """
                CREATE TABLE dispatches (
                  event_id TEXT NOT NULL REFERENCES events(id),
                  responder_id TEXT NOT NULL REFERENCES responders(id),
                  dispatched_at TEXT NOT NULL,
                  released_at TEXT,
                  PRIMARY KEY (event_id, responder_id));
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
                  VALUES ('dispatches', 'attributes', 'dispatches', 'Responders sent to events');
                """)
        }
        m.registerMigration("resolutions") { db in
            // When each event was resolved (dispatch rows only know it for events that had responders).
            try db.execute(sql: """
                CREATE TABLE resolutions (
                  event_id TEXT NOT NULL PRIMARY KEY REFERENCES events(id),
                  resolved_at TEXT NOT NULL);
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
                  VALUES ('resolutions', 'attributes', 'resolutions', 'When events were resolved');
                """)
        }
        m.registerMigration("tokens") { db in
            // API tokens: only their SHA-256 is kept (TokenStore.swift).
            try db.execute(sql: """
                CREATE TABLE tokens (
                  name TEXT NOT NULL UNIQUE,
                  role TEXT NOT NULL CHECK (role IN ('viewer','dispatcher','planner','admin')),
                  digest BLOB NOT NULL,
                  created_at TEXT NOT NULL,
                  revoked_at TEXT);
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
                  VALUES ('tokens', 'attributes', 'tokens', 'API tokens (hashes only)');
                """)
        }
        registerPlanTables(&m)
        return m
    }

    /// Count and bounding box of every layer.
    ///
    /// Counts are kept between calls while a layer's last change and fid range stay as they
    /// were (every writer updates the last change): counting a hundred million events reads
    /// their whole index, seconds for each `/layers` or `/collections` otherwise. Live ingest
    /// adds what it stored to the count it finds (`keepCount`), so a store taking events is not
    /// counted again after every commit.
    public func layerSummaries() throws -> [LayerSummary] {
        try read { db in
            try LayerSchema.all.map { layer in
                let state = try Self.layerState(layer.name, db)
                let count: Int
                if let kept = counts.withLock({ $0[layer.name] }), kept.state == state {
                    count = kept.count
                } else {
                    count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(layer.name)") ?? 0
                    fullCounts.withLock { $0 += 1 }
                    counts.withLock { $0[layer.name] = (state, count) }
                }
                return LayerSummary(name: layer.name, count: count, bbox: count > 0 ? try extent(layer, db) : nil)
            }
        }
    }

    /// What a kept count of `table` is valid for: its last change and its fid range.
    static func layerState(_ table: String, _ db: Database) throws -> String {
        try String.fetchOne(db, sql: """
            SELECT coalesce((SELECT last_change FROM gpkg_contents WHERE table_name = ?), '') || ' ' ||
                   coalesce((SELECT min(fid) FROM \(table)), 0) || ' ' || coalesce((SELECT max(fid) FROM \(table)), 0)
            """, arguments: [table]) ?? ""
    }

    /// After a committed write that added `added` rows to `table` and moved its state from
    /// `before` to `after`: the kept count, when it was the count at `before`, becomes the
    /// count at `after` (any other writer meanwhile changed the state, and the next summary
    /// counts in full).
    func keepCount(_ table: String, before: String, after: String, added: Int) {
        counts.withLock { c in
            guard let kept = c[table], kept.state == before else { return }
            c[table] = (after, kept.count + added)
        }
    }

    /// The bounding box gpkg_contents keeps for a layer, [minX, minY, maxX, maxY].
    private func extent(_ layer: LayerSchema, _ db: Database) throws -> [Double]? {
        let row = try Row.fetchOne(db, sql: "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", arguments: [layer.name])
        guard let row, let a: Double = row[0], let b: Double = row[1], let c: Double = row[2], let d: Double = row[3] else { return nil }
        return [a, b, c, d]
    }

    /// A layer's bounding box (nil when it holds nothing), without counting its rows.
    public func extent(of layer: LayerSchema) throws -> [Double]? {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(layer.name))") == true ? try extent(layer, db) : nil
        }
    }

    /// Whether no layer holds any feature (a first start).
    public func isEmpty() throws -> Bool {
        try read { db in
            try LayerSchema.all.allSatisfy { try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \($0.name))") != true }
        }
    }

    /// Runs a read in a snapshot; GRDB errors become Gridwall storage errors.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let e as DatabaseError {
            throw GridwallError(.storage, e.message ?? e.description, at: path)
        }
    }

    /// Runs a write transaction; GRDB errors become storage errors, Gridwall errors pass through.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let e as DatabaseError {
            throw GridwallError(.storage, e.message ?? e.description, at: path)
        }
    }

    /// Rows of a layer as (geometry, row) pairs, in fid order.
    func rows(_ layer: LayerSchema, where condition: String = "1", _ body: (Geometry, Row) throws -> Void) throws {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(layer.name) WHERE \(condition) ORDER BY fid")
            while let row = try cursor.next() {
                let blob: Data = row["geom"]
                let geometry = try GeoPackageBinary.decode([UInt8](blob)).geometry
                try body(geometry, row)
            }
        }
    }

    /// Every area, in store order.
    public func areas() throws -> [AreaRecord] {
        var out: [AreaRecord] = []
        try rows(.areas) { g, r in
            out.append(AreaRecord(id: r["id"], name: r["name"] ?? "", level: AreaLevel(rawValue: r["level"]) ?? .grid,
                                  parentID: r["parent_id"], population: r["population"] ?? 0, households: r["households"] ?? 0,
                                  responsibleUnit: r["responsible_unit"] ?? "", geometry: g))
        }
        return out
    }

    /// Every building, in store order.
    public func buildings() throws -> [BuildingRecord] {
        var out: [BuildingRecord] = []
        try rows(.buildings) { g, r in
            out.append(BuildingRecord(id: r["id"], name: r["name"] ?? "", address: r["address"] ?? "", kind: r["kind"] ?? "", height: r["height"] ?? 0,
                                      floors: r["floors"] ?? 0, households: r["households"] ?? 0, residents: r["residents"] ?? 0,
                                      geometry: g))
        }
        return out
    }

    /// Every camera, in store order.
    public func cameras() throws -> [CameraRecord] {
        var out: [CameraRecord] = []
        try rows(.cameras) { g, r in
            guard case .point(let p) = g else { return }
            out.append(CameraRecord(id: r["id"], name: r["name"] ?? "", position: p, heading: r["heading"] ?? 0,
                                    fieldOfView: r["fov"] ?? 360, range: r["range_m"] ?? 50, mountHeight: r["mount_height_m"] ?? 4))
        }
        return out
    }

    /// The assignment engine over the store's current areas, buildings and cameras.
    public func assignmentEngine() throws -> AssignmentEngine {
        AssignmentEngine(areas: try areas(), buildings: try buildings(), cameras: try cameras())
    }
}

extension GeoStore {
    /// A value that changes whenever a layer the assignment engine reads (areas, buildings,
    /// cameras) is written, by this process or another (`gridwall import` while serving).
    public func assignmentLayersVersion() throws -> String {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT group_concat(table_name || '@' || last_change, ',') FROM
                  (SELECT table_name, last_change FROM gpkg_contents
                   WHERE table_name IN ('areas', 'buildings', 'cameras') ORDER BY table_name)
                """) ?? ""
        }
    }
}

extension GeoStore {
    /// Every responder with its last known position.
    public func responders() throws -> [Responder] {
        var out: [Responder] = []
        try rows(.responders) { g, r in
            guard case .point(let p) = g else { return }
            let skills: String = r["skills"] ?? ""
            out.append(Responder(id: r["id"], name: r["name"] ?? "", kind: r["kind"] ?? "",
                                 status: ResponderStatus(rawValue: r["status"] ?? "") ?? .available,
                                 skills: Set(skills.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
                                 position: p, updatedAt: (r["updated_at"] as String?).flatMap(ISOTime.parse) ?? 0))
        }
        return out
    }

    /// Stores position reports (one transaction); returns the ids that are not in the store.
    public func savePositions(_ updates: [PositionUpdate]) throws -> [String] {
        try write { db in
            var unknown: [String] = []
            let statement = try db.makeStatement(sql: "UPDATE responders SET geom = ?, updated_at = ? WHERE id = ? AND (updated_at IS NULL OR updated_at <= ?)")
            let exists = try db.makeStatement(sql: "SELECT 1 FROM responders WHERE id = ?")
            for u in updates {
                let time = ISOTime.format(Int64(u.time.rounded(.down)))
                try statement.execute(arguments: [Data(GeoPackageBinary.encode(.point(u.position))), time, u.id, time])
                if db.changesCount == 0, try Int.fetchOne(exists, arguments: [u.id]) == nil { unknown.append(u.id) }
            }
            return unknown
        }
    }
}

extension GeoStore {
    /// Every responder's id and home grid (`grid_id`; nil for those without one), in store order.
    public func responderHomeGrids() throws -> [(id: String, grid: String?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, grid_id FROM responders ORDER BY fid").map { ($0["id"], $0["grid_id"]) }
        }
    }
}
