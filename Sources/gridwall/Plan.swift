// `gridwall plan`: redrawn grid layers. `plan check` validates one before anything changes:
// overlaps, gaps, slivers, areas outside their parent, misaligned edges, invalid geometries,
// empty or duplicate ids, and the buildings a new boundary cuts. Exit status 1 when it finds
// anything, so a script can stop there.
import ArgumentParser
import Foundation
import GridwallCore
import GridwallPlans
import GridwallStore

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grid plans: check a redrawn grid layer before it replaces the current one.",
        subcommands: [PlanCheck.self])
}

struct PlanCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a plan: a new set of grids (GeoJSON, GeoPackage or CSV with WKT).",
        discussion: """
            The plan's areas are the file's features of --level (default grid) and those with no
            level. They are held against their parents (the level above): the file's own features
            of that level if it has any, otherwise the store's. Buildings come from the store; a
            building is reported when the plan cuts it and the store's current areas did not cut
            it into the same shares.
            Findings print one per line; --out writes them as GeoJSON with their places.
            Exit status 1 when anything is found.

            Examples:
              gridwall plan check redrawn.geojson
              gridwall plan check other-system.gpkg --id-field GRID_CODE --parent-field COMM_CODE --out findings.geojson
            """)

    @Argument(help: "The plan file.") var file: String
    @Option(help: "The store: parents the file lacks, and the buildings.") var store = "gridwall.sqlite"
    @Option(help: "Input format: geojson, csv or gpkg (default: from the extension).") var format: String?
    @Option(help: "The level the plan redraws: grid, community or street.") var level = "grid"
    @Option(help: "The field holding each area's id.") var idField = "id"
    @Option(help: "The field holding each area's parent id.") var parentField = "parent_id"
    @Option(help: "Metres: boundaries this near without meeting are misaligned.") var tolerance = 0.5
    @Option(help: "Metres: parts narrower than this are slivers.") var sliverWidth = 5.0
    @Option(help: "Write the findings here as GeoJSON.") var out: String?

    func run() async throws {
        try await Terminal.reportingErrors {
            var fields = PlanFields()
            guard let chosen = AreaLevel(rawValue: level), chosen != .district else {
                throw GridwallError(.invalidParameter, "unknown level \"\(level)\"; use grid, community or street", at: "--level")
            }
            fields.level = chosen
            fields.idField = idField
            fields.parentField = parentField
            guard tolerance > 0, tolerance.isFinite else { throw GridwallError(.invalidParameter, "must be a positive number of metres", at: "--tolerance") }
            guard sliverWidth > 0, sliverWidth.isFinite else { throw GridwallError(.invalidParameter, "must be a positive number of metres", at: "--sliver-width") }
            var options = PlanCheckOptions()
            options.tolerance = tolerance
            options.sliverWidth = sliverWidth

            let features = try FeatureReader.read(path: file, format: try FileFormat.chosen(format, for: file))
            var (areas, parents) = fields.split(features.map { ($0.place, $0.geometry, $0.properties) })
            guard !areas.isEmpty else {
                throw GridwallError(.invalidInput, "no features of level \(chosen.rawValue) (or without a level) in \(file)", at: file)
            }
            var buildings: [(id: String, geometry: Geometry)] = []
            var current: [PlanArea] = []
            if FileManager.default.fileExists(atPath: store) {
                let geoStore = try GeoStore(path: store)
                let stored = try geoStore.areas().map {
                    (level: $0.level, area: PlanArea(id: $0.id, parentID: $0.parentID, geometry: $0.geometry, place: "\($0.level.rawValue) \($0.id) in \(store)"))
                }
                if parents.isEmpty, let parentLevel = fields.parentLevel {
                    parents = stored.filter { $0.level == parentLevel }.map(\.area)
                }
                current = stored.filter { $0.level == chosen }.map(\.area)
                buildings = try geoStore.buildings().map { ($0.id, $0.geometry) }
            } else {
                Terminal.note("no store at \(store): \(parents.isEmpty ? "no parents to hold the plan against, and " : "")no buildings to check")
            }
            let report = try PlanValidator.check(areas: areas, parents: parents, buildings: buildings, current: current, options: options)
            for f in report.findings { print("\(f.kind.rawValue): \(f.message)") }
            let summary = report.counts.map { "\($0.count) \($0.kind.rawValue)" }.joined(separator: ", ")
            print("checked \(report.areaCount) \(chosen.rawValue)s against \(report.parentCount) parents and \(report.buildingCount) buildings in "
                  + String(format: "%.0f ms", report.seconds * 1000) + ": " + (summary.isEmpty ? "no findings" : summary))
            if let out {
                do { try report.geoJSON().write(toFile: out, atomically: true, encoding: .utf8) } catch {
                    throw GridwallError(.storage, "cannot write: \(error.localizedDescription)", at: out)
                }
            }
            if !report.findings.isEmpty { throw ExitCode(1) }
        }
    }
}
