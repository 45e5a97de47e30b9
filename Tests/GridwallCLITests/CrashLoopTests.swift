// Nothing acknowledged is ever lost: a load client sends batches and single events while the
// server is killed with SIGKILL at random moments and started again, 20 times. After every
// restart each acknowledged event is in the store and in /heatmap, none is stored twice, and a
// batch that was not acknowledged is either wholly stored or not at all.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing
import GridwallCore
import GridwallTestSupport

@Suite(.serialized) struct CrashLoopTests {
    /// What the load client sent: each request's ids and whether it was acknowledged.
    actor Ledger {
        var acknowledged: [[String]] = []
        var unacknowledged: [[String]] = []
        func record(_ ids: [String], _ ok: Bool) { if ok { acknowledged.append(ids) } else { unacknowledged.append(ids) } }
    }

    func post(_ port: Int, _ body: String) async -> Bool {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/events")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = 10
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 201
    }

    func event(_ id: String, _ p: Coordinate, _ n: Int) -> String {
        #"{"id":"\#(id)","lon":\#(p.x),"lat":\#(p.y),"time":"\#(ISOTime.format(1_924_992_000 + Int64(n)))","category":"noise"}"#
    }

    @Test func acknowledgedEventsSurviveTwentyKills() async throws {
        let dir = try TestData.scratchFolder("crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("gridwall.sqlite").path
        try FileManager.default.copyItem(atPath: CLITests.district.appendingPathComponent("gridwall.sqlite").path, toPath: store)
        let log = dir.appendingPathComponent("serve.log")
        // Positions of the district's own events (inside it).
        let positions = try TestData.csv(CLITests.district.appendingPathComponent("district/events.csv")).prefix(500).compactMap { row -> Coordinate? in
            guard let x = row["lon"].flatMap(Double.init), let y = row["lat"].flatMap(Double.init) else { return nil }
            return Coordinate(x, y)
        }
        var random = TestData.random("crash-loop")
        let ledger = Ledger()
        var serial = 0
        for round in 0..<20 {
            let port = freePort()
            let server = try await startServer(store: store, port: port, log: log)
            try await check(store: store, port: port, ledger: ledger, round: round)
            // Load: 4 clients, each alternating batches of 50 and single events, until the kill.
            let base = serial, positions = positions
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for client in 0..<4 {
                        let first = base + client * 100_000
                        group.addTask {
                            var n = first
                            while !Task.isCancelled {
                                let size = n % 2 == 0 ? 50 : 1
                                let ids = (0..<size).map { "r\(round)-c\(client)-\(n + $0)" }
                                let body = size == 1 ? event(ids[0], positions[n % positions.count], n)
                                    : "[" + ids.enumerated().map { event($1, positions[(n + $0) % positions.count], n + $0) }.joined(separator: ",") + "]"
                                let ok = await post(port, body)
                                await ledger.record(ids, ok)
                                n += size
                                if !ok { return }
                            }
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(random.int(200, 1_200)))
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            await load.value
            serial += 1_000_000
        }
        let port = freePort()
        let server = try await startServer(store: store, port: port, log: log)
        defer { server.terminate(); server.waitUntilExit() }
        try await check(store: store, port: port, ledger: ledger, round: 20)
        let acknowledged = await ledger.acknowledged.count
        #expect(acknowledged > 40, "only \(acknowledged) requests were acknowledged in 20 rounds")
    }

    /// Every acknowledged id stored once and counted by /heatmap; unacknowledged batches whole or absent.
    func check(store: String, port: Int, ledger: Ledger, round: Int) async throws {
        let stored = try await TestData.runDetached("/usr/bin/sqlite3", [store, "SELECT id FROM events WHERE time >= '2031-01-01'"]).output
            .split(separator: "\n").map(String.init)
        let ids = Set(stored)
        #expect(ids.count == stored.count, "round \(round): an event is stored twice")
        for batch in await ledger.acknowledged {
            for id in batch { #expect(ids.contains(id), "round \(round): acknowledged \(id) is missing") }
        }
        for batch in await ledger.unacknowledged {
            let present = batch.filter(ids.contains).count
            #expect(present == 0 || present == batch.count, "round \(round): \(present) of a batch of \(batch.count) stored")
        }
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/heatmap?by=hex&size_m=2000&from=2031-01-01T00:00:00Z")!)
        let counted = try JSONValue.parse(data)["features"]?.arrayValue?.compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +) ?? 0
        #expect(Int(counted) == ids.count, "round \(round): /heatmap counts \(Int(counted)) of \(ids.count) stored events")
    }
}
