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

    func bind(_ index: Int32, _ text: String?) {
        guard var text else { sqlite3_bind_null(handle, index); return }
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
        }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, blob: [UInt8]) {
        // An empty array may have no address, and SQLite binds a null pointer as NULL.
        guard !blob.isEmpty else { sqlite3_bind_zeroblob(handle, index, 0); return }
        blob.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
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
