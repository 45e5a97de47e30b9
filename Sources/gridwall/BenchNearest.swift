// `gridwall bench nearest`: k = 5 nearest available responders, one core, over 100,000
// responders, static and with 10 % of them moving every second, against scipy's cKDTree and
// pykdtree on the same positions and queries (scripts/reference/knn_reference.py). The kd-trees
// get the available responders only, since they cannot filter; when positions move they must be
// rebuilt, so "moving" throughput is the queries that fit in the rest of each second:
// (1 s − rebuild time) × static queries/s, the same formula for every engine.
import ArgumentParser
import Dispatch
import Foundation
import GridwallCore

struct BenchNearest: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nearest", abstract: "Nearest-responder query throughput.")

    @Option(help: "Responders.") var responders = 100_000
    @Option(help: "Queries.") var queries = 100_000
    @Option(help: "Neighbours per query.") var k = 5
    @Option(help: "Share of responders available.") var available = 0.55
    @Option(help: "Python interpreter with scipy and pykdtree (the reference is skipped if they are missing).") var python = "python3"
    @Option(help: "PostGIS: auto (when installed), off.") var postgis = "auto"
    @Option(help: "Queries sent to PostGIS (it answers a few thousand per second).") var postgisQueries = 20_000

    func run() throws {
        print("# gridwall bench nearest — \(responders) responders (\(Int(available * 100)) % available), \(queries) queries, k = \(k), 1 core, "
              + ISOTime.format(Int64(Date().timeIntervalSince1970)))
        var rng = SeededRandom(seed: 5)
        let box = BoundingBox(minX: 120.1595518, minY: 30.2423804, maxX: 120.2901811, maxY: 30.3625701)
        let people = (0..<responders).map { i in
            Responder(id: String(format: "R%06d", i), kind: ["police", "fire", "medical", "grid_worker"][i % 4],
                      status: rng.unit() < available ? .available : .busy, skills: [],
                      position: Coordinate(rng.uniform(box.minX, box.maxX), rng.uniform(box.minY, box.maxY)), updatedAt: 0)
        }
        let points = (0..<queries).map { _ in Coordinate(rng.uniform(box.minX, box.maxX), rng.uniform(box.minY, box.maxY)) }
        let registry = ResponderRegistry(responders: people)
        let filter = ResponderFilter()   // status = available

        // Static: best of 3 passes over all queries.
        var checksum = 0
        var buffer: [(Double, Int32)] = []
        buffer.reserveCapacity(64)
        let queryTime = (0..<3).map { _ in
            let index = registry.snapshot
            return timed {
                for p in points {
                    index.search(near: p, k: k, filter: filter, now: 1, into: &buffer)
                    checksum &+= Int(buffer.first?.1 ?? 0)
                }
            }
        }.min()!
        // Moving: one second's worth of moves (10 %) published as one batch, best of 3.
        let rebuild = (1...3).map { round in
            let batch = (0..<(responders / 10)).map { _ in
                let i = rng.int(0, responders - 1)
                return PositionUpdate(id: people[i].id, position: Coordinate(rng.uniform(box.minX, box.maxX), rng.uniform(box.minY, box.maxY)),
                                      time: Double(round))
            }
            return timed { registry.update(batch) }
        }.min()!
        let qps = Double(queries) / queryTime
        print(String(format: "Gridwall: %.2f M queries/s static; 10 %% moving: publish %.1f ms per second → %.2f M queries/s",
                     qps / 1e6, rebuild * 1000, qps * (1 - rebuild) / 1e6))

        // References on the same positions (the static set) in the same local metres.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-knn-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let frame = ResponderIndex(responders: people).frame
        var rCSV = "x,y,available\n", qCSV = "x,y\n"
        for r in people { let l = frame.project(r.position); rCSV += "\(l.x),\(l.y),\(r.status == .available ? 1 : 0)\n" }
        for p in points { let l = frame.project(p); qCSV += "\(l.x),\(l.y)\n" }
        try rCSV.write(to: dir.appendingPathComponent("responders.csv"), atomically: true, encoding: .utf8)
        try qCSV.write(to: dir.appendingPathComponent("queries.csv"), atomically: true, encoding: .utf8)
        let data = try runReferenceScript(python, "knn_reference.py", [dir.appendingPathComponent("responders.csv").path,
                                                                      dir.appendingPathComponent("queries.csv").path, "\(k)",
                                                                      dir.appendingPathComponent("knn").path])
        // The static index for comparison: same positions as the files.
        let staticIndex = ResponderIndex(responders: people)
        let local = people.map { frame.project($0.position) }
        if postgis != "off" {
            try benchPostGIS(people: people, local: local, points: points, frame: frame, index: staticIndex, filter: filter, ourRate: qps)
        }
        guard let data, let result = try? JSONValue.parse(data) else {
            print("kd-trees: skipped (\(python) with scipy and pykdtree not found; pip install scipy pykdtree)")
            return
        }
        for lib in ["ckdtree", "pykdtree"] {
            guard let build = result[lib]?["build_s"]?.doubleValue, let query = result[lib]?["query_s"]?.doubleValue else { continue }
            let theirs = try String(contentsOf: dir.appendingPathComponent("knn.\(lib).txt"), encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
            let (same, ties) = compare(theirs, points: points, index: staticIndex, filter: filter, local: local, frame: frame)
            let theirQPS = Double(queries) / query
            print(String(format: "%@: %.2f M queries/s static (build %.1f ms); moving: %.2f M queries/s; same neighbours for %d of %d queries (%d ties)",
                         lib as NSString, theirQPS / 1e6, build * 1000, theirQPS * max(0, 1 - build) / 1e6, same, queries, ties))
            print(String(format: "ratio: Gridwall / %@ = %.1f× static, %.1f× moving", lib as NSString, qps / theirQPS,
                         (qps * (1 - rebuild)) / (theirQPS * max(1e-9, 1 - build))))
            if same + ties != queries { throw GridwallError(.invalidInput, "\(queries - same - ties) queries differ from \(lib)") }
        }
        _ = checksum
    }

    /// `ORDER BY geom <-> q LIMIT k` over a partial GiST index of the available responders, in
    /// the same local metres, one statement for all queries (a LATERAL join), neighbours compared.
    func benchPostGIS(people: [Responder], local: [Coordinate], points: [Coordinate], frame: LocalFrame,
                      index: ResponderIndex, filter: ResponderFilter, ourRate: Double) throws {
        guard let cluster = try PostGISCluster.start() else {
            print("PostGIS: not installed (apt-get install postgresql-15-postgis-3); skipped")
            return
        }
        defer { cluster.stop() }
        let n = min(postgisQueries, points.count)
        var r = "", q = ""
        for (i, p) in local.enumerated() { r += "\(i),\(p.x),\(p.y),\(people[i].status == .available ? 1 : 0)\n" }
        for i in 0..<n { let l = frame.project(points[i]); q += "\(i),\(l.x),\(l.y)\n" }
        let rf = try cluster.file("responders.csv", r), qf = try cluster.file("queries.csv", q), out = try cluster.file("knn.csv", "")
        let output = try cluster.psql("""
            CREATE EXTENSION postgis;
            CREATE TABLE responders (id int, x float8, y float8, available int);
            \\copy responders FROM '\(rf)' CSV
            ALTER TABLE responders ADD COLUMN geom geometry;
            UPDATE responders SET geom = ST_MakePoint(x, y);
            CREATE INDEX ON responders USING gist (geom) WHERE available = 1;
            CREATE TABLE queries (id int, x float8, y float8);
            \\copy queries FROM '\(qf)' CSV
            ALTER TABLE queries ADD COLUMN geom geometry;
            UPDATE queries SET geom = ST_MakePoint(x, y);
            VACUUM ANALYZE;
            \\timing on
            CREATE TABLE knn AS SELECT q.id AS qid, r.id AS rid FROM queries q CROSS JOIN LATERAL
              (SELECT id FROM responders WHERE available = 1 ORDER BY geom <-> q.geom LIMIT \(k)) r;
            \\timing off
            \\copy knn TO '\(out)' CSV
            """)
        let seconds = try PostGISCluster.lastTiming(output) / 1000
        var theirs = [[Int]](repeating: [], count: n)
        for row in try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n") {
            let f = row.split(separator: ",")
            if f.count == 2, let qi = Int(f[0]), let ri = Int(f[1]) { theirs[qi].append(ri) }
        }
        let (same, ties) = compare(theirs, points: Array(points.prefix(n)), index: index, filter: filter, local: local, frame: frame)
        let rate = Double(n) / seconds
        print(String(format: "PostGIS <-> LIMIT %d: %.0f queries/s (%d queries in one LATERAL join); same neighbours for %d of %d (%d ties)",
                     k, rate, n, same, n, ties))
        print(String(format: "ratio: Gridwall / PostGIS = %.0f×", ourRate / rate))
        if same + ties != n { throw GridwallError(.invalidInput, "\(n - same - ties) queries differ from PostGIS") }
    }

    /// How many queries got the same neighbours as a reference, and how many differ only between
    /// responders equally far (the k-th distances within a millimetre).
    func compare(_ theirs: [[Int]], points: [Coordinate], index: ResponderIndex, filter: ResponderFilter,
                 local: [Coordinate], frame: LocalFrame) -> (same: Int, ties: Int) {
        var same = 0, ties = 0
        for (qi, p) in points.enumerated() {
            let mine = index.candidates(near: p, k: k, filter: filter, now: 1).map(\.index)
            if Set(mine) == Set(theirs[qi]) { same += 1; continue }
            let lp = frame.project(p)
            func d(_ i: Int) -> Double { ((local[i].x - lp.x) * (local[i].x - lp.x) + (local[i].y - lp.y) * (local[i].y - lp.y)).squareRoot() }
            if abs((mine.map(d).max() ?? 0) - (theirs[qi].map(d).max() ?? 0)) < 1e-3 { ties += 1 }
        }
        return (same, ties)
    }
}
