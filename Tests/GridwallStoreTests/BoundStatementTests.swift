// The live ingest's directly bound inserts store what GRDB's own binding stores: random rows of
// text (with non-ASCII and empty strings), integers at their extremes, blobs and NULLs, read
// back through GRDB; a failing row or binding throws SQLite's error and leaves the statement usable.
import Foundation
import GRDB
import Testing
@testable import GridwallStore
import GridwallTestSupport

@Suite struct BoundStatementTests {
    @Test func rowsBoundDirectlyReadBackAsWritten() throws {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER, b BLOB, note TEXT)")
        }
        var rng = TestData.random("bound statement")
        let words = ["", "a", "街道 12345", "naïve café", "tab\there", String(repeating: "x", count: 3000)]
        var expected: [(String, Int64?, [UInt8], String?)] = []
        for _ in 0..<500 {
            let n: Int64? = rng.unit() < 0.2 ? nil : [Int64.min, Int64.max, 0, -1, Int64(rng.int(-1_000_000, 1_000_000))][rng.int(0, 4)]
            let blob = (0..<rng.int(0, 80)).map { _ in UInt8(rng.int(0, 255)) }
            expected.append((words[rng.int(0, words.count - 1)], n, blob, rng.unit() < 0.5 ? nil : words[rng.int(0, words.count - 1)]))
        }
        try db.write { db in
            let insert = BoundStatement(try db.makeStatement(sql: "INSERT INTO t (name, n, b, note) VALUES (?, ?, ?, ?)"), in: db)
            for (name, n, blob, note) in expected {
                try insert.bind(1, name); try insert.bind(2, n); try insert.bind(3, blob: blob); try insert.bind(4, note)
                try insert.run()
            }
            // A row that breaks a constraint: SQLite's error, and the next row still goes in.
            try insert.bind(1, nil as String?); try insert.bind(2, 1 as Int64?); try insert.bind(3, blob: []); try insert.bind(4, nil as String?)
            #expect(throws: DatabaseError.self) { try insert.run() }
            // A binding SQLite refuses (here a parameter the statement does not have) throws
            // instead of leaving a NULL behind.
            #expect(throws: DatabaseError.self) { try insert.bind(5, "no such parameter") }
            #expect(throws: DatabaseError.self) { try insert.bind(0, 7 as Int64?) }
            #expect(throws: DatabaseError.self) { try insert.bind(9, blob: [1, 2]) }
            try insert.bind(1, "after"); try insert.bind(2, nil as Int64?); try insert.bind(3, blob: [1]); try insert.bind(4, nil as String?)
            try insert.run()
        }
        let rows = try db.read { try Row.fetchAll($0, sql: "SELECT name, n, b, note FROM t ORDER BY k") }
        #expect(rows.count == expected.count + 1)
        for (row, (name, n, blob, note)) in zip(rows, expected) {
            #expect(row["name"] as String == name)
            #expect(row["n"] as Int64? == n)
            #expect((row["b"] as Data?).map { [UInt8]($0) } == blob)   // an empty blob stays a blob, not NULL
            #expect(row["note"] as String? == note)
        }
        #expect(rows.last?["name"] as String? == "after")
    }
}
