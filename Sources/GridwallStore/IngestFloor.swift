// SQLite's own floor for the live ingest, for `gridwall bench ingest`: the fastest way SQLite
// takes rows shaped like live events into the events table (its two indexes included), with no
// HTTP, parsing, assignment or answers around it. The ingest's figures read against it.
import Foundation
import GRDB
import GridwallCore

extension GeoStore {
    /// Writes `rows` events (ids `floor-1`…, one point, the time `time`) into the events table
    /// with one INSERT … SELECT over a recursive CTE in one durable transaction; returns the seconds.
    public func insertFloor(rows: Int, time: Int64) throws -> Double {
        let point = Data(GeoPackageBinary.encodePoint(Coordinate(120.2, 30.3)))
        let started = Date()
        try write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?)
                INSERT INTO events (geom, id, time, category, status, source, grid_id)
                SELECT ?, 'floor-' || k, ?, 'noise', 'reported', 'hotline_12345', '330199003017003' FROM n
                """, arguments: [rows, point, ISOTime.format(time)])
        }
        return Date().timeIntervalSince(started)
    }
}
