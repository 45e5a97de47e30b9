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
            try db.execute(sql: "INSERT OR REPLACE INTO resolutions VALUES (?, ?)", arguments: [id, stamp])
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

/// One step of an event's life: reported, dispatched (with whom), resolved (freeing whom).
public struct EventStatusStep: Sendable, Equatable {
    public var status: String
    /// ISO 8601.
    public var time: String
    /// The responders sent (dispatched) or freed (resolved).
    public var responders: [String]
}

extension GeoStore {
    /// An event's steps in time order, from the event row and its dispatch records; nil when
    /// there is no such event.
    public func statusHistory(event id: String) throws -> [EventStatusStep]? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT time, status FROM events WHERE id = ?", arguments: [id]) else { return nil }
            var steps = [EventStatusStep(status: "reported", time: row["time"], responders: [])]
            let dispatches = try Row.fetchAll(db, sql: """
                SELECT responder_id, dispatched_at, released_at FROM dispatches WHERE event_id = ? ORDER BY dispatched_at, responder_id
                """, arguments: [id])
            for d in dispatches {
                let time: String = d["dispatched_at"]
                if let last = steps.last, last.status == "dispatched", last.time == time {
                    steps[steps.count - 1].responders.append(d["responder_id"])
                } else {
                    steps.append(EventStatusStep(status: "dispatched", time: time, responders: [d["responder_id"]]))
                }
            }
            if (row["status"] as String?) == "resolved" {
                let released = dispatches.compactMap { d -> (String, String)? in
                    guard let t: String = d["released_at"] else { return nil }
                    return (t, d["responder_id"])
                }
                let resolvedAt = try String.fetchOne(db, sql: "SELECT resolved_at FROM resolutions WHERE event_id = ?", arguments: [id])
                // Events resolved before resolutions were recorded: the last release, else the last step.
                steps.append(EventStatusStep(status: "resolved", time: resolvedAt ?? released.map(\.0).max() ?? steps[steps.count - 1].time,
                                             responders: released.map(\.1).sorted()))
            }
            return steps
        }
    }
}
