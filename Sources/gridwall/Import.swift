import ArgumentParser
import Foundation
import GridwallCore
import GridwallStore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a GeoJSON, CSV or GeoPackage file into a layer, all or nothing.",
        discussion: """
            Layers: \(LayerSchema.all.map(\.name).joined(separator: ", ")). Every geometry is checked with GEOS;
            an invalid one stops the import with its feature number, the reason and the location,
            unless --repair is given. Events are assigned to their grid and building as they come in.
            """)

    @Argument(help: "The layer to fill.") var layer: String
    @Argument(help: "The file to read.") var file: String
    @Option(help: "The store (a GeoPackage).") var store = "gridwall.sqlite"
    @Option(help: "Input format: geojson, csv or gpkg (default: from the extension).") var format: String?
    @Option(help: "Coordinate system of the input: an EPSG code (4326, 32651, …), gcj02 or bd09.") var crs = "4326"
    @Flag(help: "Repair invalid polygons with GEOS MakeValid and report each repair.") var repair = false
    @Flag(help: "Replace the layer's contents instead of adding to them.") var replace = false
    @Option(help: "The property holding each feature's id (default id).") var idField: String?
    @Option(help: "Areas: the property holding each area's parent id (default parent_id).") var parentField: String?
    @Option(help: "Areas: the level of features that have none: district, street, community or grid.") var level: String?

    func run() async throws {
        try await Terminal.reportingErrors {
            let schema = try LayerSchema.named(layer)
            let fileFormat = try FileFormat.chosen(format, for: file)
            var options = ImportOptions(layer: schema)
            options.crs = try CoordinateSystem(parsing: crs)
            options.repair = repair
            options.replace = replace
            options.idField = idField
            if schema.name != "areas", parentField != nil || level != nil {
                throw GridwallError(.invalidParameter, "--parent-field and --level apply to the areas layer only", at: schema.name)
            }
            if let level, AreaLevel(rawValue: level) == nil {
                throw GridwallError(.invalidParameter, "unknown level \"\(level)\"; use district, street, community or grid", at: "--level")
            }
            options.parentField = parentField
            options.level = level
            let started = Date()
            let features = try FeatureReader.read(path: file, format: fileFormat)
            let geoStore = try GeoStore(path: store)
            let engine = schema.name == "events" ? try geoStore.assignmentEngine() : nil
            let bar = ProgressBar(label: "importing \(schema.name)")
            let report: ImportReport
            do {
                report = try Importer.run(features, into: geoStore, options: options, engine: engine, progress: bar.update)
                bar.finish()
            } catch {
                bar.finish()
                throw error
            }
            for line in report.repairs { Terminal.note("repaired \(line)") }
            let seconds = Date().timeIntervalSince(started)
            print("imported \(report.imported) \(schema.name) from \(file) into \(store) in \(String(format: "%.2f", seconds)) s"
                  + (report.repairs.isEmpty ? "" : " (\(report.repairs.count) repaired)"))
        }
    }
}
