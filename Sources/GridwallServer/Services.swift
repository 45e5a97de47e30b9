// Everything the routes read and change, built once per server from the store and the options.
import Foundation
import GridwallCore
import GridwallPROJ
import GridwallStore

/// The live services behind the routes.
public final class GridwallServices: Sendable {
    public let store: GeoStore
    public let options: ServerOptions
    public let assignment: AssignmentService
    public let responders: ResponderService
    public let heatmaps: HeatmapService
    public let hub: EventHub
    public let ingest: EventIngest
    public let authenticator: Authenticator
    public let metrics = ServerMetrics()
    let tiles: TileService

    /// Builds the services from `store` (`progress` hears what each step took, for the start log).
    public init(store: GeoStore, options: ServerOptions, progress: (String, TimeInterval) -> Void = { _, _ in }) throws {
        self.store = store
        self.options = options
        var started = Date()
        func step(_ name: String) {
            progress(name, Date().timeIntervalSince(started))
            started = Date()
        }
        assignment = try AssignmentService(store: store)
        step("assignment engine")
        responders = try ResponderService(store: store, speeds: options.speeds, serviceMargin: options.serviceMargin)
        step("responders")
        heatmaps = try HeatmapService(store: store, assignment: assignment)
        step("event analysis")
        hub = EventHub(replayWindow: options.streamReplay, clientBuffer: options.streamClientBuffer, maximumClients: options.streamClients)
        ingest = EventIngest(store: store, assignment: assignment, heatmaps: heatmaps, hub: hub, categories: options.categories,
                             serviceArea: responders.serviceArea, metrics: metrics)
        authenticator = try Authenticator(store: store, openWhenEmpty: options.isLoopback)
        tiles = TileService(assignment: assignment, responders: responders, heatmaps: heatmaps)
    }

    /// Catches up with changes other processes made to the store (`gridwall import`, `gridwall
    /// token`): returns a line for each thing that changed, with what it took.
    public func catchUp() -> [String] {
        var lines: [String] = []
        func timed(_ what: () throws -> String?) {
            let started = Date()
            do {
                if let line = try what() { lines.append("\(line) (\(Int(Date().timeIntervalSince(started) * 1000)) ms)") }
            } catch {
                lines.append("cannot catch up with the store: \(error)")
            }
        }
        timed { try assignment.reloadIfChanged(from: store) ? "layers changed: assignment engine rebuilt" : nil }
        timed { try heatmaps.refreshIfChanged(from: store).map { "heatmaps caught up with the store: \($0)" } }
        timed { try authenticator.reload() ? "tokens changed: \(authenticator.isOpen ? "no token left, open on loopback" : "reloaded")" : nil }
        return lines
    }
}
