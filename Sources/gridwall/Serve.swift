import ArgumentParser
import Foundation
import Hummingbird
import Logging
import GridwallCore
import GridwallPROJ
import GridwallServer
import GridwallStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API; loads the sample district on first start when the store is empty.",
        discussion: """
            Every option can also come from a YAML file (--config; keys store, geodata, host, port, speeds, \
            service_margin_km, body_limit_mb, log_level, and categories: a table of event category → responder kinds) \
            or from the environment (GRIDWALL_PORT, GRIDWALL_SERVICE_MARGIN_KM, …). Flags win over the environment, \
            the environment over the file. Docs/gridwall.example.yaml shows every key.
            """)

    @Option(help: "A YAML configuration file.") var config: String?
    @Option(help: "The store (a GeoPackage, created if missing). Default gridwall.sqlite.") var store: String?
    @Option(help: "Folder with the sample district, loaded when the store is empty. Default geodata.") var geodata: String?
    @Option(help: "Address to bind. Default 127.0.0.1; any other needs a token (gridwall token create).") var host: String?
    @Option(help: "Port to bind. Default 8080.") var port: Int?
    @Option(help: "Travel speeds in metres per second per responder kind for arrival estimates, overriding the urban defaults, e.g. police=10,grid_worker=1.4,default=5.")
    var speeds: String?
    @Option(help: "Kilometres around the district's areas where responder positions are accepted; reports beyond are refused with a 400. Default 20.")
    var serviceMarginKm: Double?
    @Option(help: "The largest request body taken, in MiB (larger ones get a 413). Default 16.") var bodyLimitMb: Int?
    @Option(help: "Log level: trace, debug (one line per request), info, notice, warning, error. Default info.") var logLevel: String?

    /// The file and environment, with the flags given on top.
    func settings() throws -> ServeConfiguration {
        var c = try ServeConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment)
        if let store { c.store = store }
        if let geodata { c.geodata = geodata }
        if let host { c.host = host }
        if let port { c.port = port }
        if let speeds { c.speeds = speeds }
        if let serviceMarginKm { c.serviceMarginKm = serviceMarginKm }
        if let bodyLimitMb { c.bodyLimitMb = bodyLimitMb }
        if let logLevel { c.logLevel = logLevel }
        return c
    }

    func run() async throws {
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "gridwall")
        try await Terminal.reportingErrors {
            let settings = try settings()
            guard let level = Logger.Level(rawValue: settings.logLevel) else {
                throw GridwallError(.invalidParameter, "expected trace, debug, info, notice, warning or error, found \"\(settings.logLevel)\"", at: "log_level")
            }
            logger.logLevel = level
            let options = try settings.serverOptions()
            let geoStore = try GeoStore(path: settings.store)
            if try geoStore.isEmpty() {
                logger.info("store is empty: loading the sample district", metadata: ["geodata": "\(settings.geodata)", "store": "\(settings.store)"])
                let started = Date()
                let log = logger
                _ = try GeodataLoader.load(directory: settings.geodata, into: geoStore) { line in log.info("\(line)") }
                logger.info("sample district loaded", metadata: ["seconds": "\(String(format: "%.1f", Date().timeIntervalSince(started)))"])
            }
            let log = logger
            let services = try GridwallServices(store: geoStore, options: options) { step, seconds in
                log.info("\(step) ready", metadata: ["milliseconds": "\(Int(seconds * 1000))"])
            }
            if !options.isLoopback && services.authenticator.isOpen {
                throw GridwallError(.invalidParameter, "refusing to serve on \(options.host) without tokens: anyone on the network could write events. Create one first (gridwall token create --role admin --name ops), or bind to 127.0.0.1", at: "host")
            }
            if services.authenticator.isOpen {
                logger.notice("no token exists: open to every caller on loopback (gridwall token create --role admin --name … closes it)")
            }
            let app = buildApplication(services, logger: logger)
            // Changes other processes make to the store (`gridwall import`, `gridwall token`):
            // caught up with every two seconds; streams are pinged every sixteen.
            let watcher = Task {
                var round = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(2))
                    for line in services.catchUp() { log.info("\(line)") }
                    round += 1
                    if round % 8 == 0 { services.hub.ping() }
                }
            }
            defer { watcher.cancel() }
            // runService stops gracefully on SIGINT and SIGTERM.
            try await app.runService()
            logger.info("stopped")
        }
    }
}
