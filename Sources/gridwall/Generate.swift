import ArgumentParser
import Foundation
import GridwallSample

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the sample district (same seed, same bytes) into a folder.")

    @Option(help: "Random seed; the committed geodata/ uses the default.")
    var seed: UInt64 = SampleOptions().seed
    @Option(help: "Output folder.")
    var out = "geodata"
    @Flag(help: "A small district (a few dozen grids) for quick experiments.")
    var small = false

    func run() throws {
        var options = small ? SampleOptions.small(seed: seed) : SampleOptions()
        options.seed = seed
        let started = Date()
        let district = try SampleDistrict.generate(options) { step in
            FileHandle.standardError.write(Data("generate: \(step)\n".utf8))
        }
        try district.write(to: URL(fileURLWithPath: out))
        let counts = district.counts.map { "\($0.count) \($0.layer)" }.joined(separator: ", ")
        let v = district.gridVertices
        print("generated \(counts) into \(out)/ in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; grid boundaries have \(v.min)–\(v.max) vertices (median \(v.median))")
    }
}
