import ArgumentParser
import Foundation
import GridwallSample

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the sample district (same seed, same bytes) into a folder.",
        discussion: "With --districts N, a city of N such districts side by side (their own seeds, codes and id prefixes), for city-scale benchmarks.")

    @Option(help: "Random seed; the committed geodata/ uses the default.")
    var seed: UInt64 = SampleOptions().seed
    @Option(help: "Output folder.")
    var out = "geodata"
    @Flag(help: "A small district (a few dozen grids) for quick experiments.")
    var small = false
    @Option(help: "Districts in a generated city (1: the sample district alone).")
    var districts = 1

    func validate() throws {
        guard (1...99).contains(districts) else { throw ValidationError("--districts must be 1–99, not \(districts)") }
        guard districts == 1 || !small else { throw ValidationError("--small makes one district; leave out --districts") }
    }

    func run() throws {
        let started = Date()
        let district: SampleDistrict
        if districts == 1 {
            var options = small ? SampleOptions.small(seed: seed) : SampleOptions()
            options.seed = seed
            district = try SampleDistrict.generate(options) { step in
                FileHandle.standardError.write(Data("generate: \(step)\n".utf8))
            }
        } else {
            district = SampleDistrict.city(try (0..<districts).map { k in
                try SampleDistrict.generate(.cityDistrict(k, of: districts, seed: seed)) { step in
                    FileHandle.standardError.write(Data("generate: district \(k + 1) of \(districts): \(step)\n".utf8))
                }
            })
        }
        try district.write(to: URL(fileURLWithPath: out))
        let counts = district.counts.map { "\($0.count) \($0.layer)" }.joined(separator: ", ")
        let v = district.gridVertices
        print("generated \(counts) into \(out)/ in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; grid boundaries have \(v.min)–\(v.max) vertices (median \(v.median))")
    }
}
