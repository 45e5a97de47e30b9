// The live stream behind GET /stream: every new event, status change and responder move goes
// to the clients whose filters it passes, and into a bounded replay window for clients that
// come back with Last-Event-ID.
//
// Publishing never waits for a client: each client has a bounded buffer, and one that falls a
// whole buffer behind is dropped (it is told why when it reads again, and may reconnect with
// Last-Event-ID). So a stalled client can neither slow ingest nor grow the server's memory:
// at most `clientBuffer` messages per client and `replayWindow` in all are held, and at most
// `maximumClients` clients are taken (the next is told to try later).
import Foundation
import GridwallCore

/// One message of the stream.
public struct StreamMessage: Sendable {
    /// event (a new event), status (an event's status changed), responder (a move or status change).
    public enum Kind: String, Sendable, CaseIterable {
        case event, status, responder
        /// Keeps idle connections alive, and finds clients that went away; not numbered or kept.
        case ping
    }

    public var kind: Kind
    /// Position in the stream (ids are "<epoch>-<sequence>").
    public var sequence: UInt64 = 0
    /// What does not change once the message is made, in one box: a message is copied into the
    /// replay window and to every client, and copying four references (each retained) took 5 %
    /// of batch ingest's samples in a profile; the box is one (four A/B pairs: 2–3 % less CPU
    /// per event on average, within the loads' noise).
    private let content: Content

    private final class Content: Sendable {
        let data: String
        let position: Coordinate?
        let category: String?
        let areas: [String]
        init(data: String, position: Coordinate?, category: String?, areas: [String]) {
            self.data = data; self.position = position; self.category = category; self.areas = areas
        }
    }

    /// The JSON payload.
    public var data: String { content.data }
    /// For filters: where, what category, which areas (grid, community, street ids).
    public var position: Coordinate? { content.position }
    public var category: String? { content.category }
    public var areas: [String] { content.areas }

    public init(kind: Kind, data: String, position: Coordinate? = nil, category: String? = nil, areas: [String] = []) {
        self.kind = kind
        content = Content(data: data, position: position, category: category, areas: areas)
    }
}

/// What a client wants to see.
public struct StreamFilter: Sendable {
    public var kinds: Set<StreamMessage.Kind> = [.event, .status, .responder]
    public var bbox: BoundingBox?
    public var categories: Set<String>?
    public var areas: Set<String>?
    public init() {}

    func passes(_ m: StreamMessage) -> Bool {
        if m.kind == .ping { return true }
        guard kinds.contains(m.kind) else { return false }
        if let bbox { guard let p = m.position, bbox.contains(p) else { return false } }
        if let categories, m.kind != .responder { guard let c = m.category, categories.contains(c) else { return false } }
        if let areas, m.kind != .responder { guard m.areas.contains(where: areas.contains) else { return false } }
        return true
    }
}

/// Fans stream messages out to the connected clients.
public final class EventHub: Sendable {
    /// Messages kept for Last-Event-ID resumption.
    public let replayWindow: Int
    /// Messages a client may fall behind before it is dropped.
    public let clientBuffer: Int
    /// Clients connected at once.
    public let maximumClients: Int
    /// Distinguishes this run's sequence numbers from an earlier run's.
    public let epoch: String

    final class Client: Sendable {
        let filter: StreamFilter
        let continuation: AsyncStream<StreamMessage>.Continuation
        /// Set when the client fell a whole buffer behind.
        let dropped = Locked(false)
        /// Messages handed to it (for the record of when slow clients were dropped).
        let delivered = Locked(0)
        init(filter: StreamFilter, continuation: AsyncStream<StreamMessage>.Continuation) {
            self.filter = filter; self.continuation = continuation
        }
    }

    private struct State: Sendable {
        var next: UInt64 = 1
        var recent: [StreamMessage] = []   // a ring of the last `replayWindow` messages
        var start = 0                      // index of the oldest in `recent`
        var clients: [UInt64: Client] = [:]
        var nextClient: UInt64 = 1
        var droppedClients = 0
        /// How many messages each dropped client had been handed (the last 100).
        var droppedAfter: [Int] = []
    }
    private let state = Locked(State())

    public init(replayWindow: Int = 10_000, clientBuffer: Int = 1_000, maximumClients: Int = 500) {
        self.replayWindow = max(1, replayWindow)
        self.clientBuffer = max(1, clientBuffer)
        self.maximumClients = max(1, maximumClients)
        epoch = String(UInt32(truncatingIfNeeded: UInt64(Date().timeIntervalSince1970 * 1000)), radix: 36)
    }

    /// Numbers the messages, keeps them for replay and hands each to the clients it is for.
    public func publish(_ messages: [StreamMessage]) {
        guard !messages.isEmpty else { return }
        state.withLock { s in
            for var m in messages {
                m.sequence = s.next
                s.next += 1
                if s.recent.count < replayWindow {
                    s.recent.append(m)
                } else {
                    s.recent[s.start] = m
                    s.start = (s.start + 1) % replayWindow
                }
                for (id, client) in s.clients where client.filter.passes(m) { Self.deliver(m, to: id, client, &s) }
            }
        }
    }

    /// Hands `m` to a client; one whose buffer is full is dropped (never waited for).
    private static func deliver(_ m: StreamMessage, to id: UInt64, _ client: Client, _ s: inout State) {
        guard case .dropped = client.continuation.yield(m) else {
            client.delivered.withLock { $0 += 1 }
            return
        }
        client.dropped.withLock { $0 = true }
        client.continuation.finish()
        s.clients[id] = nil
        s.droppedClients += 1
        s.droppedAfter.append(client.delivered.withLock { $0 })
        if s.droppedAfter.count > 100 { s.droppedAfter.removeFirst() }
    }

    /// Sends a ping to every client: an idle connection stays open, and a closed one is
    /// noticed (writing to it fails) and forgotten.
    public func ping() {
        state.withLock { s in
            for (id, client) in s.clients { Self.deliver(StreamMessage(kind: .ping, data: ""), to: id, client, &s) }
        }
    }

    /// A new client: the messages after `lastEventID` it missed (nil when it has none, or
    /// `gap` when they are no longer all kept), then everything from now on. Throws `busy`
    /// when `maximumClients` are connected.
    func subscribe(_ filter: StreamFilter, lastEventID: String?) throws -> (replay: [StreamMessage], gap: Bool, client: Client, stream: AsyncStream<StreamMessage>, id: UInt64) {
        let (stream, continuation) = AsyncStream.makeStream(of: StreamMessage.self, bufferingPolicy: .bufferingOldest(clientBuffer))
        let client = Client(filter: filter, continuation: continuation)
        return try state.withLock { s in
            guard s.clients.count < maximumClients else {
                throw GridwallError(.busy, "the stream has \(maximumClients) clients, as many as it takes; try again later", at: "stream")
            }
            var replay: [StreamMessage] = [], gap = false
            if let lastEventID {
                let parts = lastEventID.split(separator: "-")
                let oldest = s.recent.isEmpty ? s.next : s.recent[s.start].sequence
                if parts.count == 2, parts[0] == epoch, let seen = UInt64(parts[1]), seen < s.next {
                    gap = seen + 1 < oldest
                    for k in 0..<s.recent.count {
                        let m = s.recent[(s.start + k) % s.recent.count]
                        if m.sequence > seen && filter.passes(m) { replay.append(m) }
                    }
                } else {
                    gap = true
                }
            }
            let id = s.nextClient
            s.nextClient += 1
            s.clients[id] = client
            return (replay, gap, client, stream, id)
        }
    }

    /// Forgets a client that went away.
    func unsubscribe(_ id: UInt64) {
        state.withLock { s in
            s.clients[id]?.continuation.finish()
            s.clients[id] = nil
        }
    }

    /// How many messages each recently dropped client had been handed before it was dropped.
    public var droppedAfter: [Int] { state.withLock { $0.droppedAfter } }

    /// The connected clients, and how many were dropped for falling behind since the start.
    public var clientCounts: (connected: Int, dropped: Int) { state.withLock { ($0.clients.count, $0.droppedClients) } }

    /// The id a message goes out with.
    func eventID(_ m: StreamMessage) -> String { "\(epoch)-\(m.sequence)" }
}
