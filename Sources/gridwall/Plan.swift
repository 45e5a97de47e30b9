// `gridwall plan`: redrawn grid layers. `plan check` validates one before anything changes:
// overlaps, gaps, slivers, areas outside their parent, misaligned edges, invalid geometries,
// empty or duplicate ids, and the buildings a new boundary cuts. Exit status 1 when it finds
// anything, so a script can stop there. `plan impact` says what the plan would move.
import ArgumentParser
import Foundation
import GridwallCore
import GridwallPlans
import GridwallStore

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grid plans: check a redrawn grid layer and see what it moves before it replaces the current one.",
        subcommands: [PlanCheck.self, PlanImpactCommand.self])
}

/// The plan file and how to read it: shared by every `plan` subcommand.
struct PlanFileOptions: ParsableArguments {
    @Argument(help: "The plan file.") var file: String
    @Option(help: "The store: the current layer, parents the file lacks, buildings, cameras, responders, events.") var store = "gridwall.sqlite"
    @Option(help: "Input format: geojson, csv or gpkg (default: from the extension).") var format: String?
    @Option(help: "The level the plan redraws: grid, community or street.") var level = "grid"
    @Option(help: "The field holding each area's id.") var idField = "id"
    @Option(help: "The field holding each area's parent id.") var parentField = "parent_id"

    /// The plan's areas and the parents the file itself holds.
    func read() throws -> (fields: PlanFields, areas: [PlanArea], parents: [PlanArea]) {
        var fields = PlanFields()
        guard let chosen = AreaLevel(rawValue: level), chosen != .district else {
            throw GridwallError(.invalidParameter, "unknown level \"\(level)\"; use grid, community or street", at: "--level")
        }
        fields.level = chosen
        fields.idField = idField
        fields.parentField = parentField
        let features = try FeatureReader.read(path: file, format: try FileFormat.chosen(format, for: file))
        let (areas, parents) = fields.split(features.map { ($0.place, $0.geometry, $0.properties) })
        guard !areas.isEmpty else {
            throw GridwallError(.invalidInput, "no features of level \(chosen.rawValue) (or without a level) in \(file)", at: file)
        }
        return (fields, areas, parents)
    }

    /// The store's areas of each level, as plan areas named by where they came from.
    func storedAreas(_ geoStore: GeoStore) throws -> [(level: AreaLevel, area: PlanArea)] {
        try geoStore.areas().map {
            (level: $0.level, area: PlanArea(id: $0.id, parentID: $0.parentID, geometry: $0.geometry, place: "\($0.level.rawValue) \($0.id) in \(store)"))
        }
    }
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

    @OptionGroup var plan: PlanFileOptions
    @Option(help: "Metres: boundaries this near without meeting are misaligned.") var tolerance = 0.5
    @Option(help: "Metres: parts narrower than this are slivers.") var sliverWidth = 5.0
    @Option(help: "Write the findings here as GeoJSON.") var out: String?

    func run() async throws {
        try await Terminal.reportingErrors {
            guard tolerance > 0, tolerance.isFinite else { throw GridwallError(.invalidParameter, "must be a positive number of metres", at: "--tolerance") }
            guard sliverWidth > 0, sliverWidth.isFinite else { throw GridwallError(.invalidParameter, "must be a positive number of metres", at: "--sliver-width") }
            var options = PlanCheckOptions()
            options.tolerance = tolerance
            options.sliverWidth = sliverWidth

            var (fields, areas, parents) = try plan.read()
            var buildings: [(id: String, geometry: Geometry)] = []
            var current: [PlanArea] = []
            if FileManager.default.fileExists(atPath: plan.store) {
                let geoStore = try GeoStore(path: plan.store)
                let stored = try plan.storedAreas(geoStore)
                if parents.isEmpty, let parentLevel = fields.parentLevel {
                    parents = stored.filter { $0.level == parentLevel }.map(\.area)
                }
                current = stored.filter { $0.level == fields.level }.map(\.area)
                buildings = try geoStore.buildings().map { ($0.id, $0.geometry) }
            } else {
                Terminal.note("no store at \(plan.store): \(parents.isEmpty ? "no parents to hold the plan against, and " : "")no buildings to check")
            }
            let report = try PlanValidator.check(areas: areas, parents: parents, buildings: buildings, current: current, options: options)
            for f in report.findings { print("\(f.kind.rawValue): \(f.message)") }
            let summary = report.counts.map { "\($0.count) \($0.kind.rawValue)" }.joined(separator: ", ")
            print("checked \(report.areaCount) \(fields.level.rawValue)s against \(report.parentCount) parents and \(report.buildingCount) buildings in "
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
