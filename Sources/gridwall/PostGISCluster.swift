// A throwaway PostgreSQL 15 + PostGIS cluster for benchmarks: its own folder, port and socket,
// fsync off, no parallel workers (one core, like our single-core figures), removed afterwards.
// The server runs as our own child rather than daemonised by pg_ctl: Foundation's Process
// would otherwise wait forever on the descriptors the daemon inherits.
import Foundation
import GridwallCore

final class PostGISCluster {
    static let bin = "/usr/lib/postgresql/15/bin"
    let dir: String
    let port = Int.random(in: 40_000...60_000)
    private let server = Process()
    private let asRoot = getuid() == 0

    /// nil when PostgreSQL 15 with PostGIS is not installed.
    static func start() throws -> PostGISCluster? {
        guard FileManager.default.isExecutableFile(atPath: "\(bin)/initdb"),
              FileManager.default.fileExists(atPath: "/usr/share/postgresql/15/extension/postgis.control") else { return nil }
        return try PostGISCluster()
    }

    private init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-postgis-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if asRoot { try Self.shell("/bin/chown", ["postgres:postgres", dir]) }
        _ = try run("\(Self.bin)/initdb", ["-D", "\(dir)/data", "-U", "gridwall", "--auth=trust", "-E", "UTF8"])
        let args = ["-D", "\(dir)/data", "-p", "\(port)", "-k", dir, "-c", "listen_addresses=", "-c", "fsync=off",
                    "-c", "synchronous_commit=off", "-c", "shared_buffers=512MB", "-c", "work_mem=256MB",
                    "-c", "max_parallel_workers_per_gather=0"]
        server.executableURL = URL(fileURLWithPath: asRoot ? "/usr/sbin/runuser" : "\(Self.bin)/postgres")
        server.arguments = asRoot ? ["-u", "postgres", "--", "\(Self.bin)/postgres"] + args : args
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        for _ in 0..<100 {
            if (try? run("\(Self.bin)/pg_isready", ["-q", "-h", dir, "-p", "\(port)"])) != nil { return }
            usleep(100_000)
        }
        stop()
        throw GridwallError(.io, "the PostGIS cluster did not start")
    }

    /// Immediate shutdown (SIGQUIT) and removal of the folder.
    func stop() {
        _ = try? run("/bin/sh", ["-c", "kill -QUIT $(head -1 \(dir)/data/postmaster.pid)"])
        if server.isRunning { server.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Writes a file the server may read.
    func file(_ name: String, _ text: String) throws -> String { try file(name, bytes: Array(text.utf8)) }

    /// Writes a file the server may read.
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = "\(dir)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if asRoot { try Self.shell("/bin/chown", ["postgres:postgres", path]) }
        return path
    }

    /// Runs a psql script (stopping at the first error) and returns what it printed.
    func psql(_ script: String) throws -> String {
        let path = try file("script-\(UUID().uuidString).sql", script)
        return try run("/usr/bin/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", "\(port)", "-U", "gridwall",
                                         "-d", "postgres", "-f", path])
    }

    /// The milliseconds of every `\timing` line in psql output, in order.
    static func timings(_ output: String) -> [Double] {
        output.split(separator: "\n").filter { $0.hasPrefix("Time: ") }.compactMap { Double($0.dropFirst(6).split(separator: " ")[0]) }
    }

    /// The milliseconds of the last `\timing` line in psql output.
    static func lastTiming(_ output: String) throws -> Double {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("Time: ") }),
              let milliseconds = Double(line.dropFirst(6).split(separator: " ")[0]) else {
            throw GridwallError(.io, "PostGIS printed no timing: \(output.suffix(500))")
        }
        return milliseconds
    }

    private func run(_ tool: String, _ args: [String]) throws -> String {
        asRoot ? try Self.shell("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + args) : try Self.shell(tool, args)
    }

    /// Runs a tool and returns what it printed (through a file, not a pipe: see above).
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
