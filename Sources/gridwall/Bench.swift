import ArgumentParser
import Dispatch
import Foundation

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print their ratios against the tools users have today (see BENCHMARKS.md).",
        subcommands: [BenchAssign.self, BenchNearest.self, BenchHeatmap.self, BenchTiles.self, BenchIngest.self, BenchPlan.self, BenchKDE.self, BenchEmerging.self, BenchCity.self])
}

/// Seconds `body` took (monotonic clock).
func timed(_ body: () throws -> Void) rethrows -> Double {
    let t = DispatchTime.now()
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9
}

/// The best of `n` runs, in seconds.
func best(_ n: Int, _ body: () throws -> Void) rethrows -> Double {
    try (0..<max(1, n)).map { _ in try timed(body) }.min()!
}

/// The Python a benchmark runs its references with: `given` (its --python), else the environment
/// `scripts/setup-debian --tests` makes.
func referencePython(_ given: String?) -> String {
    given ?? ((ProcessInfo.processInfo.environment["HOME"] ?? "/root") + "/.cache/gridwall/reference-venv/bin/python")
}

/// Runs a reference script from scripts/reference with `python`; its standard output, or nil
/// when it fails (missing interpreter or packages). Standard error goes to `errors` when given.
func runReferenceScript(_ python: String, _ script: String, _ arguments: [String], showErrors: Bool = false) throws -> Data? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, URL(fileURLWithPath: "scripts/reference/\(script)").path] + arguments
    let out = Pipe()
    process.standardOutput = out
    if !showErrors { process.standardError = FileHandle.nullDevice }
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? data : nil
}
