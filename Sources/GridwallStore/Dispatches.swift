// Dispatch and resolution of events, each one transaction: the event's status, the responders'
// statuses and the dispatch record change together or not at all.
import Foundation
import GRDB
import GridwallCore

extension GeoStore {
    /// Sends available responders to an open event: the event becomes dispatched, they become busy.
    public func dispatch(event id: String, responders: [String], at time: Double) throws {
        guard !responders.isEmpty else { throw GridwallError(.invalidInput, "name at least one responder", at: "responders") }
        let stamp = ISOTime.format(Int64(time))
        try write { db in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM events WHERE id = ?", arguments: [id]) else {
                throw GridwallError(.notFound, "no event \"\(id)\"", at: "id")
            }
            guard status != "resolved" else { throw GridwallError(.conflict, "event \"\(id)\" is already resolved", at: "id") }
            for r in responders {
                guard let rs = try String.fetchOne(db, sql: "SELECT coalesce(status, 'available') FROM responders WHERE id = ?", arguments: [r]) else {
                    throw GridwallError(.notFound, "no responder \"\(r)\"", at: "responders")
                }
                guard rs == "available" else { throw GridwallError(.conflict, "responder \"\(r)\" is \(rs)", at: "responders") }
                try db.execute(sql: "UPDATE responders SET status = 'busy' WHERE id = ?", arguments: [r])
                try db.execute(sql: "INSERT OR REPLACE INTO dispatches VALUES (?, ?, ?, NULL)", arguments: [id, r, stamp])
            }
            try db.execute(sql: "UPDATE events SET status = 'dispatched' WHERE id = ?", arguments: [id])
        }
    }

    /// Resolves an event and frees the responders still assigned to it; returns their ids.
    public func resolve(event id: String, at time: Double) throws -> [String] {
        let stamp = ISOTime.format(Int64(time))
        return try write { db in
            guard try String.fetchOne(db, sql: "SELECT status FROM events WHERE id = ?", arguments: [id]) != nil else {
                throw GridwallError(.notFound, "no event \"\(id)\"", at: "id")
            }
            let freed = try String.fetchAll(db, sql: "SELECT responder_id FROM dispatches WHERE event_id = ? AND released_at IS NULL ORDER BY responder_id",
                                            arguments: [id])
            for r in freed { try db.execute(sql: "UPDATE responders SET status = 'available' WHERE id = ? AND status = 'busy'", arguments: [r]) }
            try db.execute(sql: "UPDATE dispatches SET released_at = ? WHERE event_id = ? AND released_at IS NULL", arguments: [stamp, id])
            try db.execute(sql: "UPDATE events SET status = 'resolved' WHERE id = ?", arguments: [id])
            return freed
        }
    }
}

extension GeoStore {
    /// Ids of events with a given status, oldest first.
    public func eventIDs(status: String, limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM events WHERE status = ? ORDER BY time, id LIMIT ?", arguments: [status, limit])
        }
    }
}
