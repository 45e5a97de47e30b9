// `gridwall serve` as a child process on a free port, for the tests that need a real server
// beside the command-line tool (crash loop, exports compared with live tiles).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import GridwallCore
import GridwallTestSupport

/// A free TCP port on loopback.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Starts `gridwall serve` and waits until it answers /health.
func startServer(store: String, port: Int, log: URL) async throws -> Process {
    let p = Process()
    p.executableURL = CLITests.binary
    p.arguments = ["serve", "--store", store, "--port", String(port), "--log-level", "warning"]
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    handle.seekToEndOfFile()
    p.standardOutput = handle
    p.standardError = handle
    try p.run()
    for _ in 0..<600 {
        if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!),
           (response as? HTTPURLResponse)?.statusCode == 200 { return p }
        try await Task.sleep(for: .milliseconds(50))
    }
    p.terminate()
    throw GridwallError(.io, "the server did not start: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).suffix(2000))")
}

/// Runs `body` with a copy of the shared district's store in a folder of its own, served by
/// `gridwall serve` on a free port; the server stops and the folder goes when `body` ends.
func withServedDistrictCopy(_ name: String, _ body: (_ dir: URL, _ port: Int) async throws -> Void) async throws {
    let dir = try TestData.scratchFolder(name)
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.copyItem(at: CLITests.district.appendingPathComponent("gridwall.sqlite"), to: dir.appendingPathComponent("gridwall.sqlite"))
    let port = freePort()
    let server = try await startServer(store: dir.appendingPathComponent("gridwall.sqlite").path, port: port,
                                       log: dir.appendingPathComponent("\(name)-serve.log"))
    defer { server.terminate(); server.waitUntilExit() }
    try await body(dir, port)
}
