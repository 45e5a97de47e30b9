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
        abstract: "Grid plans: check a redrawn grid layer, see what it moves, keep it, and apply it as a new version of the layer.",
        subcommands: [PlanCheck.self, PlanImpactCommand.self, PlanSubmit.self, PlanList.self, PlanApply.self, PlanEdit.self])
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

    /// The store, which must exist.
    func existingStore() throws -> GeoStore {
        guard FileManager.default.fileExists(atPath: store) else {
            throw GridwallError(.notFound, "no store here (gridwall serve or gridwall import makes one)", at: store)
        }
        return try GeoStore(path: store)
    }
}

/// The check's thresholds, shared by `plan check` and `plan submit`.
struct PlanCheckFlags: ParsableArguments {
    @Option(help: "Metres: boundaries this near without meeting are misaligned.") var tolerance = 0.5
    @Option(help: "Metres: parts narrower than this are slivers.") var sliverWidth = 5.0

    func options() throws -> PlanCheckOptions {
        guard tolerance > 0, tolerance.isFinite else { throw GridwallError(.invalidParameter, "must be a positive number of metres", at: "--tolerance") }
        guard sliverWidth > 0, sliverWidth.isFinite else { throw GridwallError(.invalidParameter, "must be a positive number of metres", at: "--sliver-width") }
        var options = PlanCheckOptions()
        options.tolerance = tolerance
        options.sliverWidth = sliverWidth
        return options
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
    @OptionGroup var thresholds: PlanCheckFlags
    @Option(help: "Write the findings here as GeoJSON.") var out: String?

    func run() async throws {
        try await Terminal.reportingErrors {
            if let out { try OutputFile.checkWritable(out) }
            let options = try thresholds.options()
            let (fields, areas, parents) = try plan.read()
            let geoStore = FileManager.default.fileExists(atPath: plan.store) ? try GeoStore(path: plan.store) : nil
            if geoStore == nil {
                Terminal.note("no store at \(plan.store): \(parents.isEmpty ? "no parents to hold the plan against, and " : "")no buildings to check")
            }
            let report = try PlanBook.check(areas: areas, fileParents: parents, level: fields.level, store: geoStore, options: options)
            print(Self.text(report, level: fields.level), terminator: "")
            if let out {
                try OutputFile.write(Array(report.geoJSON().utf8), to: out)
            }
            if !report.findings.isEmpty { throw ExitCode(1) }
        }
    }

    /// One line per finding and a summary line.
    static func text(_ report: PlanReport, level: AreaLevel) -> String {
        var s = report.findings.map { "\($0.kind.rawValue): \($0.message)\n" }.joined()
        let summary = report.counts.map { "\($0.count) \($0.kind.rawValue)" }.joined(separator: ", ")
        s += "checked \(report.areaCount) \(level.rawValue)s against \(report.parentCount) parents and \(report.buildingCount) buildings in "
            + String(format: "%.0f ms", report.seconds * 1000) + ": " + (summary.isEmpty ? "no findings" : summary) + "\n"
        return s
    }
}
