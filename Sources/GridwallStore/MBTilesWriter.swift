// MBTiles 1.3 (an SQLite file of tiles and metadata) for walls that run offline: vector tiles
// gzipped as the specification's convention has them, rows in TMS order (y counted from the
// south), and the metadata MapLibre and GDAL read (format pbf, bounds, centre, zooms and the
// vector_layers JSON).
import Foundation
import GRDB
import GridwallCore

/// Writes one MBTiles file; tiles are added in batches, each batch one transaction.
public final class MBTilesWriter {
    let queue: DatabaseQueue
    public let path: String

    /// Creates `path` (replacing a file there) with the MBTiles tables.
    public init(path: String) throws {
        self.path = path
        try? FileManager.default.removeItem(atPath: path)
        do {
            queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE metadata (name TEXT, value TEXT);
                    CREATE UNIQUE INDEX metadata_name ON metadata (name);
                    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
                    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                    """)
            }
        } catch let error as DatabaseError {
            throw GridwallError(.io, "cannot create the MBTiles file: \(error.message ?? error.description)", at: path)
        }
    }

    /// Sets the metadata rows.
    public func metadata(_ values: [String: String]) throws {
        try queue.write { db in
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)", arguments: [name, value])
            }
        }
    }

    /// Adds tiles (XYZ addresses; stored in TMS rows) with their bytes as given (gzipped MVT).
    public func add(_ tiles: [(TileID, [UInt8])]) throws {
        try queue.write { db in
            let statement = try db.makeStatement(sql: "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)")
            for (t, bytes) in tiles {
                try statement.execute(arguments: [t.z, t.x, (1 << t.z) - 1 - t.y, Data(bytes)])
            }
        }
    }
}
