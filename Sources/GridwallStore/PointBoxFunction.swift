// gridwall_may_meet(geom, minx, miny, maxx, maxy): the box test of a feature query, run by
// SQLite on each row's geometry blob, so that rows outside the box never become Swift rows and
// decoded geometries (a box with few events in it decoded all 4 M events: 1.6–3.4 s a page),
// and so that a count of the matches is one SQL statement. It reads the blob's envelope (ours
// always has one: [minx, maxx, miny, maxy]) or, without one, a 2-D point, and tests it as
// `BoundingBox.intersects` does; a blob it cannot read answers 1 (the query decodes it and
// tests it exactly). Why the C API rather than GRDB's DatabaseFunction: that hands the blob
// over as a copied Data per row; here it is read where SQLite keeps it.
import GRDB
import GRDBSQLite
import GridwallCore

enum PointBoxFunction {
    static let name = "gridwall_may_meet"

    /// Adds the function to a connection (every connection of the pool, as it opens).
    static func register(_ db: Database) throws {
        let code = sqlite3_create_function_v2(db.sqliteConnection, name, 5, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { context, count, values in
            guard let context else { return }
            var meets: Int32 = 1
            if count == 5, let values, let blob = sqlite3_value_blob(values[0]),
               let bounds = GeoPackageBinary.bounds(in: UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_value_bytes(values[0])))) {
                let box = BoundingBox(minX: sqlite3_value_double(values[1]), minY: sqlite3_value_double(values[2]),
                                      maxX: sqlite3_value_double(values[3]), maxY: sqlite3_value_double(values[4]))
                meets = bounds.map(box.intersects) ?? false ? 1 : 0
            }
            sqlite3_result_int(context, meets)
        }, nil, nil, nil)
        guard code == SQLITE_OK else { throw GridwallError(.storage, "SQLite refused the function \(name) (code \(code))") }
    }
}
