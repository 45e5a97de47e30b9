// `gridwall bench city`: Gridwall at city scale. A city of 10 generated districts (`gridwall
// generate --districts 10`: ~6,000 grids, ~365,000 buildings, ~35,000 cameras, 7,600 responders,
// 1 M events) loaded as `serve` loads it on first start; the assignment engine's build time,
// memory and rates; then the event analysis at 1 M, 10 M and 100 M events over a year (copies of
// the city's events moved up to ±50 m, at uniform times): its build time, resident memory per
// event and for the day totals, and the random-window queries of `bench heatmap`; and the start
// time and memory of a `gridwall serve` child on stores of 1 M and 10 M events (100 M on request:
// `--serve-events 10000000,100000000`, about 25 minutes and 25 GB of disk).
import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GridwallAnalysis
import GridwallCore
import GridwallSample
import GridwallServer
import GridwallStore

struct BenchCity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "city", abstract: "A city of districts at 1 M, 10 M and 100 M events: memory, start time, assignment and heatmap queries.")

    @Option(help: "A city from `gridwall generate --districts N` (default: one generated into a temporary folder).") var geodata: String?
    @Option(help: "Districts of the generated city.") var districts = 10
    @Option(help: "Event counts of the in-memory analysis, comma-separated.") var events = "1000000,10000000,100000000"
    @Option(help: "Event counts of the stores `gridwall serve` is started on, comma-separated (empty: none; above 10 M, multiples of 10 M).") var serveEvents = "1000000,10000000"
    @Option(help: "Points for the assignment rates.") var points = 1_000_000
    @Option(help: "Port for the child servers.") var port = 18_190

    func run() async throws {
        print("# gridwall bench city — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ISOTime.format(Int64(Date().timeIntervalSince1970)))")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-city-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let folder = try geodata ?? generateCity(into: work.appendingPathComponent("city").path)

        // The store as `serve` makes it on first start, and the engine it builds on every start.
        let storePath = work.appendingPathComponent("city.sqlite").path
        let (store, loadSeconds) = try Self.loadedStore(folder, at: storePath)
        let summaries = try store.layerSummaries().map { "\($0.count) \($0.name)" }.joined(separator: ", ")
        print(String(format: "store: %@ loaded in %.1f s (serve's first start)", summaries, loadSeconds))
        let areas = try store.areas()
        trimMemory()
        let before = residentBytes()
        var engine: AssignmentEngine!
        let engineSeconds = try timed { engine = try store.assignmentEngine() }
        print(String(format: "assignment engine: built in %.2f s, resident +%d MiB", engineSeconds, (residentBytes() - before) >> 20))
        assignmentRates(engine)
        let templates = try store.analysisEvents().events
        var byCategory: [String: Int] = [:]
        for e in templates { byCategory[e.category, default: 0] += 1 }
        let busiest = byCategory.max { $0.value < $1.value }!.key

        for n in Self.counts(events) { try analysisAtScale(n, areas: areas, engine: engine, templates: templates, category: busiest) }
        for n in Self.counts(serveEvents) { try await serveStart(n, folder: folder, work: work, templates: templates) }
    }

    /// Refuses, before an hour of work, a store size `serveStart` cannot make.
    func validate() throws {
        for n in Self.counts(serveEvents) where n > Self.importedAtMost && n % Self.importedAtMost != 0 {
            throw ValidationError("--serve-events: \(n): a store above \(Self.importedAtMost) events copies one of \(Self.importedAtMost); give a multiple of it")
        }
    }

    static func counts(_ list: String) -> [Int] { list.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func generateCity(into folder: String) throws -> String {
        var city: SampleDistrict!
        let seconds = try timed {
            city = SampleDistrict.city(try (0..<districts).map { try SampleDistrict.generate(.cityDistrict($0, of: districts)) })
        }
        try city.write(to: URL(fileURLWithPath: folder))
        print(String(format: "city: %@ generated in %.1f s", city.counts.map { "\($0.count) \($0.layer)" }.joined(separator: ", "), seconds))
        return folder
    }

    /// A new store at `path` with the city loaded as `serve` loads geodata on first start.
    static func loadedStore(_ folder: String, at path: String) throws -> (GeoStore, Double) {
        let store = try GeoStore(path: path)
        let seconds = try timed { _ = try GeodataLoader.load(directory: folder, into: store) }
        return (store, seconds)
    }

    /// Full assignments (grid chain, building; the nearest grid of outside points) and grid-only
    /// lookups of points uniform over the districts' boxes (about a third fall outside every
    /// grid, between the districts), one core, best of three.
    func assignmentRates(_ engine: AssignmentEngine) {
        var rng = SeededRandom(seed: 31)
        let box = engine.gridIndex.bounds
        let xs = (0..<points).map { _ in rng.uniform(box.minX, box.maxX) }, ys = (0..<points).map { _ in rng.uniform(box.minY, box.maxY) }
        var full = [PointAssignment](repeating: PointAssignment(), count: points), grids = [Int32](repeating: 0, count: points)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in
            let assign = best(3) { full.withUnsafeMutableBufferPointer { engine.assign(xs: x, ys: y, into: $0) } }
            let gridOnly = best(3) { grids.withUnsafeMutableBufferPointer { engine.gridOnly(xs: x, ys: y, into: $0) } }
            let outside = grids.filter { $0 < 0 }.count
            print(String(format: "assignment, %d points over the city's box (%.0f %% outside every grid), one core: full %.2f M points/s (%.2f µs each), grid only %.1f M points/s",
                         points, 100 * Double(outside) / Double(points), Double(points) / assign / 1e6, assign / Double(points) * 1e6, Double(points) / gridOnly / 1e6))
        } }
    }

    /// `count` synthetic events in chunks of at most a million, in time order: copies of random
    /// template events moved up to ±50 m, at uniform times over the year before
    /// `SyntheticEvents.end`, with their grid left for the analysis (or the importer) to find.
    static func syntheticChunks(_ count: Int, templates: [EventRecord], seed: UInt64, _ body: ([EventRecord]) throws -> Void) rethrows {
        var rng = SeededRandom(seed: seed)
        let chunks = max(1, (count + 999_999) / 1_000_000)
        let start = SyntheticEvents.end - 365 * 86_400, slice = 365 * 86_400 / Int64(chunks)
        var made = 0
        for k in 0..<chunks {
            let size = (count - made) / (chunks - k)
            let from = start + Int64(k) * slice, to = k == chunks - 1 ? SyntheticEvents.end : from + slice
            var times = (0..<size).map { _ in Int64(rng.int(Int(from), Int(to) - 1)) }
            times.sort()
            try body(times.enumerated().map { i, t in
                var e = templates[rng.int(0, templates.count - 1)]
                e.time = t
                e.position = Coordinate(e.position.x + rng.uniform(-0.0005, 0.0005), e.position.y + rng.uniform(-0.0005, 0.0005))
                e.id = "S" + String(made + i)
                e.gridID = nil
                e.grid = -1
                return e
            })
            made += size
        }
    }

    func analysisAtScale(_ n: Int, areas: [AreaRecord], engine: AssignmentEngine, templates: [EventRecord], category: String) throws {
        print("\n## \(n) events over 365 days")
        trimMemory()
        let before = residentBytes()
        var analysis = try EventAnalysis(areas: areas, events: [], engine: engine)
        analysis.reserveCapacity(n)   // as serve's load does: the columns take what they need, no growth slack
        let seconds = try timed {
            try Self.syntheticChunks(n, templates: templates, seed: UInt64(n)) { try analysis.append($0) }
        }
        let resident = residentBytes() - before
        let dayTotals = analysis.events.dayTotalBytesPerDay * 365
        print(String(format: "analysis built in %.1f s (%.2f M events/s: projection, grid location, columns, day totals); resident +%d MiB: %.1f bytes per event and %d MiB of day totals (%d kB per day)",
                     seconds, Double(n) / seconds / 1e6, resident >> 20, Double(resident - dayTotals) / Double(n), dayTotals >> 20,
                     analysis.events.dayTotalBytesPerDay >> 10))
        try timeRandomWindows(analysis, category: category)
    }

    /// The most events a store for `serveStart` is imported with; bigger stores copy that one's events.
    static let importedAtMost = 10_000_000

    /// Start time of a `gridwall serve` child on a store of `n` events: launch to the first 200
    /// from /health, then its resident memory. Up to `importedAtMost` the store holds the city's
    /// own events and synthetic ones imported in batches of a million; above, it is the
    /// city with the `importedAtMost` store's events copied in (`GeoStore.replaceEvents`), laid
    /// down as a year of live ingest lays them down: in the order of their times.
    func serveStart(_ n: Int, folder: String, work: URL, templates: [EventRecord]) async throws {
        let path = work.appendingPathComponent("serve-\(n).sqlite").path
        var seconds: Double
        if n <= Self.importedAtMost {
            seconds = try Self.importedStore(n, folder: folder, at: path, templates: templates)
        } else {
            let base = work.appendingPathComponent("serve-\(Self.importedAtMost).sqlite").path
            seconds = FileManager.default.fileExists(atPath: base)
                ? 0 : try Self.importedStore(Self.importedAtMost, folder: folder, at: base, templates: templates)
            let (store, loading) = try Self.loadedStore(folder, at: path)
            seconds += try loading + timed {
                _ = try store.replaceEvents(withCopiesOf: base, copies: n / Self.importedAtMost - 1) { done, total in
                    if done % 60 == 0 || done == total { print("  copying events: day \(done) of \(total)") }
                }
            }
        }
        let store = try GeoStore(path: path)   // the writing pool closes and checkpoints: the file's size is the store's
        let stored = try store.layerSummaries().first { $0.name == "events" }?.count ?? 0
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "\nserve on a store of %d events (%d MiB; made in %.0f s):", stored, bytes >> 20, seconds))
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        server.arguments = ["serve", "--store", path, "--port", String(port), "--log-level", "warning"]
        server.standardOutput = FileHandle.nullDevice
        let launched = Date()
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        try await waitForHealth(port: port, seconds: 1_800)
        print(String(format: "  started in %.1f s (launch to the first answer of /health); resident %d MiB",
                     Date().timeIntervalSince(launched), residentBytes(of: server.processIdentifier) >> 20))
    }

    /// A store at `path` with the city loaded and `n` events: the city's own, then synthetic ones
    /// imported a million at a time. Returns the seconds it took.
    static func importedStore(_ n: Int, folder: String, at path: String, templates: [EventRecord]) throws -> Double {
        var (store, seconds) = try loadedStore(folder, at: path)
        let engine = try store.assignmentEngine()
        seconds += try timed {
            try syntheticChunks(max(0, n - templates.count), templates: templates, seed: UInt64(n) &+ 1) { chunk in
                let features = chunk.map { e in
                    SourceFeature(place: e.id, geometry: .point(e.position), properties: [
                        "id": .string(e.id), "time": .string(ISOTime.format(e.time)), "category": .string(e.category),
                        "status": .string(e.status), "source": .string(e.source), "severity": .number(2)])
                }
                _ = try Importer.run(features, into: store, options: ImportOptions(layer: .events), engine: engine)
            }
        }
        store = try GeoStore(path: path)   // the writing pool closes and checkpoints
        return seconds
    }

    /// Gives freed memory back to the system, so that resident figures measure what is held.
    func trimMemory() { _ = glibcMallocTrim(0) }
}

/// glibc's malloc_trim (malloc.h is not in the Glibc module).
@_silgen_name("malloc_trim") private func glibcMallocTrim(_ pad: Int) -> Int32

/// Waits until a local server on `port` answers /health with 200.
func waitForHealth(port: Int, seconds: Int = 120) async throws {
    let deadline = Date().addingTimeInterval(Double(seconds))
    while Date() < deadline {
        if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!),
           (response as? HTTPURLResponse)?.statusCode == 200 { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw GridwallError(.io, "the server did not start on port \(port) within \(seconds) s")
}
