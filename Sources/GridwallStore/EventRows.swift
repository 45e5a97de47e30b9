// Events as the analysis store takes them: time, position, category, status, source. The grid
// and the projected position are filled by whoever builds the analysis (it owns the engine
// and the CRS).
import Foundation
import GRDB
import GridwallCore

extension GeoStore {
    /// Every event, in fid order, with `grid` = -1 and `projected` = `position` (to be filled),
    /// and the grid id the store assigned it (`gridID`).
    /// Rows with an unreadable time are skipped and counted in `skipped`.
    public func analysisEvents() throws -> (events: [EventRecord], skipped: Int) {
        let (events, skipped, _) = try analysisEvents(after: 0)
        return (events, skipped)
    }

    /// The events stored after row `fid` (rows are appended with growing fids), and the last
    /// fid read (`fid` itself when there are none).
    public func analysisEvents(after fid: Int64) throws -> (events: [EventRecord], skipped: Int, lastFid: Int64) {
        var out: [EventRecord] = []
        var skipped = 0
        var last = fid
        try rows(.events, where: "fid > \(fid)") { g, r in
            last = max(last, r["fid"] ?? last)
            guard case .point(let p) = g, let time = (r["time"] as String?).flatMap(ISOTime.parse) else { skipped += 1; return }
            out.append(EventRecord(time: Int64(time.rounded(.down)), position: p, projected: p, category: r["category"] ?? "",
                                   status: r["status"] ?? "reported", source: r["source"] ?? "unknown", grid: -1, id: r["id"] ?? "",
                                   gridID: r["grid_id"]))
        }
        return (out, skipped, last)
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
            guard let row = try Row.fetchOne(db, sql: "SELECT min(time) AS a, max(time) AS b FROM events"),
                  let a: String = row["a"], let b: String = row["b"] else { return nil }
            return (a, b)
        }
    }
}
