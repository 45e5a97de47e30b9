// The service about itself: health, layer counts and metrics.
import Foundation
import GridwallCore
import Hummingbird

enum AdminRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.add(.get, "/health", role: nil, tag: "operations", "Whether the server is up (no token needed)") { _, _ in
            json(.object(["status": .string("ok")]))
        }
        routes.get("/layers", tag: "operations", "Each layer's feature count and extent") { _, _ in
            let layers = try s.store.layerSummaries()
            return json(.object(["layers": .array(layers.map { l in
                .object(["name": .string(l.name), "count": .number(Double(l.count)),
                         "bbox": l.bbox.map { .array($0.map(JSONValue.number)) } ?? .null])
            })]))
        }
        routes.get("/metrics", tag: "operations", "Prometheus metrics: requests and latency per route and status, ingest, stream clients, index and analysis sizes",
                   answers: "text/plain; version=0.0.4") { _, _ in
            recordGauges(s)
            var buffer = ByteBuffer()
            buffer.writeString(s.metrics.text())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: buffer))
        }
    }
}

extension AdminRoutes {
    /// The figures read when scraped rather than counted as they happen.
    static func recordGauges(_ s: GridwallServices) {
        let m = s.metrics
        let snapshot = s.assignment.snapshot
        m.gauge("gridwall_index_features", Double(snapshot.engine.grids.count), [("layer", "grids")])
        m.gauge("gridwall_index_features", Double(snapshot.engine.buildingIDs.count), [("layer", "buildings")])
        m.gauge("gridwall_index_features", Double(snapshot.visibility.cameras.count), [("layer", "cameras")])
        m.gauge("gridwall_index_features", Double(s.responders.registry.snapshot.count), [("layer", "responders")])
        m.gauge("gridwall_analysis_events", Double(s.heatmaps.reading { $0.events.count }))
        let clients = s.hub.clientCounts
        m.gauge("gridwall_stream_clients", Double(clients.connected))
        m.gauge("gridwall_stream_clients_dropped", Double(clients.dropped))
        m.gauge("gridwall_process_resident_bytes", Double(residentBytes()))
    }
}
