// Loads the bundled sample district (geodata/) into an empty store: areas first, so that the
// events can be assigned to their grids as they are imported.
import Foundation
import GridwallCore

/// Loads the sample district (geodata/) into an empty store.
public enum GeodataLoader {
    /// The files of geodata/ and the layers they fill, in load order.
    public static let files: [(layer: LayerSchema, file: String)] = [
        (.areas, "areas.geojson"), (.buildings, "buildings.geojson"), (.cameras, "cameras.geojson"),
        (.responders, "responders.geojson"), (.events, "events.csv"),
    ]

    /// Imports every layer; on any failure the layers already loaded are emptied again, so the
    /// store is left as it was (empty).
    public static func load(directory: String, into store: GeoStore,
                            progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> [ImportReport] {
        var reports: [ImportReport] = []
        var engine: AssignmentEngine?
        do {
            for (layer, file) in files {
                let path = (directory as NSString).appendingPathComponent(file)
                let features = try FeatureReader.read(path: path, format: try FileFormat.guess(path))
                if layer.name == "events" { engine = try store.assignmentEngine() }
                var options = ImportOptions(layer: layer)
                options.replace = true
                let report = try Importer.run(features, into: store, options: options, engine: engine)
                progress("loaded \(report.imported) \(layer.name) from \(path)")
                reports.append(report)
            }
        } catch {
            try? store.clear(layers: files.map(\.layer))
            throw error
        }
        return reports
    }
}

extension GeoStore {
    /// Empties the given layers in one transaction.
    public func clear(layers: [LayerSchema]) throws {
        try write { db in
            for layer in layers {
                try db.execute(sql: "DELETE FROM \(layer.name)")
                try db.execute(sql: """
                    UPDATE gpkg_contents SET min_x = NULL, min_y = NULL, max_x = NULL, max_y = NULL,
                      last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?
                    """, arguments: [layer.name])
            }
        }
    }
}
