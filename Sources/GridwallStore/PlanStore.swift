// Plans and the versions of the area layer. A plan is kept as submitted (its areas as GeoJSON,
// its validation and impact reports as JSON) until it is applied; applying replaces areas in the
// `areas` table and records the whole layer as a new version, in one transaction, so a failure
// anywhere leaves the store as it was. Every version is kept (`area_history`) with the time it
// took effect, so any past layer can be read again; events keep the grid id they were assigned.
import Foundation
import GRDB
import GridwallCore

/// A plan as the store keeps it.
public struct StoredPlan: Sendable {
    public enum Status: String, Sendable { case draft, applied }
    public var id: String
    public var name: String
    public var level: AreaLevel
    public var createdAt: String
    public var createdBy: String
    public var status: Status
    /// Findings that stop it from being applied (cut buildings do not).
    public var blockingFindings: Int
    /// The validation and impact reports as submitted (JSON text).
    public var report: String
    /// The plan's areas as a GeoJSON FeatureCollection (id, parent_id, name, level).
    public var areas: String
    /// The version its apply made, once applied.
    public var version: Int?
}

/// One version of the area layer.
public struct AreaVersion: Sendable, Hashable {
    public var version: Int
    /// When it took effect (ISO 8601 UTC).
    public var effectiveAt: String
    /// The plan that made it; nil for the layer as first loaded.
    public var planID: String?
    public var areaCount: Int
}

extension GeoStore {
    static func registerPlanTables(_ m: inout DatabaseMigrator) {
        m.registerMigration("plans") { db in
            try db.execute(sql: """
                CREATE TABLE plans (
                  id TEXT NOT NULL PRIMARY KEY,
                  name TEXT NOT NULL DEFAULT '',
                  level TEXT NOT NULL CHECK (level IN ('street','community','grid')),
                  created_at TEXT NOT NULL,
                  created_by TEXT NOT NULL DEFAULT '',
                  status TEXT NOT NULL CHECK (status IN ('draft','applied')),
                  blocking_findings INTEGER NOT NULL,
                  report TEXT NOT NULL,
                  areas TEXT NOT NULL,
                  based_on TEXT NOT NULL,
                  version INTEGER);
                CREATE TABLE area_versions (
                  version INTEGER PRIMARY KEY,
                  effective_at TEXT NOT NULL,
                  plan_id TEXT REFERENCES plans(id));
                CREATE TABLE area_history (
                  version INTEGER NOT NULL REFERENCES area_versions(version),
                  id TEXT NOT NULL, name TEXT, level TEXT NOT NULL, parent_id TEXT,
                  population INTEGER, households INTEGER, responsible_unit TEXT,
                  geom BLOB NOT NULL,
                  PRIMARY KEY (version, id));
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
                  ('plans', 'attributes', 'plans', 'Submitted grid plans with their reports'),
                  ('area_versions', 'attributes', 'area_versions', 'Versions of the area layer and when they took effect'),
                  ('area_history', 'attributes', 'area_history', 'Every version of the area layer (geometry as GeoPackage binary)');
                """)
        }
    }

    /// Keeps a submitted plan as a draft; returns its id (P1, P2, …).
    public func savePlan(name: String, level: AreaLevel, createdBy: String, blockingFindings: Int, report: String, areas: String) throws -> String {
        try write { db in
            let next = (try Int.fetchOne(db, sql: "SELECT max(CAST(substr(id, 2) AS INTEGER)) FROM plans") ?? 0) + 1
            let id = "P\(next)"
            try db.execute(sql: """
                INSERT INTO plans (id, name, level, created_at, created_by, status, blocking_findings, report, areas, based_on)
                VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)
                """, arguments: [id, name, level.rawValue, ISOTime.format(Int64(Date().timeIntervalSince1970)), createdBy,
                                 blockingFindings, report, areas, try Self.areasLastChange(db)])
            return id
        }
    }

    /// The plan called `id`, nil when there is none.
    public func plan(_ id: String) throws -> StoredPlan? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM plans WHERE id = ?", arguments: [id]).map(Self.plan) }
    }

    /// Every plan, newest first, without its areas and reports (they can be large).
    public func plans() throws -> [StoredPlan] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, name, level, created_at, created_by, status, blocking_findings, '' AS report, '' AS areas, version
                FROM plans ORDER BY CAST(substr(id, 2) AS INTEGER) DESC
                """).map(Self.plan)
        }
    }

    private static func plan(_ r: Row) -> StoredPlan {
        StoredPlan(id: r["id"], name: r["name"], level: AreaLevel(rawValue: r["level"]) ?? .grid, createdAt: r["created_at"],
                   createdBy: r["created_by"], status: StoredPlan.Status(rawValue: r["status"]) ?? .draft,
                   blockingFindings: r["blocking_findings"], report: r["report"], areas: r["areas"], version: r["version"])
    }

    /// Every version of the area layer, oldest first. Empty until the first plan is applied:
    /// then the layer as it was becomes version 1 and the plan's layer version 2.
    public func areaVersions() throws -> [AreaVersion] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.version, v.effective_at, v.plan_id, (SELECT count(*) FROM area_history h WHERE h.version = v.version) AS n
                FROM area_versions v ORDER BY v.version
                """).map { AreaVersion(version: $0["version"], effectiveAt: $0["effective_at"], planID: $0["plan_id"], areaCount: $0["n"]) }
        }
    }

    /// The version in effect at `time` (ISO 8601 UTC): the last that took effect at or before it;
    /// nil before the first, or when no plan was ever applied.
    public func areaVersion(asOf time: String) throws -> Int? {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT max(version) FROM area_versions WHERE effective_at <= ?", arguments: [time])
        }
    }

    /// The areas of one version, in the order they were recorded; nil when there is no such version.
    public func areas(version: Int) throws -> [AreaRecord]? {
        try read { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM area_versions WHERE version = ?", arguments: [version]) != nil else { return nil }
            return try Row.fetchAll(db, sql: "SELECT * FROM area_history WHERE version = ? ORDER BY rowid", arguments: [version]).map { r in
                let blob: Data = r["geom"]
                return AreaRecord(id: r["id"], name: r["name"] ?? "", level: AreaLevel(rawValue: r["level"]) ?? .grid, parentID: r["parent_id"],
                                  population: r["population"] ?? 0, households: r["households"] ?? 0,
                                  responsibleUnit: r["responsible_unit"] ?? "", geometry: try GeoPackageBinary.decode([UInt8](blob)).geometry)
            }
        }
    }

    /// Applies plan `id` in one transaction: removes the areas `removing` (ids), adds `adding`,
    /// moves the responders' home grids (`homes`: responder id → new grid id), records the layer
    /// before (as version 1, the first time) and after as versions, and marks the plan applied.
    /// The plan must still be a draft and the area layer unchanged since it was saved: it was
    /// checked against the layer as it was then. Returns the new version.
    public func applyPlan(_ id: String, removing: [String], adding: [AreaRecord], homes: [String: String]) throws -> AreaVersion {
        do {
            return try write { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT status, based_on FROM plans WHERE id = ?", arguments: [id]) else {
                    throw GridwallError(.notFound, "no plan \"\(id)\"", at: "plan")
                }
                guard row["status"] == StoredPlan.Status.draft.rawValue else {
                    throw GridwallError(.conflict, "plan \(id) is already applied", at: "plan")
                }
                // The reports hold for the layer the plan was checked against, and no other.
                let basedOn: String = row["based_on"]
                guard try Self.areasLastChange(db) == basedOn else {
                    throw GridwallError(.conflict, "the area layer has changed since plan \(id) was checked; submit it again", at: "plan")
                }
                let now = ISOTime.format(Int64(Date().timeIntervalSince1970))
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM area_versions") == 0 {
                    // In force since the areas were loaded (to the second, as every other time here).
                    let loaded = try Self.areasLastChange(db)
                    try db.execute(sql: "INSERT INTO area_versions (version, effective_at, plan_id) VALUES (1, ?, NULL)",
                                   arguments: [loaded.count >= 19 ? String(loaded.prefix(19)) + "Z" : now])
                    try Self.recordHistory(db, version: 1)
                }
                let statement = try db.makeStatement(sql: "DELETE FROM areas WHERE id = ?")
                for area in removing {
                    try statement.execute(arguments: [area])
                    guard db.changesCount == 1 else {
                        throw GridwallError(.conflict, "area \(area) is no longer in the layer; check the plan again against the layer as it is now", at: "plan \(id)")
                    }
                }
                let insert = try db.makeStatement(sql: """
                    INSERT INTO areas (geom, id, name, level, parent_id, population, households, responsible_unit)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for a in adding {
                    do {
                        try insert.execute(arguments: [Data(GeoPackageBinary.encode(a.geometry)), a.id, a.name, a.level.rawValue, a.parentID,
                                                       a.population, a.households, a.responsibleUnit])
                    } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                        throw GridwallError(.conflict, "area \(a.id) cannot be added: \(e.message ?? "constraint failed")", at: "plan \(id)")
                    }
                }
                let move = try db.makeStatement(sql: "UPDATE responders SET grid_id = ? WHERE id = ?")
                for (responder, grid) in homes.sorted(by: { $0.key < $1.key }) { try move.execute(arguments: [grid, responder]) }
                let version = (try Int.fetchOne(db, sql: "SELECT max(version) FROM area_versions") ?? 1) + 1
                try db.execute(sql: "INSERT INTO area_versions (version, effective_at, plan_id) VALUES (?, ?, ?)", arguments: [version, now, id])
                try Self.recordHistory(db, version: version)
                try db.execute(sql: "UPDATE plans SET status = 'applied', version = ? WHERE id = ?", arguments: [version, id])
                try db.execute(sql: """
                    UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name IN ('areas', 'responders')
                    """)
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM area_history WHERE version = ?", arguments: [version]) ?? 0
                return AreaVersion(version: version, effectiveAt: now, planID: id, areaCount: count)
            }
        } catch let e as DatabaseError {
            throw GridwallError(.storage, e.message ?? e.description, at: "plan \(id)")
        }
    }

    /// When the areas table was last written (gpkg_contents).
    private static func areasLastChange(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT last_change FROM gpkg_contents WHERE table_name = 'areas'") ?? ""
    }

    /// Copies the whole `areas` table into the history as `version`.
    private static func recordHistory(_ db: Database, version: Int) throws {
        try db.execute(sql: """
            INSERT INTO area_history (version, id, name, level, parent_id, population, households, responsible_unit, geom)
            SELECT ?, id, name, level, parent_id, population, households, responsible_unit, geom FROM areas ORDER BY fid
            """, arguments: [version])
    }
}
