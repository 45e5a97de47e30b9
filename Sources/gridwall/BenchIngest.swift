// `gridwall bench ingest`: live ingest under load. A `gridwall serve` child on a copy of the
// store, and wrk (scripts/bench/ingest.lua) on the same machine posting batches of 1,000 events
// and then single events from 64 connections; events/s acknowledged (each acknowledged event is
// on disk, fsync'd, in the analysis and on the stream), p50/p99 latency, the server's resident
// memory after each run. In the same run, the same number of events (up to --postgis-events)
// into the PostGIS cluster the other benchmarks start: COPY alone (no assignment), and INSERT …
// RETURNING with the grid found by ST_Contains, 1,000 rows per statement.
import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GridwallCore
import GridwallServer
import GridwallStore

struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "POST /events throughput and latency under load, against PostGIS.")

    @Option(help: "A store with the sample district (copied; the copy is removed). Without one, the child loads geodata/.") var store = "gridwall.sqlite"
    @Option(help: "Seconds per load.") var seconds = 60
    @Option(help: "Connections.") var connections = 64
    @Option(help: "wrk threads.") var threads = 2
    @Option(help: "Port for the child server.") var port = 18_090
    @Option(help: "Events sent to PostGIS per method (0: skip PostGIS).") var postgisEvents = 1_000_000
    @Option(help: "During the batch load, GET /heatmap?by=grid every this many seconds, as a wall polls it (0: no polling).")
    var pollHeatmap = 0.0

    func run() async throws {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ValidationError("wrk is missing: apt-get install wrk")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let copy = work.appendingPathComponent("bench.sqlite").path
        if FileManager.default.fileExists(atPath: store) { try FileManager.default.copyItem(atPath: store, toPath: copy) }
        print("# gridwall bench ingest — \(connections) connections, \(threads) wrk threads, \(seconds) s per load, server and wrk on the same \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ISOTime.format(Int64(Date().timeIntervalSince1970)))")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        server.arguments = ["serve", "--store", copy, "--port", String(port), "--log-level", "warning"]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        try await waitForHealth(port: port)
        let storedBefore = try GeoStore(path: copy).layerSummaries().first { $0.name == "events" }!.count
        var acknowledged = 0
        var results: [(String, [String: String])] = []
        for (batch, label) in [(1_000, "batches of 1,000"), (1, "single events")] {
            _ = try wrkRun(wrk, batch: batch, seconds: 3, run: "warm\(batch)")
            let cpuBefore = cpuSeconds(of: server.processIdentifier)
            let poller = batch > 1 && pollHeatmap > 0 ? HeatmapPoller(port: port, every: pollHeatmap) : nil
            let r = try wrkRun(wrk, batch: batch, seconds: seconds, run: "run\(batch)")
            if let times = poller?.stop().sorted(), !times.isEmpty {
                print(String(format: "  GET /heatmap?by=grid every %.1f s during the load: %d answers, median %.1f ms, slowest %.1f ms",
                             pollHeatmap, times.count, times[times.count / 2] * 1000, times[times.count - 1] * 1000))
            }
            let cpu = cpuSeconds(of: server.processIdentifier) - cpuBefore
            let rss = residentBytes(of: server.processIdentifier) >> 20
            let requests = Int(r["requests"] ?? "") ?? 0, failed = (Int(r["errors"] ?? "") ?? 0) + (Int(r["non2xx"] ?? "") ?? 0)
            acknowledged += (requests - failed) * batch
            results.append((label, r))
            print(String(format: "Gridwall %-17@ %9.0f events/s  %8.1f requests/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  RSS after %d MiB  server CPU %.1f µs/event",
                         label as NSString, Double(r["events/s"] ?? "") ?? 0, Double(r["requests/s"] ?? "") ?? 0,
                         Double(r["p50_ms"] ?? "") ?? 0, Double(r["p99_ms"] ?? "") ?? 0, failed, rss,
                         cpu * 1e6 / Double(max(1, requests * batch))))
        }
        // The floors these read against. The HTTP stack's: GET /health, which stores nothing,
        // with the same connections on the same cores.
        let cpuBefore = cpuSeconds(of: server.processIdentifier)
        let health = try wrkRun(wrk, batch: 0, seconds: min(seconds, 20), run: "health")
        let healthRequests = Double(health["requests"] ?? "") ?? 0
        print(String(format: "floor: GET /health %9.0f requests/s  p50 %7.2f ms  p99 %7.2f ms  server CPU %.1f µs/request (routing, middleware, HTTP; nothing stored)",
                     Double(health["requests/s"] ?? "") ?? 0, Double(health["p50_ms"] ?? "") ?? 0, Double(health["p99_ms"] ?? "") ?? 0,
                     (cpuSeconds(of: server.processIdentifier) - cpuBefore) * 1e6 / max(1, healthRequests)))
        server.terminate()
        server.waitUntilExit()
        // Durable: at least every acknowledged event (wrk counts an answer that came back in
        // time; warm-up events are stored too) is in the store after the server stopped.
        let stored = try GeoStore(path: copy).layerSummaries().first { $0.name == "events" }!.count - storedBefore
        print("stored after stop: \(stored) events (acknowledged in the measured runs: \(acknowledged))")
        // SQLite's: the same kind of rows by one INSERT … SELECT into a new store, one core.
        let floorStore = try GeoStore(path: work.appendingPathComponent("floor.sqlite").path)
        let floorRows = 1_000_000
        let floorSeconds = try floorStore.insertFloor(rows: floorRows, time: Int64(Date().timeIntervalSince1970))
        print(String(format: "floor: SQLite INSERT … SELECT %9.0f rows/s  (%.2f µs per row; %d rows into the events table and its two indexes, one statement, durable)",
                     Double(floorRows) / floorSeconds, floorSeconds * 1e6 / Double(floorRows), floorRows))
        guard postgisEvents > 0 else { return }
        guard let postgis = try PostGISIngest.run(events: postgisEvents, store: copy) else {
            print("PostGIS: not installed (apt-get install postgresql-15-postgis-3); skipped")
            return
        }
        print(String(format: "PostGIS COPY (no assignment)       %9.0f events/s  (%d events, fsync off)", postgis.copy, postgisEvents))
        print(String(format: "PostGIS INSERT … RETURNING + grid  %9.0f events/s  (1,000 rows per statement, ST_Contains with a GiST index, fsync off)", postgis.insert))
        let batches = Double(results[0].1["events/s"] ?? "") ?? 0
        print(String(format: "ratio: Gridwall batches (assigned, durable) / PostGIS COPY %.2f×, / PostGIS INSERT with grid %.2f×",
                     batches / postgis.copy, batches / postgis.insert))
    }

    /// CPU seconds (user and system) process `pid` has used, from Linux /proc; 0 where there is none.
    func cpuSeconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // After the command's closing parenthesis: state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Runs wrk with scripts/bench/ingest.lua (batch 0: GET /health); the fields of its RESULT line.
    func wrkRun(_ wrk: String, batch: Int, seconds: Int, run: String) throws -> [String: String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: wrk)
        p.arguments = ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s", "-s", "scripts/bench/ingest.lua", "http://127.0.0.1:\(port)"]
        var environment = ProcessInfo.processInfo.environment
        environment["BATCH"] = String(batch)
        environment["RUN"] = run
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT") }) else {
            throw GridwallError(.io, "wrk printed no result: \(text.suffix(500))")
        }
        var fields: [String: String] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        return fields
    }
}

/// Asks for the grid heatmap at a fixed pace on a thread of its own until stopped, timing each answer.
final class HeatmapPoller: Sendable {
    private let state = Locked((running: true, times: [Double]()))
    private let finished = DispatchSemaphore(value: 0)

    init(port: Int, every interval: Double) {
        let url = URL(string: "http://127.0.0.1:\(port)/heatmap?by=grid")!
        Thread.detachNewThread { [state, finished] in
            while state.withLock({ $0.running }) {
                let start = Date()
                if (try? Data(contentsOf: url)) != nil { state.withLock { $0.times.append(Date().timeIntervalSince(start)) } }
                Thread.sleep(forTimeInterval: max(0, interval - Date().timeIntervalSince(start)))
            }
            finished.signal()
        }
    }

    /// Stops polling; the seconds each answer took.
    func stop() -> [Double] {
        state.withLock { $0.running = false }
        finished.wait()
        return state.withLock { $0.times }
    }
}

/// The same kind of events into PostGIS: COPY, and INSERT … RETURNING with the grid.
enum PostGISIngest {
    /// Events per second for each; nil when PostGIS is not installed.
    static func run(events: Int, store: String) throws -> (copy: Double, insert: Double)? {
        guard let cluster = try PostGISCluster.start() else { return nil }
        defer { cluster.stop() }
        let areas = try GeoStore(path: store).areas().filter { $0.level == .grid }
        var gridText = ""
        for a in areas { gridText += "\(a.id)\t" + WKB.encode(a.geometry).map { String(format: "%02X", $0) }.joined() + "\n" }
        var rng = SeededRandom(seed: 7)
        var rows: [String] = []
        rows.reserveCapacity(events)
        for i in 0..<events {
            let lon = 120.1596 + rng.unit() * 0.1306, lat = 30.2424 + rng.unit() * 0.1202
            rows.append(String(format: "pg-%d,2026-12-01T%02d:%02d:00Z,noise,hotline_12345,%.6f,%.6f", i, rng.int(0, 23), rng.int(0, 59), lon, lat))
        }
        let gridsFile = try cluster.file("grids.tsv", gridText)
        let csv = try cluster.file("events.csv", rows.joined(separator: "\n") + "\n")
        var inserts = ""
        for start in stride(from: 0, to: events, by: 1_000) {
            let values = rows[start..<min(events, start + 1_000)].map { r -> String in
                let f = r.split(separator: ",")
                return "('\(f[0])','\(f[1])','\(f[2])','\(f[3])',ST_SetSRID(ST_MakePoint(\(f[4]),\(f[5])),4326))"
            }.joined(separator: ",")
            inserts += "INSERT INTO live (id, time, category, source, geom, grid_id) SELECT v.id, v.time::timestamptz, v.category, v.source, v.geom, "
                + "(SELECT g.id FROM grids g WHERE ST_Contains(g.geom, v.geom) LIMIT 1) FROM (VALUES \(values)) AS v(id, time, category, source, geom) RETURNING id, grid_id;\n"
        }
        let insertFile = try cluster.file("inserts.sql", inserts)
        let output = try cluster.psql("""
            CREATE EXTENSION postgis;
            CREATE TABLE grids (id text PRIMARY KEY, geom geometry);
            \\copy grids FROM '\(gridsFile)'
            UPDATE grids SET geom = ST_SetSRID(geom, 4326);
            CREATE INDEX ON grids USING gist (geom);
            CREATE TABLE copied (id text PRIMARY KEY, time timestamptz, category text, source text, lon float8, lat float8);
            CREATE TABLE live (id text PRIMARY KEY, time timestamptz, category text, source text, geom geometry(Point, 4326), grid_id text);
            VACUUM ANALYZE;
            \\o /dev/null
            \\timing on
            \\copy copied FROM '\(csv)' CSV
            \\i \(insertFile)
            \\timing off
            """)
        let timings = PostGISCluster.timings(output)
        guard timings.count >= 2 else { throw GridwallError(.io, "PostGIS printed no timings: \(output.suffix(500))") }
        let copySeconds = timings[0] / 1000, insertSeconds = timings.dropFirst().reduce(0, +) / 1000
        return (Double(events) / copySeconds, Double(events) / insertSeconds)
    }
}
