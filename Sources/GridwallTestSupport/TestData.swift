// Paths and loaders shared by the test targets: the repository root, the committed geodata,
// the reference fixtures and the real datasets copied into Tests/Fixtures/realdata.
import Foundation
import GridwallCore

public enum TestData {
    /// The repository root, found from this file's location.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The real public datasets the tests read, committed with their provenance and licences
    /// (Tests/Fixtures/realdata/README.md), so a bare clone runs every test.
    public static let realdata = url("Tests/Fixtures/realdata")

    /// The path of a reference tool (`scripts/setup-debian --tests` installs them), or nil.
    /// Tests that need one say so with `.enabled(if: TestData.tool("ogrinfo") != nil)`, so the
    /// runner reports them as skipped (and `scripts/test` fails) instead of passing silently.
    public static func tool(_ name: String) -> String? {
        ["/usr/bin", "/usr/local/bin"].map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile(atPath:))
    }

    /// The Python with the PyPI reference packages (`scripts/setup-debian --tests` makes it), or nil.
    public static var referencePython: String? {
        let environment = ProcessInfo.processInfo.environment
        let venv = environment["GRIDWALL_REFERENCE_VENV"] ?? (environment["HOME"] ?? "/root") + "/.cache/gridwall/reference-venv"
        let python = venv + "/bin/python"
        return FileManager.default.isExecutableFile(atPath: python) ? python : nil
    }

    /// Runs `executable` to the end (in `directory` when given): its exit status and what it
    /// printed (standard output and error together).
    public static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    /// `run` on a thread of its own: an async test must not block one of the few threads of the
    /// concurrency pool, which a server under test in the same process needs to answer.
    public static func runDetached(_ executable: String, _ arguments: [String], in directory: URL? = nil) async throws -> (status: Int32, output: String) {
        try await detached { try run(executable, arguments, in: directory) }
    }

    /// Runs blocking work on a new thread and awaits its result.
    public static func detached<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }

    /// Features of a GeoJSON file.
    public static func features(_ url: URL) throws -> [Feature] {
        try GeoJSON.features(from: JSONValue.parse(Data(contentsOf: url)))
    }

    /// Rows of a CSV fixture as dictionaries.
    public static func csv(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = try CSV.fields(of: lines[0])
        return try lines.dropFirst().map { line in
            let f = try CSV.fields(of: line)
            return Dictionary(uniqueKeysWithValues: zip(header, f))
        }
    }

    /// The areas of the committed sample district.
    public static func sampleAreas() throws -> [AreaRecord] {
        try features(url("geodata/areas.geojson")).map { f in
            AreaRecord(id: f.properties["id"]!.stringValue!, name: f.properties["name"]?.stringValue ?? "",
                       level: AreaLevel(rawValue: f.properties["level"]!.stringValue!)!,
                       parentID: f.properties["parent_id"]?.stringValue,
                       population: Int(f.properties["population"]?.doubleValue ?? 0), households: Int(f.properties["households"]?.doubleValue ?? 0),
                       geometry: f.geometry)
        }
    }

    /// A seeded generator that says its seed, so a failing random test can be replayed.
    public static func random(_ name: String, seed: UInt64? = nil) -> SeededRandom {
        let s = seed ?? UInt64(ProcessInfo.processInfo.environment["GRIDWALL_TEST_SEED"] ?? "") ?? 0x5EED_2026
        print("\(name): seed \(s) (set GRIDWALL_TEST_SEED to replay)")
        return SeededRandom(seed: s)
    }
}
