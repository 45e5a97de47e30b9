// Big stores for benchmarks: a store's events copied many times inside SQLite. `gridwall bench
// city` starts `serve` on a store of a hundred million events; importing them would take the
// importer's half hour (it checks and assigns each one), while copies of ten million already
// assigned events take minutes.
//
// Why everything is written again in time order: a store that grew by live ingest over a year
// has its rows, and the pages of its time index, in the order of time; serve's start reads by
// that index. Copies appended after the originals would split the index's pages all over the
// file, and on a disk with slow random reads a scan by time would then take the better part of
// an hour — a store no live service makes.
import Foundation
import GRDB
import GridwallCore

extension GeoStore {
    /// Replaces this store's events with every event of the store at `source` and `copies`
    /// copies of each: copy k is the event k seconds later, with id `<id>~k` and everything else
    /// (position, grid, building, category, status) its own. Written one UTC day of the source at
    /// a time, in time order; `progress` hears the days done and the days in all. Returns how
    /// many events the store holds after.
    public func replaceEvents(withCopiesOf source: String, copies: Int, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> Int {
        let base = try GeoStore(path: source)
        guard let (first, last) = try base.eventTimeRange(), let from = ISOTime.parse(first), let to = ISOTime.parse(last) else { return 0 }
        let firstDay = EventColumns.day(of: Int64(from.rounded(.down))), lastDay = EventColumns.day(of: Int64(to.rounded(.down)))
        // The old rows out, and their pages with them (VACUUM), so the new ones are laid down in order.
        try write { db in try db.execute(sql: "DELETE FROM events") }
        try writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
        }
        defer { _ = try? writeWithoutTransaction { db in try db.execute(sql: "DETACH DATABASE source") } }
        var stored = 0
        for day in firstDay...lastDay {
            stored += try write { db in
                // The id index takes its entries in no useful order: a large page cache keeps it in memory.
                try db.execute(sql: "PRAGMA cache_size = -2000000")
                try db.execute(sql: """
                    WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
                    INSERT INTO main.events (geom, id, time, category, status, severity, source, grid_id, building_id, properties)
                    SELECT geom, CASE n WHEN 0 THEN id ELSE id || '~' || n END,
                           CASE n WHEN 0 THEN time ELSE strftime('%Y-%m-%dT%H:%M:%SZ', time, '+' || n || ' seconds') END,
                           category, status, severity, source, grid_id, building_id, properties
                    FROM source.events, k
                    WHERE time >= ? AND time < ?
                    ORDER BY time, n
                    """, arguments: [copies, ISOTime.format(day * 86_400), ISOTime.format((day + 1) * 86_400)])
                return db.changesCount
            }
            progress(Int(day - firstDay) + 1, Int(lastDay - firstDay) + 1)
        }
        try write { db in
            try db.execute(sql: "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'events'")
        }
        return stored
    }

    /// Runs statements that cannot be inside a transaction (VACUUM, ATTACH) on the writer.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.writeWithoutTransaction(body) } catch let e as DatabaseError {
            throw GridwallError(.storage, e.message ?? e.description, at: path)
        }
    }
}
