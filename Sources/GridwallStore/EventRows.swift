// Events as the analysis store takes them: time, position, category, status, source. The grid
// and the projected position are filled by whoever builds the analysis (it owns the engine
// and the CRS).
import Foundation
import GRDB
import GridwallCore

extension GeoStore {
    /// Every event, in fid order, with `grid` = -1 and `projected` = `position` (to be filled),
    /// and the grid id the store assigned it (`gridID`).
    /// Rows with an unreadable time or position are skipped and counted in `skipped`.
    public func analysisEvents() throws -> (events: [EventRecord], skipped: Int) {
        let (events, skipped, _) = try analysisEvents(after: 0)
        return (events, skipped)
    }

    /// The events stored after row `fid` (rows are appended with growing fids), and the last
    /// fid read (`fid` itself when there are none).
    public func analysisEvents(after fid: Int64) throws -> (events: [EventRecord], skipped: Int, lastFid: Int64) {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.recordColumns) FROM events WHERE fid > ? ORDER BY fid", arguments: [fid])
            var out: [EventRecord] = []
            var skipped = 0, last = fid
            while let r = try cursor.next() {
                last = max(last, r[0])
                if let e = Self.record(r) { out.append(e) } else { skipped += 1 }
            }
            return (out, skipped, last)
        }
    }

    /// Every event in time order (equal times in fid order), handed to `body` `batchSize` at a
    /// time, all read in one snapshot; returns the events table's version as of that snapshot
    /// and how many rows had an unreadable time or position (skipped). `body` hears with each
    /// batch how many rows there are in all (at most), so a caller can reserve room once.
    ///
    /// Why batches in time order: serve's start builds the analysis from every stored event; a
    /// hundred million of them as records at once would take about 13 GB more than the columns
    /// they end up in, and in fid order a store with late imports would make every batch insert
    /// into the middle of the time-sorted columns. The `events_time` index gives the order
    /// without a sort (its entries are ordered by time, then rowid).
    public func analysisEventsInTimeOrder(batchSize: Int = 500_000, _ body: (_ batch: [EventRecord], _ total: Int) throws -> Void) throws
        -> (version: (lastChange: String, count: Int, maxFid: Int64), skipped: Int) {
        try read { db in
            let change = try String.fetchOne(db, sql: "SELECT last_change FROM gpkg_contents WHERE table_name = 'events'") ?? ""
            // How many rows at most, from the fid range (events are only ever deleted all
            // together, so it is the count): count(*) would read the whole time index once more.
            let total = try Int.fetchOne(db, sql: "SELECT coalesce(max(fid) - min(fid) + 1, 0) FROM events") ?? 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.recordColumns) FROM events ORDER BY time, fid")
            var batch: [EventRecord] = []
            batch.reserveCapacity(min(batchSize, total))
            var skipped = 0, maxFid: Int64 = 0, rows = 0
            while let r = try cursor.next() {
                rows += 1
                maxFid = max(maxFid, r[0])
                guard let record = Self.record(r) else { skipped += 1; continue }
                batch.append(record)
                if batch.count == batchSize { try body(batch, total); batch.removeAll(keepingCapacity: true) }
            }
            if !batch.isEmpty { try body(batch, total) }
            return ((change, rows, maxFid), skipped)
        }
    }

    /// The events of the last `days` days up to the newest stored one (time > newest − days),
    /// in time order: what a plan's impact counts. Read through the time index, so a store of a
    /// hundred million events yields a month of them, not every row.
    public func analysisEvents(lastDays days: Int) throws -> [EventRecord] {
        try read { db in
            guard let newestText = try String.fetchOne(db, sql: "SELECT max(time) FROM events"),
                  let newest = ISOTime.parse(newestText) else { return [] }
            let since = Int64(newest.rounded(.down)) - Int64(days) * 86_400
            // A day's margin on the text bound: a time written with an offset sorts by its text.
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.recordColumns) FROM events WHERE time >= ? ORDER BY time, fid",
                                             arguments: [ISOTime.format(since - 86_400)])
            var out: [EventRecord] = []
            while let r = try cursor.next() { if let e = Self.record(r), e.time > since { out.append(e) } }
            return out
        }
    }

    /// The columns `record` reads, in its order.
    private static let recordColumns = "fid, geom, id, time, category, status, source, grid_id"

    /// One row of `recordColumns` as the analysis takes it (nil: no readable time or position).
    /// Column positions, not names: a name lookup per column and row is a measurable share of
    /// reading a hundred million rows.
    private static func record(_ r: Row) -> EventRecord? {
        guard let point = (r[1] as Data?).flatMap(eventPoint), let time = (r[3] as String?).flatMap(ISOTime.parse) else { return nil }
        return EventRecord(time: Int64(time.rounded(.down)), position: point, projected: point, category: r[4] ?? "",
                           status: r[5] ?? "reported", source: r[6] ?? "unknown", grid: -1, id: r[2] ?? "", gridID: r[7])
    }

    /// An event's position: the common 2-D point read directly, anything else decoded in full.
    private static func eventPoint(_ blob: Data) -> Coordinate? {
        if let p = GeoPackageBinary.point(in: blob) { return p }
        guard case .point(let p)? = try? GeoPackageBinary.decode([UInt8](blob)).geometry else { return nil }
        return p
    }

    /// The time (Unix seconds) and status of one event, nil when there is no such event.
    public func event(_ id: String) throws -> (time: Int64, status: String)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT time, status FROM events WHERE id = ?", arguments: [id]),
                  let time = (row["time"] as String?).flatMap(ISOTime.parse) else { return nil }
            return (Int64(time.rounded(.down)), row["status"] ?? "reported")
        }
    }

    /// When the events table was last written (cheap: one row of gpkg_contents).
    public func eventsLastChange() throws -> String {
        try read { db in try String.fetchOne(db, sql: "SELECT last_change FROM gpkg_contents WHERE table_name = 'events'") ?? "" }
    }

    /// Changes whenever the events table is written (by this process or another), and how many
    /// rows it holds: enough to tell an append from a replacement.
    public func eventsVersion() throws -> (lastChange: String, count: Int, maxFid: Int64) {
        try read { db in
            let change = try String.fetchOne(db, sql: "SELECT last_change FROM gpkg_contents WHERE table_name = 'events'") ?? ""
            let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(max(fid), 0) AS m FROM events")
            return (change, row?["n"] ?? 0, row?["m"] ?? 0)
        }
    }
}

extension GeoStore {
    /// The first and last event times (ISO 8601 as stored), nil without events.
    public func eventTimeRange() throws -> (String, String)? {
        try read { db in
            // Two subqueries: SQLite answers a lone min() or max() from the time index, but both
            // in one query scan every event (0.4 s on 4 M events, on every /collections).
            guard let row = try Row.fetchOne(db, sql: "SELECT (SELECT min(time) FROM events) AS a, (SELECT max(time) FROM events) AS b"),
                  let a: String = row["a"], let b: String = row["b"] else { return nil }
            return (a, b)
        }
    }
}
