// The wall page's files (the page, its script and style, and the map library with its licence),
// shipped as the GridwallServer target's resources and served from memory.
import Foundation
import GridwallAnalysis
import GridwallCore

/// The files under `/wall`, read once: bytes, gzipped bytes and an ETag each.
final class WallAssets: Sendable {
    struct File: Sendable {
        let bytes: [UInt8]
        let gzipped: [UInt8]
        let contentType: String
        let etag: String
    }
    /// Path below /wall/ (e.g. `wall.js`, `vendor/maplibre-gl.js`) to file.
    let files: [String: File]
    /// Where they were read from, or why they could not be (answered on /wall then).
    let origin: Result<URL, GridwallError>

    /// The resource folder SwiftPM puts beside the executable (and the test runner). Found by
    /// hand rather than with `Bundle.module`, whose accessor stops the process when the folder
    /// is missing: a binary copied elsewhere should still serve its API, and say what is missing.
    static func locate() -> Result<URL, GridwallError> {
        let bundle = "Gridwall_GridwallServer.resources"
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["GRIDWALL_WALL_DIR"] { candidates.append(URL(fileURLWithPath: dir)) }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundle).appendingPathComponent("Wall"))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(executable.appendingPathComponent(bundle).appendingPathComponent("Wall"))
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("wall.html").path) { return .success(c) }
        return .failure(GridwallError(.notFound, "the wall page's files are not installed: expected \(bundle)/Wall beside the gridwall executable, or GRIDWALL_WALL_DIR",
                                      at: "path"))
    }

    init(origin: Result<URL, GridwallError> = WallAssets.locate()) {
        self.origin = origin
        var files: [String: File] = [:]
        if case .success(let root) = origin {
            for relative in Self.list(root) {
                guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(relative).path) else { continue }
                let bytes = [UInt8](data)
                let type = Self.contentTypes[(relative as NSString).pathExtension] ?? "application/octet-stream"
                let compressible = !type.hasPrefix("image/")
                files[relative] = File(bytes: bytes, gzipped: compressible ? ((try? Gzip.compress(bytes)) ?? []) : [],
                                       contentType: type, etag: "\"" + TileService.hash(bytes: bytes) + "\"")
            }
        }
        self.files = files
    }

    static let contentTypes = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                               "txt": "text/plain; charset=utf-8", "png": "image/png", "svg": "image/svg+xml"]

    /// Every regular file below `root`, as paths relative to it.
    private static func list(_ root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var out: [String] = []
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out.append(path)
            }
        }
        return out
    }
}
