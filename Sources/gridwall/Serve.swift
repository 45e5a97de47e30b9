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
        abstract: "Serve the HTTP API; loads the sample district on first start when the store is empty.")

    @Option(help: "The store (a GeoPackage, created if missing).") var store = "gridwall.sqlite"
    @Option(help: "Folder with the sample district, loaded when the store is empty.") var geodata = "geodata"
    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind.") var port = 8080
    @Option(help: "Travel speeds in metres per second per responder kind for arrival estimates, overriding the urban defaults, e.g. police=10,grid_worker=1.4,default=5.")
    var speeds: String?
    @Option(help: "Kilometres around the district's areas where responder positions are accepted; reports beyond are refused with a 400.")
    var serviceMarginKm = ResponderService.defaultServiceMargin / 1000
    @Option(help: "The largest request body taken, in MiB (larger ones get a 413).") var bodyLimitMb = ServerOptions.defaultBodyLimit >> 20
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    func run() async throws {
        var logger = Logger(label: "gridwall")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try await Terminal.reportingErrors {
            let travel = try speeds.map { try TravelSpeeds.urban.overridden(by: $0) } ?? .urban
            guard serviceMarginKm.isFinite, (0...20_000).contains(serviceMarginKm) else {
                throw GridwallError(.invalidParameter, "expected kilometres from 0 to 20000, found \(serviceMarginKm)", at: "--service-margin-km")
            }
            let geoStore = try GeoStore(path: store)
            if try geoStore.isEmpty() {
                logger.info("store is empty: loading the sample district", metadata: ["geodata": "\(geodata)", "store": "\(store)"])
                let started = Date()
                let log = logger
                _ = try GeodataLoader.load(directory: geodata, into: geoStore) { line in log.info("\(line)") }
                logger.info("sample district loaded", metadata: ["seconds": "\(String(format: "%.1f", Date().timeIntervalSince(started)))"])
            }
            var options = ServerOptions()
            options.host = host
            options.port = port
            options.speeds = travel
            options.serviceMargin = serviceMarginKm * 1000
            guard (1...1024).contains(bodyLimitMb) else {
                throw GridwallError(.invalidParameter, "expected 1 to 1024 MiB, found \(bodyLimitMb)", at: "--body-limit-mb")
            }
            options.bodyLimit = bodyLimitMb << 20
            let log = logger
            let services = try GridwallServices(store: geoStore, options: options) { step, seconds in
                log.info("\(step) ready", metadata: ["milliseconds": "\(Int(seconds * 1000))"])
            }
            if !options.isLoopback && services.authenticator.isOpen {
                throw GridwallError(.invalidParameter, "refusing to serve on \(host) without tokens: anyone on the network could write events. Create one first (gridwall token create --role admin --name ops), or bind to 127.0.0.1", at: "--host")
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
