// The benchmarks' event store: the sample district with `events` events, every one a copy of a
// random event of the committed sample (its category, status, source and place, moved by up to
// ±50 m) at a uniform random time over the 365 days before 2026-11-21, so the sample's hot spots
// stay hot. Seeded: every run builds the same events.
import Foundation
import GridwallAnalysis
import GridwallCore
import GridwallStore

enum SyntheticEvents {
    /// The last moment of the events (exclusive): 2026-11-21T00:00:00Z.
    static let end: Int64 = 1_795_219_200

    /// The analysis of the sample district's areas with the synthetic events, and the seconds it
    /// took to build (projection, grid location, columns, day counts).
    static func analysis(events: Int, geodata: String) throws -> (analysis: EventAnalysis, seconds: Double) {
        // The sample district through the importer, into a throwaway store.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-\(ProcessInfo.processInfo.processIdentifier).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch.path + suffix) } }
        let sample = try GeoStore(path: scratch.path)
        _ = try GeodataLoader.load(directory: geodata, into: sample) { _ in }
        let areas = try sample.areas()
        let templates = try sample.analysisEvents().events
        var rng = SeededRandom(seed: 11)
        let start = end - 365 * 86_400
        var times = (0..<events).map { _ in Int64(rng.int(Int(start), Int(end) - 1)) }
        times.sort()
        let records = times.map { t -> EventRecord in
            var e = templates[rng.int(0, templates.count - 1)]
            e.time = t
            e.position = Coordinate(e.position.x + rng.uniform(-0.0005, 0.0005), e.position.y + rng.uniform(-0.0005, 0.0005))
            return e
        }
        times = []
        var analysis: EventAnalysis?
        let seconds = try timed { analysis = try EventAnalysis(areas: areas, events: records) }
        return (analysis!, seconds)
    }
}

/// Writes a column as raw bytes (native order) for a reference script.
func write<T>(_ values: [T], _ dir: URL, _ name: String) throws {
    try values.withUnsafeBytes { try Data($0).write(to: dir.appendingPathComponent(name)) }
}

/// Reads a column a reference script wrote.
func readInt64(_ url: URL) throws -> [Int64] {
    let d = try Data(contentsOf: url)
    return d.withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
}

/// Reads a column a reference script wrote.
func readDouble(_ url: URL) throws -> [Double] {
    let d = try Data(contentsOf: url)
    return d.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
}
