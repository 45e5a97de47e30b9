// GET /stream: Server-Sent Events of new events, status changes and responder moves, with
// filters, resumable with Last-Event-ID over the hub's replay window.
import Foundation
import GridwallCore
import Hummingbird
import HTTPTypes

enum StreamRoutes {
    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        routes.get("/stream", tag: "stream",
                   "Server-Sent Events: event (new events with their assignment), status (dispatch, resolution), responder (moves and status)",
                   parameters: [
                    .query("types", "Message types, comma-separated: event, status, responder (default all)"),
                    .query("bbox", "minLon,minLat,maxLon,maxLat: only messages located inside"),
                    .query("category", "Event categories, comma-separated"),
                    .query("area", "Grid, community or street ids, comma-separated"),
                    ParameterDoc(name: "Last-Event-ID", place: .header, type: "string", required: false,
                                 description: "Resume after this message (replayed from the recent window; a reset message says when that is not possible)"),
                   ], answers: "text/event-stream", statuses: [503]) { request, _ in
            let q = Query(request)
            var filter = StreamFilter()
            if let types = q.list("types") {
                filter.kinds = Set(try types.map { t in
                    guard let kind = StreamMessage.Kind(rawValue: t), kind != .ping else {
                        throw GridwallError(.invalidParameter, "unknown type \"\(t)\"; types: event, status, responder", at: "types")
                    }
                    return kind
                })
            }
            if let text = q.string("bbox") { filter.bbox = try parseBBox(text) }
            if let list = q.list("category") {
                for c in list { _ = try s.options.categories.kinds(for: c, at: "category") }
                filter.categories = Set(list)
            }
            if let list = q.list("area") {
                let snapshot = s.assignment.snapshot
                for id in list where snapshot.areas[id] == nil { throw GridwallError(.invalidParameter, "no area \"\(id)\"", at: "area") }
                filter.areas = Set(list)
            }
            let lastID = request.headers[HTTPField.Name("Last-Event-ID")!]
            let hub = s.hub
            let subscription = try hub.subscribe(filter, lastEventID: lastID)
            let body = ResponseBody { writer in
                defer { hub.unsubscribe(subscription.id) }
                var head = "retry: 2000\n\n"
                if subscription.gap {
                    head += "event: reset\ndata: {\"message\":\"messages after Last-Event-ID are no longer all kept; read the current state again\"}\n\n"
                }
                try await writer.write(ByteBuffer(string: head))
                for m in subscription.replay { try await writer.write(ByteBuffer(string: frame(m, hub))) }
                for await m in subscription.stream { try await writer.write(ByteBuffer(string: frame(m, hub))) }
                if subscription.client.dropped.withLock({ $0 }) {
                    try await writer.write(ByteBuffer(string: "event: dropped\ndata: {\"message\":\"this client fell \(hub.clientBuffer) messages behind and was dropped; reconnect with Last-Event-ID\"}\n\n"))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }

    /// One message in the event-stream format (pings are comments, to keep proxies and
    /// the connection check alive).
    static func frame(_ m: StreamMessage, _ hub: EventHub) -> String {
        m.kind == .ping ? ": ping\n\n" : "id: \(hub.eventID(m))\nevent: \(m.kind.rawValue)\ndata: \(m.data)\n\n"
    }
}
