// Live ingest on the store: a batch of new events is written many rows a statement, one with an
// id stored before (or repeated) row by row; either way each event's outcome names its own row,
// a retry is a duplicate at its place, and a conflict anywhere refuses the whole batch alone.
import Foundation
import GRDB
import Testing
@testable import GridwallStore
import GridwallCore
import GridwallTestSupport

@Suite struct EventIngestStoreTests {
    /// `n` distinct new events named `prefix-0`…, each at its own place and second.
    func events(_ prefix: String, _ n: Int, category: String = "noise") -> [IngestEvent] {
        (0..<n).map { i in
            let position = Coordinate(120.16 + Double(i) * 1e-4, 30.25 + Double(i % 17) * 1e-4)
            let severity: Int64? = i % 3 == 0 ? Int64(i) : nil
            let source: String? = i % 2 == 0 ? "hotline_12345" : nil
            let extra: String? = i % 5 == 0 ? #"{"note":"n\#(i)"}"# : nil
            return IngestEvent(id: "\(prefix)-\(i)", position: position, time: 1_900_000_000 + Int64(i), category: category,
                               status: "reported", severity: severity, source: source, extra: extra, gridID: "G-\(i % 4)",
                               place: "events[\(i)]")
        }
    }

    /// Every stored event as the store reads it back, by id, with its fid.
    func stored(_ store: GeoStore) throws -> [String: (fid: Int64, event: IngestEvent, gridID: String?)] {
        try store.read { db in
            var out: [String: (Int64, IngestEvent, String?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT fid, id, geom, time, category, severity, source, properties, grid_id FROM events") {
                let id: String = row["id"]
                out[id] = (row["fid"], try #require(GeoStore.storedReport(row, id: id)), row["grid_id"])
            }
            return out
        }
    }

    /// Each outcome of `batch` is `.stored` with the fid of the row holding that event, or
    /// `.duplicate` exactly at `duplicates`; every event of the batch is in the store.
    func expectStored(_ batch: [IngestEvent], _ outcome: Result<[IngestedEvent], GridwallError>, duplicates: Set<Int> = [],
                      in rows: [String: (fid: Int64, event: IngestEvent, gridID: String?)]) throws {
        let results = try outcome.get()
        #expect(results.count == batch.count)
        for (i, (e, r)) in zip(batch, results).enumerated() {
            let row = try #require(rows[e.id], "\(e.id) not stored")
            #expect(row.event.sameReport(as: e) && row.gridID == e.gridID, "\(e.id) stored as \(row.event)")
            if duplicates.contains(i) {
                #expect(r == .duplicate, "\(e.id): \(r)")
            } else {
                #expect(r == .stored(fid: row.fid), "\(e.id): \(r), its row is \(row.fid)")
            }
        }
    }

    @Test func newBatchesAnswerEachEventWithItsRow() throws {
        let (store, _) = try temporaryStore()
        // Two full statements and a short one, a batch shorter than one, and a lone event.
        let long = events("long", 2 * GeoStore.rowsPerInsert + 7), short = events("short", 3), lone = events("lone", 1)
        let commit = try store.ingest([long, short, lone])
        let rows = try stored(store)
        #expect(rows.count == long.count + short.count + lone.count)
        for (batch, outcome) in zip([long, short, lone], commit.batches) { try expectStored(batch, outcome, in: rows) }
        #expect(commit.previousMaxFid == 0)
    }

    @Test func retriedEventsInsideABatchAreDuplicatesAtTheirPlaces() throws {
        let (store, _) = try temporaryStore()
        let batch = events("mixed", GeoStore.rowsPerInsert * 2 + 12)
        let before: Set<Int> = [5, GeoStore.rowsPerInsert + 6, batch.count - 1]
        _ = try store.ingest([before.sorted().map { batch[$0] }])
        // The same event twice in one batch: the second is the retry.
        let repeated = events("twice", 4) + [events("twice", 4)[2]]
        let commit = try store.ingest([batch, repeated])
        let rows = try stored(store)
        #expect(rows.count == batch.count + 4)
        try expectStored(batch, commit.batches[0], duplicates: before, in: rows)
        try expectStored(repeated, commit.batches[1], duplicates: [4], in: rows)
    }

    @Test func aConflictAnywhereRefusesItsBatchAlone() throws {
        let (store, _) = try temporaryStore()
        let first = events("first", 10)
        _ = try store.ingest([first])
        // Event 90 reuses a stored id with other content, past the first full statement.
        var clashing = events("clash", 100)
        clashing[90] = events("first", 10, category: "dispute")[3]
        clashing[90].place = "events[90]"
        let other = events("other", GeoStore.rowsPerInsert + 1)
        let commit = try store.ingest([clashing, other])
        guard case .failure(let error) = commit.batches[0] else {
            Issue.record("the clashing batch was stored: \(commit.batches[0])"); return
        }
        #expect(error.code == .conflict && error.location == "events[90].id" && error.message.contains("first-3"), "\(error)")
        let rows = try stored(store)
        #expect(rows.count == first.count + other.count, "nothing of the clashing batch stays")
        #expect(rows["first-3"]?.event.category == "noise")
        try expectStored(other, commit.batches[1], in: rows)
    }

    /// /layers after every commit of a live store: the count ingest keeps, not a count of the table.
    @Test func ingestKeepsTheEventCountWithoutCountingAgain() throws {
        let (store, _) = try temporaryStore()
        func eventCount() throws -> Int { try #require(store.layerSummaries().first { $0.name == "events" }).count }
        _ = try store.ingest([events("a", 10)])
        #expect(try eventCount() == 10)
        let counted = store.fullCounts.withLock { $0 }
        _ = try store.ingest([events("b", GeoStore.rowsPerInsert + 6), events("a", 3)])   // 70 new, 3 retries
        _ = try store.ingest([events("c", 5)])
        #expect(try eventCount() == 85)
        #expect(store.fullCounts.withLock { $0 } == counted, "a layer was counted again")
        // Another writer changes the layer: counted again, and right.
        try store.write { db in
            try db.execute(sql: "DELETE FROM events WHERE id = 'c-1'")
            try db.execute(sql: "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now', '+1 second') WHERE table_name = 'events'")
        }
        #expect(try eventCount() == 84)
        #expect(store.fullCounts.withLock { $0 } == counted + 1)
    }
}
