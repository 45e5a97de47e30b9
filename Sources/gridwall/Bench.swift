import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print their ratios against the tools users have today (see BENCHMARKS.md).",
        subcommands: [BenchAssign.self, BenchNearest.self])
}
