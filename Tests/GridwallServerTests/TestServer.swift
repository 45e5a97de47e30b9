// A real server on a free port over a small generated district, for the HTTP tests.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import Testing
import GridwallCore
import GridwallSample
import GridwallServer
import GridwallStore
import GridwallTestSupport

/// A running test server.
struct TestServer {
    let base: URL
    let store: GeoStore
    let services: GridwallServices
    /// The folder holding the store and the generated layers.
    let folder: URL
}

/// Generates a small district, loads it into a fresh store (`prepare` may change it first),
/// serves it on a free port, runs `body`, stops.
func withTestServer(options change: (inout ServerOptions) -> Void = { _ in }, prepare: (GeoStore) throws -> Void = { _ in },
                    _ body: (TestServer) async throws -> Void) async throws {
    let dir = try TestData.scratchFolder("server")
    defer { try? FileManager.default.removeItem(at: dir) }
    try SampleDistrict.generate(.small()).write(to: dir)
    let store = try GeoStore(path: dir.appendingPathComponent("gridwall.sqlite").path)
    _ = try GeodataLoader.load(directory: dir.path, into: store)
    try prepare(store)
    // Port 0: the system gives a free port, and the server says which once it listens.
    let (ports, listening) = AsyncStream.makeStream(of: Int.self)
    var options = ServerOptions()
    options.port = 0
    options.onListening = { port in listening.yield(port); listening.finish() }
    change(&options)
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let services = try GridwallServices(store: store, options: options)
    let app = buildApplication(services, logger: logger)
    let task = Task { try await app.run() }
    defer { task.cancel() }
    var iterator = ports.makeAsyncIterator()
    let port = try #require(await iterator.next(), "the server did not start")
    try await body(TestServer(base: URL(string: "http://127.0.0.1:\(port)")!, store: store, services: services, folder: dir))
}

/// One HTTP exchange: status, body, headers.
func exchange(_ base: URL, _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> (Int, Data, HTTPURLResponse) {
    var request = URLRequest(url: URL(string: base.absoluteString + path)!)
    request.httpMethod = method
    request.httpBody = body
    if body != nil && headers["Content-Type"] == nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    return (http.statusCode, data, http)
}
