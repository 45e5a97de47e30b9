// Events as the analysis store takes them: time, position, category, status, source. The grid
// and the projected position are filled by whoever builds the analysis (it owns the engine
// and the CRS).
import Foundation
import GRDB
import GridwallCore

extension GeoStore {
    /// Every event, in fid order, with `grid` = -1 and `projected` = `position` (to be filled).
    /// Rows with an unreadable time are skipped and counted in `skipped`.
    public func analysisEvents() throws -> (events: [EventRecord], skipped: Int) {
        var out: [EventRecord] = []
        var skipped = 0
        try rows(.events) { g, r in
            guard case .point(let p) = g, let time = (r["time"] as String?).flatMap(ISOTime.parse) else { skipped += 1; return }
            out.append(EventRecord(time: Int64(time.rounded(.down)), position: p, projected: p, category: r["category"] ?? "",
                                   status: r["status"] ?? "reported", source: r["source"] ?? "unknown", grid: -1))
        }
        return (out, skipped)
    }
}
