// Pages of a layer larger than the count budget: the rows past a page are read only within
// `FeatureQuery.countBudget`, so the count is left incomplete (the OGC route then leaves out
// numberMatched, as the standard allows) until the page is near the end, where it is exact;
// the next links alone walk every match, and /events' cursor pages know whether more follow.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import GridwallCore
import GridwallStore

@Suite struct FeaturePagingTests {
    func get(_ server: TestServer, _ path: String) async throws -> JSONValue {
        let (status, data, _) = try await exchange(server.base, "GET", path)
        #expect(status == 200, "\(path): \(String(decoding: data, as: UTF8.self).prefix(300))")
        return (try? JSONValue.parse(data)) ?? .null
    }

    func hasNext(_ page: JSONValue) -> Bool { page["links"]?.arrayValue?.contains { $0["rel"] == .string("next") } == true }

    @Test func aLargeLayersPagesCountOnlyNearTheirEnd() async throws {
        try await withTestServer { server in
            // The store's pages with a budget far below its events, as the route's is below a
            // large store's (FeatureRoutes.countBudget).
            let total = try server.store.analysisEvents().events.count
            try #require(total > 1_000)
            func page(offset: Int, budget: Int = 100) throws -> GridwallStore.FeaturePage {
                var q = FeatureQuery(layer: .events); q.limit = 10; q.offset = offset; q.countBudget = budget
                return try server.store.features(q)
            }
            let first = try page(offset: 0)
            #expect(!first.complete && first.more && first.features.count == 10)
            let nearEnd = try page(offset: total - 15)
            #expect(nearEnd.complete && nearEnd.matched == total && nearEnd.more && nearEnd.features.count == 10)
            let last = try page(offset: total - 5)
            #expect(last.complete && last.matched == total && !last.more && last.features.count == 5)
            let cursor = try page(offset: 0, budget: 0)
            #expect(!cursor.complete && cursor.more && cursor.features.map(\.properties) == first.features.map(\.properties))
            // Through the route (the store is within its budget): numberMatched exact, the next
            // links walk every event once.
            var seen = Set<String>(), next: String? = "/collections/events/items?limit=1000"
            while let path = next {
                let body = try await get(server, path)
                #expect(body["numberMatched"] == .number(Double(total)))
                for f in body["features"]?.arrayValue ?? [] { if let id = f["id"]?.stringValue { seen.insert(id) } }
                next = body["links"]?.arrayValue?.first { $0["rel"] == .string("next") }?["href"]?.stringValue
                    .map { String($0.dropFirst(server.base.absoluteString.count)) }
            }
            #expect(seen.count == total)
            // /collections: each extent from the store's bounds, the events' time range.
            let collections = try await get(server, "/collections")
            let events = try #require(collections["collections"]?.arrayValue?.first { $0["id"] == .string("events") })
            let bbox = events["extent"]?["spatial"]?["bbox"]?.arrayValue?.first?.arrayValue?.compactMap(\.doubleValue)
            #expect(bbox == (try server.store.extent(of: .events)) && bbox?.count == 4)
            let times = try server.store.analysisEvents().events.map(\.time)
            #expect(events["extent"]?["temporal"]?["interval"]?.arrayValue?.first
                     == .array([.string(ISOTime.format(times.min()!)), .string(ISOTime.format(times.max()!))]))
            // /events: cursor pages, no count, a next link while events follow.
            let list = try await get(server, "/events?limit=10")
            #expect(list["numberReturned"] == .number(10) && hasNext(list))
        }
    }

    /// A box query: SQLite leaves out the points outside it (`gridwall_may_meet`), the rest are
    /// tested exactly; the events in the closed box, those on its edges too, and the areas
    /// (polygons, tested after decoding) whose bounds meet it.
    @Test func boxQueriesFindWhatIsInTheBox() async throws {
        try await withTestServer { server in
            let events = try server.store.analysisEvents().events
            let xs = events.map(\.position.x).sorted(), ys = events.map(\.position.y).sorted()
            // A corner on an event's own position: that event lies on the box's boundary.
            let corner = try #require(events.first { $0.position.x > xs[xs.count / 4] && $0.position.x < xs[xs.count / 2]
                                                     && $0.position.y > ys[ys.count / 3] && $0.position.y < ys[ys.count / 2] }).position
            let box = BoundingBox(minX: corner.x, minY: corner.y, maxX: xs[3 * xs.count / 4], maxY: ys[5 * ys.count / 6])
            let inside = Set(events.filter { box.contains($0.position) }.map(\.id))
            var q = FeatureQuery(layer: .events); q.bbox = box; q.limit = 10_000
            let found = try server.store.features(q)
            #expect(Set(found.features.compactMap { $0.properties["id"]?.stringValue }) == inside && found.complete && found.matched == inside.count)
            #expect(inside.count > 50 && events.contains { $0.position == corner && inside.contains($0.id) })
            var areas = FeatureQuery(layer: .areas); areas.bbox = box; areas.limit = 10_000
            var all = FeatureQuery(layer: .areas); all.limit = 10_000
            let meeting = try server.store.features(all).features.filter { $0.geometry.boundingBox?.intersects(box) ?? false }
            let areaPage = try server.store.features(areas)
            #expect(areaPage.features.count == meeting.count && !meeting.isEmpty)
        }
    }
}

