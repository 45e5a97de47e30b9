// GET /stream: filters, resumption with Last-Event-ID, and a stalled client that can neither
// slow ingest down nor make the server hold more than its buffer.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore
import GridwallServer
import GridwallStore

@Suite(.serialized) struct StreamTests {
    func batch(_ positions: [Coordinate], prefix: String, category: (Int) -> String = { _ in "noise" }) -> Data {
        Data(("[" + positions.enumerated().map { i, p in
            #"{"id":"\#(prefix)-\#(i)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-02-01T00:00:00Z","category":"\#(category(i))"}"#
        }.joined(separator: ",") + "]").utf8)
    }

    func positions(_ store: GeoStore, _ n: Int) throws -> [Coordinate] {
        let events = try store.analysisEvents().events
        return (0..<n).map { events[($0 * 7919) % events.count].position }
    }

    @Test func filtersAndResumptionWithLastEventID() async throws {
        try await withTestServer { server in
            let port = server.base.port!
            let ps = try positions(server.store, 40)
            let noiseOnly = try RawHTTP.openStream(port: port, "/stream?category=noise")
            let everything = try RawHTTP.openStream(port: port, "/stream")
            for c in [noiseOnly, everything] { await c.read { String(decoding: $0, as: UTF8.self).contains("retry:") } }
            let body = batch(Array(ps.prefix(20)), prefix: "a") { $0 % 2 == 0 ? "noise" : "dispute" }
            #expect(try await exchange(server.base, "POST", "/events", body: body).0 == 201)
            await everything.read { d in String(decoding: d, as: UTF8.self).components(separatedBy: "event: event").count > 20 }
            await noiseOnly.read { d in String(decoding: d, as: UTF8.self).components(separatedBy: "event: event").count > 10 }
            let all = everything.events.filter { $0.type == "event" }
            #expect(all.count == 20)
            #expect(noiseOnly.events.filter { $0.type == "event" }.count == 10)
            #expect(noiseOnly.events.allSatisfy { $0.type != "event" || $0.data.contains(#""category":"noise""#) })

            // Come back after the 5th message: the 15 after it are replayed, then the live ones.
            let fifth = try #require(all[4].id)
            #expect(try await exchange(server.base, "POST", "/events", body: batch(Array(ps.suffix(20)), prefix: "b")).0 == 201)
            let resumed = try RawHTTP.openStream(port: port, "/stream?types=event", headers: ["Last-Event-ID": fifth])
            await resumed.read { d in String(decoding: d, as: UTF8.self).components(separatedBy: "event: event").count > 35 }
            let replayed = resumed.events.filter { $0.type == "event" }.map { try? JSONValue.parse(Data($0.data.utf8))["id"]?.stringValue }
            #expect(replayed == (5..<20).map { "a-\($0)" } + (0..<20).map { "b-\($0)" })
            // An id from another run (or too old) gets a reset message first.
            let stale = try RawHTTP.openStream(port: port, "/stream", headers: ["Last-Event-ID": "zzz-1"])
            await stale.read { String(decoding: $0, as: UTF8.self).contains("event: reset") }
            #expect(stale.events.first?.type == "reset")
            #expect(try await exchange(server.base, "GET", "/stream?types=gossip").0 == 400)
            #expect(try await exchange(server.base, "GET", "/stream?area=nowhere").0 == 400)
        }
    }

    /// The stream takes so many clients at once; the next hears 503 (busy) until one goes away.
    @Test func theStreamTakesABoundedNumberOfClients() async throws {
        try await withTestServer(options: { $0.streamClients = 2 }) { server in
            let port = server.base.port!
            let first = try RawHTTP.openStream(port: port, "/stream")
            var second: RawHTTP? = try RawHTTP.openStream(port: port, "/stream?types=event")
            for c in [first, second!] { await c.read { String(decoding: $0, as: UTF8.self).contains("retry:") } }
            let (status, body, _) = try await exchange(server.base, "GET", "/stream")
            let error = try JSONValue.parse(body)["error"]
            #expect(status == 503 && error?["code"] == .string("busy") && error?["message"]?.stringValue?.contains("2 clients") == true, "\(status)")
            // One leaves; the server notices when it next writes to it (an event here).
            second = nil
            let ps = try positions(server.store, 1)
            var reopened: RawHTTP?
            for round in 0..<50 where reopened == nil {
                #expect(try await exchange(server.base, "POST", "/events", body: batch(ps, prefix: "leave-\(round)")).0 == 201)
                try await Task.sleep(for: .milliseconds(100))
                if try await exchange(server.base, "GET", "/health").0 == 200, server.services.hub.clientCounts.connected < 2 {
                    reopened = try RawHTTP.openStream(port: port, "/stream")
                }
            }
            let again = try #require(reopened)
            await again.read { String(decoding: $0, as: UTF8.self).contains("retry:") }
            #expect(again.text.hasPrefix("HTTP/1.1 200"), "\(again.text.prefix(100))")
            _ = first
        }
    }

    /// A client that never reads, held open while 100,000 events come in.
    @Test func aStalledClientIsDroppedAndCostsBoundedMemory() async throws {
        try await withTestServer(options: { $0.streamClientBuffer = 500 }) { server in
            let port = server.base.port!
            let ps = try positions(server.store, 1_000)
            let stalled = try RawHTTP.openStream(port: port, "/stream", receiveBuffer: 4_096)
            let reader = try RawHTTP.openStream(port: port, "/stream?types=status")
            await reader.read { String(decoding: $0, as: UTF8.self).contains("retry:") }
            let rssBefore = residentBytes()
            for round in 0..<100 {
                let (status, _, _) = try await exchange(server.base, "POST", "/events", body: batch(ps, prefix: "r\(round)"))
                #expect(status == 201)
            }
            let grown = residentBytes() - rssBefore
            #expect(try server.store.layerSummaries().first { $0.name == "events" }!.count >= 100_000)
            let counts = server.services.hub.clientCounts
            #expect(counts.dropped >= 1, "the stalled client was not dropped")
            #expect(counts.connected <= 1)
            // Dropped once its buffer and the socket's were full, not after the 100,000 messages:
            // what the server held for it was bounded by the buffer.
            let after = try #require(server.services.hub.droppedAfter.first)
            #expect(after < 10_000, "the stalled client was handed \(after) messages before it was dropped")
            // The events themselves take memory (analysis columns, SQLite cache), and other suites
            // run in this process meanwhile: only a gross leak shows in the resident size.
            #expect(grown < 1 << 30, "resident memory grew by \(grown >> 20) MiB")
            // Reading again, the stalled client finds the reason at the end of what was buffered.
            await stalled.read { String(decoding: $0, as: UTF8.self).contains("event: dropped") }
            #expect(stalled.text.contains("event: dropped"))
        }
    }
}
