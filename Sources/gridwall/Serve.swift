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
            let started = Date()
            let assignment = try AssignmentService(store: geoStore)
            logger.info("assignment engine ready", metadata: ["milliseconds": "\(Int(Date().timeIntervalSince(started) * 1000))"])
            var options = ServerOptions()
            options.host = host
            options.port = port
            let responders = try ResponderService(store: geoStore, speeds: travel, serviceMargin: serviceMarginKm * 1000)
            let heatmapsStarted = Date()
            let heatmaps = try HeatmapService(store: geoStore, assignment: assignment)
            logger.info("event analysis ready", metadata: ["events": "\(heatmaps.analysis.events.count)",
                                                           "milliseconds": "\(Int(Date().timeIntervalSince(heatmapsStarted) * 1000))"])
            let app = buildApplication(store: geoStore, assignment: assignment, responders: responders, heatmaps: heatmaps,
                                       options: options, logger: logger)
            // Layers changed by `gridwall import` while serving: rebuild the engine and swap it in.
            let log = logger
            let watcher = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(2))
                    do {
                        let started = Date()
                        if try assignment.reloadIfChanged(from: geoStore) {
                            log.info("layers changed: assignment engine rebuilt", metadata: [
                                "milliseconds": "\(Int(Date().timeIntervalSince(started) * 1000))"])
                        }
                    } catch {
                        log.error("cannot rebuild the assignment engine: \(error)")
                    }
                    do {
                        let started = Date()
                        if let what = try heatmaps.refreshIfChanged(from: geoStore) {
                            log.info("heatmaps caught up with the store: \(what)", metadata: [
                                "milliseconds": "\(Int(Date().timeIntervalSince(started) * 1000))"])
                        }
                    } catch {
                        log.error("cannot update the heatmaps: \(error)")
                    }
                }
            }
            defer { watcher.cancel() }
            // runService stops gracefully on SIGINT and SIGTERM.
            try await app.runService()
            logger.info("stopped")
        }
    }
}
