// `gridwall plan edit split | merge | move-boundary`: an edit of the current grid layer, made
// into a plan (the edited grids' community with the edit) and submitted like any other, or
// written to a file with --out.
import ArgumentParser
import Foundation
import GridwallCore
import GridwallPlans
import GridwallStore

struct PlanEdit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit the grid layer: split a grid, merge grids, move a shared boundary; each gives a plan.",
        subcommands: [PlanEditSplit.self, PlanEditMerge.self, PlanEditMoveBoundary.self])
}

/// What every edit takes besides its own arguments.
struct PlanEditOptions: ParsableArguments {
    @Option(help: "The store.") var store = "gridwall.sqlite"
    @Option(help: "A name for the plan (default: what the edit did).") var name: String?
    @Option(help: "Write the plan here as GeoJSON instead of submitting it.") var out: String?

    /// Makes the plan of `edit` and submits it (or writes it to --out).
    func run(_ edit: GridwallPlans.PlanEdit) throws {
        guard FileManager.default.fileExists(atPath: store) else { throw GridwallError(.notFound, "no store here", at: store) }
        if let out { try OutputFile.checkWritable(out) }
        let geoStore = try GeoStore(path: store)
        let (areas, summary) = try PlanEditor.plan(edit, grids: try geoStore.areas().filter { $0.level == .grid })
        print(summary)
        if let out {
            let features = areas.map {
                Feature(geometry: $0.geometry, properties: ["id": .string($0.id), "level": .string("grid"), "parent_id": $0.parentID.map(JSONValue.string) ?? .null])
            }
            try OutputFile.write(Array(GeoJSON.featureCollection(features).utf8), to: out)
            print("wrote the plan (\(areas.count) grids) to \(out)")
            return
        }
        let submitted = try PlanBook.submit(areas: areas, fileParents: [], level: .grid, name: name ?? summary, createdBy: NSUserName(), store: geoStore)
        print(PlanSubmit.text(submitted, level: .grid), terminator: "")
    }

    /// "lon,lat;lon,lat;…" as positions.
    static func line(_ text: String) throws -> [Coordinate] {
        try text.split(separator: ";").enumerated().map { k, pair in
            let parts = pair.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let x = parts[0], let y = parts[1], abs(x) <= 180, abs(y) <= 90 else {
                throw GridwallError(.invalidParameter, "point \(k + 1) (\"\(pair)\") is not lon,lat; write the line as lon,lat;lon,lat;…", at: "--line")
            }
            return Coordinate(x, y)
        }
    }
}

struct PlanEditSplit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split a grid along a line drawn across it; the larger part keeps the grid's id.",
        discussion: """
            The line runs from one point of the grid's boundary to another; its ends snap to the
            nearest boundary vertices (within 50 m), so the neighbours still meet the parts edge
            to edge.

            Example:
              gridwall plan edit split 330199001006003 --line "120.1874,30.3378;120.1846,30.3414" --new-id 330199001006016
            """)

    @Argument(help: "The grid to split.") var grid: String
    @Option(help: "The line, as lon,lat;lon,lat;…") var line: String
    @Option(help: "The id of the smaller part (default <grid>-2).") var newID: String?
    @OptionGroup var options: PlanEditOptions

    func run() async throws {
        try await Terminal.reportingErrors {
            try options.run(.split(grid: grid, line: try PlanEditOptions.line(line), newID: newID))
        }
    }
}

struct PlanEditMerge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Merge grids of one community that share boundaries into one.")

    @Argument(help: "The grids to merge (two or more).") var grids: [String]
    @Option(help: "The merged grid's id (default the first grid's).") var id: String?
    @OptionGroup var options: PlanEditOptions

    func run() async throws {
        try await Terminal.reportingErrors { try options.run(.merge(grids: grids, id: id)) }
    }
}

struct PlanEditMoveBoundary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move-boundary",
        abstract: "Redraw the boundary two grids share as a line across the pair; each keeps the part holding most of its old area.")

    @Argument(help: "The first grid.") var first: String
    @Argument(help: "The second grid.") var second: String
    @Option(help: "The new boundary, as lon,lat;lon,lat;… from one point of the pair's outline to another.") var line: String
    @OptionGroup var options: PlanEditOptions

    func run() async throws {
        try await Terminal.reportingErrors {
            try options.run(.moveBoundary(first: first, second: second, line: try PlanEditOptions.line(line)))
        }
    }
}
