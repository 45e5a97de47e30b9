// A prepared statement run row by row with SQLite's own binding calls. Why not GRDB's
// `execute(arguments:)` on the live ingest path: it builds an array of boxed values per row and
// unboxes them again to bind, and the one writer thread that commits every request's events
// spent about a fifth of its time there (perf, `gridwall bench ingest`). Everything else about
// the statement (preparing, transactions, errors, change counts) stays GRDB's.
import GRDB
import GRDBSQLite

/// One GRDB statement bound and stepped directly: `bind` each parameter, then `run`.
struct BoundStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(_ statement: Statement, in db: Database) {
        self.statement = statement
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    /// SQLite copies what it is given (the bytes only live for the call).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    // A binding SQLite refuses (a value over its size limit, no memory) would leave the
    // parameter NULL and store the row without it: each one throws instead.
    func bind(_ index: Int32, _ text: String?) throws {
        guard var text else { return try check(sqlite3_bind_null(handle, index)) }
        try check(text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
        })
    }

    func bind(_ index: Int32, _ value: Int64?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, blob: [UInt8]) throws {
        // An empty array may have no address, and SQLite binds a null pointer as NULL.
        guard !blob.isEmpty else { return try check(sqlite3_bind_zeroblob(handle, index, 0)) }
        try check(blob.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) })
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
                                sql: statement.sql)
        }
    }

    /// Steps the statement to its end and resets it for the next row (bindings are replaced by
    /// the next row's); a failure is GRDB's `DatabaseError` with SQLite's message.
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
                                sql: statement.sql)
        }
    }
}
