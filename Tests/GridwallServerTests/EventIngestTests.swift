// POST /events end to end: durable and answered with the assignment, visible at once in
// GET /events/{id}, /heatmap and /stream; idempotent by id; all or nothing per batch.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore
import GridwallServer
import GridwallStore

@Suite(.serialized) struct EventIngestTests {
    /// Positions of stored sample events that lie in a grid (new events go where real ones were).
    func gridPositions(_ store: GeoStore, _ n: Int) throws -> [Coordinate] {
        let events = try store.analysisEvents().events.filter { $0.gridID != nil }
        return (0..<n).map { events[($0 * 7919) % events.count].position }
    }

    func post(_ base: URL, _ body: String, type: String = "application/json", path: String = "/events") async throws -> (Int, JSONValue, HTTPURLResponse) {
        let (status, data, response) = try await exchange(base, "POST", path, body: Data(body.utf8), headers: ["Content-Type": type])
        return (status, try JSONValue.parse(data), response)
    }

    func eventCount(_ store: GeoStore) throws -> Int { try store.layerSummaries().first { $0.name == "events" }!.count }

    @Test func aSingleFeatureIsAssignedStoredAndSeenEverywhere() async throws {
        try await withTestServer { server in
            let p = try gridPositions(server.store, 1)[0]
            let stream = try RawHTTP.openStream(port: server.base.port!, "/stream?types=event")
            await stream.read { String(decoding: $0, as: UTF8.self).contains("retry:") }
            let feature = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[\#(p.x),\#(p.y)]},"properties":{"id":"live-1","time":"2030-01-01T08:00:00Z","category":"fire_hazard","source":"hotline_12345","severity":3,"caller":"Mrs Wang"}}"#
            let (status, answer, response) = try await post(server.base, feature)
            #expect(status == 201)
            #expect(response.value(forHTTPHeaderField: "Gridwall-Stored") == "1")
            // The grid chain is /assign's for the same point.
            let (_, assigned, _) = try await exchange(server.base, "GET", "/assign?lon=\(p.x)&lat=\(p.y)")
            let expected = try JSONValue.parse(assigned)
            for key in ["grid", "community", "street", "district", "building"] { #expect(answer[key] == expected[key], "\(key)") }
            #expect(answer["grid"] != .null)
            // Three nearest available responders of the kinds fire hazards call for.
            let responders = answer["responders"]?.arrayValue ?? []
            #expect(!responders.isEmpty && responders.count <= 3)
            #expect(responders.allSatisfy { ["fire", "grid_worker"].contains($0["kind"]?.stringValue ?? "") && $0["status"] == .string("available") })
            let distances = responders.compactMap { $0["distance_m"]?.doubleValue }
            #expect(distances == distances.sorted())

            // On disk, with its status history.
            let (got, detail, _) = try await exchange(server.base, "GET", "/events/live-1")
            let event = try JSONValue.parse(detail)
            #expect(got == 200 && event["category"] == .string("fire_hazard") && event["grid_id"] == expected["grid"]?["id"])
            #expect(event["history"]?.arrayValue?.first?["status"] == .string("reported"))
            #expect(event["assignment"]?["grid"] == expected["grid"])
            // In the heatmap of its hour.
            let (_, heat, _) = try await exchange(server.base, "GET", "/heatmap?by=grid&from=2030-01-01T08:00:00Z&to=2030-01-01T09:00:00Z")
            let counts = try JSONValue.parse(heat)["features"]?.arrayValue?.compactMap { $0["properties"]?["count"]?.doubleValue } ?? []
            #expect(counts.reduce(0, +) == 1)
            // On the stream opened before.
            await stream.read { String(decoding: $0, as: UTF8.self).contains("live-1") }
            let message = try #require(stream.events.first { $0.type == "event" })
            let data = try JSONValue.parse(Data(message.data.utf8))
            #expect(data["id"] == .string("live-1") && data["grid"] == expected["grid"]?["id"])
        }
    }

    /// An event far from the district (swapped or zeroed coordinates) is refused with where it
    /// is and the distance, and nothing of its batch is stored; one just outside every grid is
    /// kept as outside, with its nearest grid.
    @Test func eventsBeyondTheServiceAreaAreRefused() async throws {
        try await withTestServer { server in
            let before = try eventCount(server.store)
            let inside = try gridPositions(server.store, 1)[0]
            func event(_ id: String, _ lon: Double, _ lat: Double) -> String {
                #"{"id":"\#(id)","lon":\#(lon),"lat":\#(lat),"time":"2030-01-01T08:00:00Z","category":"noise"}"#
            }
            // Swapped here makes an impossible latitude, refused as such; the others are far.
            for (lon, lat, says) in [(inside.y, inside.x, "look swapped"), (0.0, 0.0, "km from the service area"),
                                     (-60.0, 0.0, "km from the service area")] {
                let (status, answer, _) = try await post(server.base, "[\(event("ok", inside.x, inside.y)),\(event("far", lon, lat))]")
                let message = answer["error"]?["message"]?.stringValue ?? ""
                let place = answer["error"]?["where"]?.stringValue ?? ""
                #expect(status == 400 && message.contains(says) && place.hasPrefix("events[1]"), "\(status) \(answer)")
            }
            #expect(try eventCount(server.store) == before)
            // 5 km east of the district's box: outside every grid, within the margin.
            let box = try #require(server.services.responders.serviceArea).district
            let near = Coordinate(box.maxX + 5_000 / (111_320 * cos(box.center.y * .pi / 180)), box.center.y)
            let (status, answer, _) = try await post(server.base, event("near", near.x, near.y))
            #expect(status == 201 && answer["placement"] == .string("outside") && answer["nearest_grid"] != nil, "\(answer)")
        }
    }

    /// An id beyond plain ASCII (Chinese, a slash, a space, a question mark) is found at its
    /// percent-encoded URL, as every client sends it, and at the self link the OGC API gives it.
    @Test func idsAreFoundAtTheirPercentEncodedURLs() async throws {
        try await withTestServer { server in
            let p = try gridPositions(server.store, 1)[0]
            let id = "东区/12 号?甲"
            let (status, _, _) = try await post(server.base, #"{"id":"\#(id)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-01T08:00:00Z","category":"noise"}"#)
            #expect(status == 201)
            let encoded = try #require(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let (got, body, _) = try await exchange(server.base, "GET", "/events/\(encoded)")
            #expect(got == 200 && (try? JSONValue.parse(body))?["id"] == .string(id), "\(got)")
            let (item, feature, _) = try await exchange(server.base, "GET", "/collections/events/items/\(encoded)")
            let link = (try? JSONValue.parse(feature))?["links"]?.arrayValue?.first { $0["rel"] == .string("self") }?["href"]?.stringValue
            #expect(item == 200 && link?.hasSuffix("/collections/events/items/\(encoded)") == true, "\(item) \(String(describing: link))")
            let (resolved, _, _) = try await exchange(server.base, "POST", "/events/\(encoded)/resolve")
            #expect(resolved == 200)
        }
    }

    @Test func retriesAreIdempotentAndConflictsNamed() async throws {
        try await withTestServer { server in
            let ps = try gridPositions(server.store, 3)
            let batch = "[" + ps.enumerated().map { i, p in
                #"{"id":"batch-\#(i)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-02T0\#(i):00:00Z","category":"noise"}"#
            }.joined(separator: ",") + "]"
            let before = try eventCount(server.store)
            let (first, answer, _) = try await post(server.base, batch)
            #expect(first == 201 && answer["events"]?.arrayValue?.count == 3)
            #expect(try eventCount(server.store) == before + 3)
            // The same request again: the same answer, nothing stored twice.
            let (again, replay, response) = try await post(server.base, batch)
            #expect(again == 201 && replay == answer)
            #expect(response.value(forHTTPHeaderField: "Gridwall-Duplicates") == "3")
            #expect(try eventCount(server.store) == before + 3)
            // The same id with other content: 409 naming it; the batch stores nothing.
            let changed = "[" + #"{"id":"fresh-1","lon":\#(ps[0].x),"lat":\#(ps[0].y),"time":"2030-01-02T05:00:00Z","category":"noise"},"#
                + #"{"id":"batch-1","lon":\#(ps[1].x),"lat":\#(ps[1].y),"time":"2030-01-02T01:00:00Z","category":"dispute"}]"#
            let (conflict, error, _) = try await post(server.base, changed)
            #expect(conflict == 409 && error["error"]?["where"] == .string("events[1].id"))
            #expect(error["error"]?["message"]?.stringValue?.contains("batch-1") == true)
            #expect(try eventCount(server.store) == before + 3)
            // A lone event (written without a savepoint) the same way: a retry stores nothing,
            // other content under a stored id is a 409 and changes nothing.
            let lone = #"{"id":"lone-1","lon":\#(ps[2].x),"lat":\#(ps[2].y),"time":"2030-01-02T06:00:00Z","category":"noise"}"#
            let (stored, loneAnswer, _) = try await post(server.base, lone)
            let (retried, loneReplay, _) = try await post(server.base, lone)
            #expect(stored == 201 && retried == 201 && loneReplay == loneAnswer)
            let (loneConflict, loneError, _) = try await post(server.base, lone.replacingOccurrences(of: "noise", with: "dispute"))
            #expect(loneConflict == 409 && loneError["error"]?["where"] == .string("body.id"))
            #expect(try eventCount(server.store) == before + 4)
            // One bad event refuses the batch, naming it as the importer would.
            let bad = "[" + #"{"id":"ok-1","lon":\#(ps[0].x),"lat":\#(ps[0].y),"time":"2030-01-02T05:00:00Z","category":"noise"},"#
                + #"{"id":"bad-1","lon":\#(ps[0].x),"lat":\#(ps[0].y),"time":"yesterday","category":"noise"}]"#
            let (rejected, reason, _) = try await post(server.base, bad)
            #expect(rejected == 400 && reason["error"]?["where"] == .string("events[1]"))
            #expect(reason["error"]?["message"]?.stringValue?.contains("ISO 8601") == true)
            // Unknown categories are named with the known ones.
            let (unknown, why, _) = try await post(server.base, #"{"id":"u-1","lon":\#(ps[0].x),"lat":\#(ps[0].y),"time":"2030-01-02T05:00:00Z","category":"ufo"}"#)
            #expect(unknown == 400 && why["error"]?["where"] == .string("body.category"))
            #expect(why["error"]?["message"]?.stringValue?.contains("fire_hazard") == true)
            #expect(try eventCount(server.store) == before + 4)
        }
    }

    @Test func ndjsonFeatureCollectionsAndConcurrentSinglesShareCommits() async throws {
        try await withTestServer { server in
            let ps = try gridPositions(server.store, 200)
            let before = try eventCount(server.store)
            let lines = ps.prefix(10).enumerated().map { i, p in
                #"{"id":"nd-\#(i)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-03T00:00:0\#(i)Z","category":"road_damage"}"#
            }.joined(separator: "\n")
            #expect(try await post(server.base, lines + "\n", type: "application/x-ndjson").0 == 201)
            let collection = #"{"type":"FeatureCollection","features":["# + ps.prefix(5).enumerated().map { i, p in
                #"{"type":"Feature","id":"fc-\#(i)","geometry":{"type":"Point","coordinates":[\#(p.x),\#(p.y)]},"properties":{"time":"2030-01-03T01:00:00Z","category":"noise"}}"#
            }.joined(separator: ",") + "]}"
            #expect(try await post(server.base, collection, type: "application/geo+json").0 == 201)
            let commitsBefore = server.services.ingest.commits.withLock { $0.commits }
            // 100 single events at once: all stored, in fewer commits than requests.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (i, p) in ps.suffix(100).enumerated() {
                    group.addTask {
                        try await post(server.base, #"{"id":"single-\#(i)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-01-04T00:00:00Z","category":"noise"}"#).0
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
            let commits = server.services.ingest.commits.withLock { $0.commits } - commitsBefore
            #expect(commits < 100, "\(commits) commits for 100 concurrent requests")
            #expect(try eventCount(server.store) == before + 115)
            // The analysis counted each once.
            let (_, heat, _) = try await exchange(server.base, "GET", "/heatmap?by=hex&size_m=1000&from=2030-01-01T00:00:00Z")
            let binned = try JSONValue.parse(heat)["features"]?.arrayValue?.compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +)
            #expect(binned == 115)
        }
    }

    /// The server's watcher catches up with the store every two seconds; here it runs without
    /// pause while events come in, and every event is still counted exactly once.
    @Test func catchingUpWhileIngestingCountsEveryEventOnce() async throws {
        try await withTestServer { server in
            let ps = try gridPositions(server.store, 300)
            let watcher = Task.detached {
                while !Task.isCancelled { _ = server.services.catchUp() }
            }
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (i, p) in ps.enumerated() {
                    group.addTask {
                        let body = i % 10 == 0
                            ? "[" + (0..<20).map { k in #"{"id":"w-\#(i)-\#(k)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-03-01T00:00:00Z","category":"noise"}"# }.joined(separator: ",") + "]"
                            : #"{"id":"w-\#(i)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-03-01T00:00:00Z","category":"noise"}"#
                        return try await post(server.base, body).0
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
            watcher.cancel()
            let expected = 270 + 30 * 20
            let (_, heat, _) = try await exchange(server.base, "GET", "/heatmap?by=hex&size_m=1000&from=2030-03-01T00:00:00Z")
            let binned = try JSONValue.parse(heat)["features"]?.arrayValue?.compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +)
            #expect(binned == Double(expected))
            #expect(server.services.heatmaps.analysis.events.count == (try server.store.analysisEvents().events.count))
        }
    }

    /// Commits big enough to be published on the publisher's thread while the writer goes on
    /// (EventIngest.eventsPublishedAside), with a refresh looking at the store all the while:
    /// every event is counted once, and every answer came after its events were in /heatmap.
    @Test func catchingUpWhileBigCommitsArePublishedAside() async throws {
        try await withTestServer { server in
            let ps = try gridPositions(server.store, 10)
            let size = EventIngest.eventsPublishedAside + 100
            let watcher = Task.detached {
                while !Task.isCancelled { _ = server.services.catchUp() }
            }
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (i, p) in ps.enumerated() {
                    group.addTask {
                        let body = "[" + (0..<size).map { k in #"{"id":"big-\#(i)-\#(k)","lon":\#(p.x),"lat":\#(p.y),"time":"2030-04-01T00:00:00Z","category":"noise"}"# }
                            .joined(separator: ",") + "]"
                        let status = try await post(server.base, body).0
                        // Answered: this request's events are all in the analysis already.
                        let counted = server.services.heatmaps.analysis.events.ids.filter { $0.hasPrefix("big-\(i)-") }.count
                        #expect(counted == size, "request \(i): \(counted) of \(size) events in the analysis when answered")
                        return status
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
            watcher.cancel()
            let (_, heat, _) = try await exchange(server.base, "GET", "/heatmap?by=hex&size_m=1000&from=2030-04-01T00:00:00Z")
            let binned = try JSONValue.parse(heat)["features"]?.arrayValue?.compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +)
            #expect(binned == Double(ps.count * size))
            #expect(server.services.heatmaps.analysis.events.count == (try server.store.analysisEvents().events.count))
        }
    }

    @Test func statusHistoryRecordsDispatchAndResolution() async throws {
        try await withTestServer { server in
            let p = try gridPositions(server.store, 1)[0]
            let started = Int64(Date().timeIntervalSince1970)
            for id in ["h-1", "h-2"] {
                #expect(try await post(server.base, #"{"id":"\#(id)","lon":\#(p.x),"lat":\#(p.y),"time":"2026-01-01T00:00:00Z","category":"noise"}"#).0 == 201)
            }
            let (_, near, _) = try await exchange(server.base, "GET", "/nearest?lon=\(p.x)&lat=\(p.y)&k=1")
            let responder = try #require(try JSONValue.parse(near)["results"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(try await post(server.base, #"{"responders":["\#(responder)"]}"#, path: "/events/h-1/dispatch").0 == 200)
            #expect(try await post(server.base, "{}", path: "/events/h-1/resolve").0 == 200)
            // Resolved without anyone sent: the resolution still has its own time.
            #expect(try await post(server.base, "{}", path: "/events/h-2/resolve").0 == 200)
            func history(_ id: String) async throws -> [JSONValue] {
                try JSONValue.parse(try await exchange(server.base, "GET", "/events/\(id)").1)["history"]?.arrayValue ?? []
            }
            let one = try await history("h-1")
            #expect(one.map { $0["status"]?.stringValue } == ["reported", "dispatched", "resolved"])
            #expect(one[1]["responders"] == .array([.string(responder)]) && one[2]["responders"] == .array([.string(responder)]))
            let two = try await history("h-2")
            #expect(two.map { $0["status"]?.stringValue } == ["reported", "resolved"])
            let resolvedAt = try #require(two.last?["time"]?.stringValue.flatMap(ISOTime.parse))
            #expect(Int64(resolvedAt) >= started, "resolved at \(two.last?["time"] ?? .null), before the test began")
        }
    }

    @Test func eventsPageByCursorWithFilters() async throws {
        try await withTestServer { server in
            let all = try server.store.analysisEvents().events
            let category = all[0].category
            let expected = Set(all.filter { $0.category == category }.map(\.id))
            var seen: [String] = []
            var path = "/events?category=\(category)&limit=37"
            var pages = 0
            while true {
                let (status, data, _) = try await exchange(server.base, "GET", path)
                #expect(status == 200)
                let page = try JSONValue.parse(data)
                seen += (page["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["id"]?.stringValue }
                pages += 1
                guard let next = page["links"]?.arrayValue?.first(where: { $0["rel"] == .string("next") })?["href"]?.stringValue,
                      let url = URL(string: next) else { break }
                path = url.path + "?" + (url.query ?? "")
                if pages > 10_000 { break }
            }
            #expect(seen.count == expected.count && Set(seen) == expected)
            // Areas filter by the grids under them.
            let grid = try #require(all.first { $0.gridID != nil }?.gridID)
            let (_, data, _) = try await exchange(server.base, "GET", "/events?grid=\(grid)&limit=10000")
            let ids = Set((try JSONValue.parse(data)["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["id"]?.stringValue })
            #expect(ids == Set(all.filter { $0.gridID == grid }.map(\.id)))
            #expect(try await exchange(server.base, "GET", "/events?grid=nowhere").0 == 400)
            #expect(try await exchange(server.base, "GET", "/events?colour=red").0 == 400)
            #expect(try await exchange(server.base, "GET", "/events?from=2026-11-01T00:00:00Z&to=2026-10-01T00:00:00Z").0 == 400)
            #expect(try await exchange(server.base, "GET", "/events/no-such-event").0 == 404)
        }
    }
}
