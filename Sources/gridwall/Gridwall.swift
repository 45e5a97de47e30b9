// The `gridwall` command: one executable, one subcommand per job.
import ArgumentParser

@main
struct Gridwall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridwall",
        abstract: "Geospatial grids, assignment and heatmaps for grid-governance command centres.",
        subcommands: [Serve.self, Token.self, Import.self, Assign.self, Nearest.self, Heatmap.self, Tiles.self, Plan.self, Generate.self, Bench.self])
}
