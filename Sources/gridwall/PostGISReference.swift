// PostGIS as a benchmark reference: a throwaway cluster in a temporary folder (its own port and
// socket, fsync off, no parallel workers so that it is one core like our single-core figure),
// the grids and the points each with a GiST index, and the timed join a user would write:
// SELECT … FROM points JOIN grids ON ST_Contains(grids.geom, points.geom).
import Foundation
import GridwallCore

enum PostGISReference {
    struct Result { var seconds: Double; var answers: [Int32] }

    static let bin = "/usr/lib/postgresql/15/bin"

    /// nil when PostgreSQL 15 with PostGIS is not installed.
    static func run(grids: [[Polygon]], xs: [Double], ys: [Double]) throws -> Result? {
        guard FileManager.default.isExecutableFile(atPath: "\(bin)/initdb"),
              FileManager.default.fileExists(atPath: "/usr/share/postgresql/15/extension/postgis.control") else { return nil }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-postgis-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Hex WKB keeps every coordinate bit; PostGIS parses it as geometry input.
        var gridText = ""
        for (i, polygons) in grids.enumerated() {
            let wkb = WKB.encode(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
            gridText += "\(i)\t" + wkb.map { String(format: "%02X", $0) }.joined() + "\n"
        }
        try gridText.write(toFile: "\(dir)/grids.tsv", atomically: true, encoding: .utf8)
        var pointText = ""
        pointText.reserveCapacity(xs.count * 40)
        for i in 0..<xs.count { pointText += "\(i),\(xs[i]),\(ys[i])\n" }
        try pointText.write(toFile: "\(dir)/points.csv", atomically: true, encoding: .utf8)
        let port = Int.random(in: 40_000...60_000)
        let asRoot = getuid() == 0
        if asRoot { try shell("/bin/chown", ["-R", "postgres:postgres", dir]) }
        func pg(_ tool: String, _ args: [String]) throws -> String {
            asRoot ? try shell("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + args) : try shell(tool, args)
        }
        _ = try pg("\(bin)/initdb", ["-D", "\(dir)/data", "-U", "gridwall", "--auth=trust", "-E", "UTF8"])
        // The server runs as our own child (not daemonised by pg_ctl, whose daemon would inherit
        // the descriptors Foundation watches to see a child exit, so waiting on pg_ctl never ends).
        let server = Process()
        let serverArgs = ["-D", "\(dir)/data", "-p", "\(port)", "-k", dir, "-c", "listen_addresses=", "-c", "fsync=off",
                          "-c", "synchronous_commit=off", "-c", "shared_buffers=512MB", "-c", "work_mem=256MB",
                          "-c", "max_parallel_workers_per_gather=0"]
        server.executableURL = URL(fileURLWithPath: asRoot ? "/usr/sbin/runuser" : "\(bin)/postgres")
        server.arguments = asRoot ? ["-u", "postgres", "--", "\(bin)/postgres"] + serverArgs : serverArgs
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // SIGQUIT: immediate shutdown; the cluster is thrown away.
            _ = try? pg("/bin/sh", ["-c", "kill -QUIT $(head -1 \(dir)/data/postmaster.pid)"])
            server.waitUntilExit()
        }
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? pg("\(bin)/pg_isready", ["-q", "-h", dir, "-p", "\(port)"])) != nil
            if !ready { usleep(100_000) }
        }
        guard ready else { throw GridwallError(.io, "the PostGIS cluster did not start") }
        let script = """
            CREATE EXTENSION postgis;
            CREATE TABLE grids (id int PRIMARY KEY, geom geometry);
            \\copy grids FROM '\(dir)/grids.tsv'
            CREATE INDEX ON grids USING gist (geom);
            CREATE TABLE raw (id int, lon float8, lat float8);
            \\copy raw FROM '\(dir)/points.csv' CSV
            CREATE TABLE points AS SELECT id, ST_MakePoint(lon, lat) AS geom FROM raw;
            -- Both sides indexed, so the planner may loop over grids (reusing each prepared grid).
            CREATE INDEX ON points USING gist (geom);
            VACUUM ANALYZE;
            \\timing on
            CREATE TABLE result AS SELECT p.id AS pid, g.id AS gid FROM points p JOIN grids g ON ST_Contains(g.geom, p.geom);
            \\timing off
            \\copy result TO '\(dir)/result.csv' CSV
            """
        try script.write(toFile: "\(dir)/bench.sql", atomically: true, encoding: .utf8)
        if asRoot { try shell("/bin/chown", ["postgres:postgres", "\(dir)/bench.sql"]) }
        let output = try pg("/usr/bin/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", "\(port)", "-U", "gridwall",
                                              "-d", "postgres", "-f", "\(dir)/bench.sql"])
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("Time: ") }),
              let milliseconds = Double(line.dropFirst(6).split(separator: " ")[0]) else {
            throw GridwallError(.io, "PostGIS printed no timing: \(output)")
        }
        var answers = [Int32](repeating: -1, count: xs.count)
        for row in try String(contentsOfFile: "\(dir)/result.csv", encoding: .utf8).split(separator: "\n") {
            let f = row.split(separator: ",")
            if f.count == 2, let p = Int(f[0]), let g = Int32(f[1]) { answers[p] = g }
        }
        return Result(seconds: milliseconds / 1000, answers: answers)
    }

    /// Runs a tool and returns what it printed. Output goes through a file, not a pipe: the
    /// server that pg_ctl starts inherits its descriptors and would hold a pipe open forever.
    @discardableResult
    static func shell(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-shell-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: capture.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: capture) }
        let out = try FileHandle(forWritingTo: capture)
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        let text = (try? String(contentsOf: capture, encoding: .utf8)) ?? ""
        guard p.terminationStatus == 0 else {
            throw GridwallError(.io, "\((tool as NSString).lastPathComponent) failed: \(text.suffix(800))")
        }
        return text
    }
}
