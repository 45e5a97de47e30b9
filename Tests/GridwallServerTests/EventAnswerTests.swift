// The answers of POST /events are written as text for speed; they must be byte for byte the
// JSON the assignment answer (GET /assign's) gives with the event's fields added.
import Foundation
import Testing
@testable import GridwallServer
@testable import GridwallCore
import GridwallStore
import GridwallTestSupport

@Suite struct EventAnswerTests {
    /// A single event's nearest responders are written as text: byte for byte GET /nearest's JSON.
    @Test func writtenRespondersEqualTheNearestAnswer() async throws {
        try await withTestServer { server in
            let box = server.services.assignment.snapshot.engine.gridIndex.bounds
            var r = TestData.random("event-responders")
            var filter = ResponderFilter()
            filter.statuses = nil
            var seen = 0
            for k in [0, 1, 3, 7] {
                for _ in 0..<100 {
                    let p = Coordinate(box.minX + r.unit() * (box.maxX - box.minX), box.minY + r.unit() * (box.maxY - box.minY))
                    let nearest = server.services.responders.nearest(p, k: k, filter: filter)
                    var text = JSONText()
                    EventAnswers.writeResponders(nearest, into: &text)
                    #expect(text.text == JSONValue.array(nearest.map { ResponderRoutes.nearestJSON($0, crs: .wgs84) }).serialized)
                    seen += nearest.count
                }
            }
            #expect(seen > 1_000)
        }
    }

    @Test func writtenAnswersEqualTheAssignmentAnswer() async throws {
        try await withTestServer { server in
            let assignment = server.services.assignment
            let snapshot = assignment.snapshot
            let box = snapshot.engine.gridIndex.bounds
            var r = TestData.random("event-answers")
            var outside = 0, withBuilding = 0, withCameras = 0
            // Random points over the district and around it, and points on buildings and cameras.
            var points = (0..<3_000).map { _ in
                Coordinate(box.minX - 0.01 + r.unit() * (box.maxX - box.minX + 0.02), box.minY - 0.01 + r.unit() * (box.maxY - box.minY + 0.02))
            }
            points += try server.store.cameras().prefix(300).map { Coordinate($0.position.x + 0.0001, $0.position.y) }
            for (i, p) in points.enumerated() {
                let e = IngestEvent(id: "e\"\(i)", position: p, time: 1_900_000_000 + Int64(i), category: "noise", status: "reported",
                                    severity: nil, source: nil, extra: nil)
                var text = JSONText()
                EventAnswers.write(e, snapshot.engine.assign(x: p.x, y: p.y), snapshot: snapshot, into: &text)
                guard case .object(var expected) = assignment.answer(x: p.x, y: p.y, snapshot: snapshot) else { Issue.record("no answer"); return }
                expected["id"] = .string(e.id); expected["time"] = .string(ISOTime.format(e.time))
                expected["category"] = .string(e.category); expected["status"] = .string(e.status)
                #expect(text.text == JSONValue.object(expected).serialized, "\(p)")
                if expected["grid"] == .null { outside += 1 }
                if expected["building"] != .null { withBuilding += 1 }
                if expected["cameras"]?.arrayValue?.isEmpty == false { withCameras += 1 }
            }
            #expect(outside > 50 && withBuilding > 50 && withCameras > 50, "\(outside) outside, \(withBuilding) in buildings, \(withCameras) seen")
        }
    }

    @Test func streamSummariesAreTheEventsFields() throws {
        let chain = GridChain(gridID: "g1", communityID: "c1", streetID: nil, districtID: "d")
        let e = IngestEvent(id: "x", position: Coordinate(120.25, 30.3), time: 1_900_000_000, category: "noise", status: "reported",
                            severity: 3, source: "hotline_12345", extra: nil, gridID: "g1", buildingID: nil)
        let fragments = AnswerFragments(areas: [:], grids: [chain], buildings: [], cameras: [])
        let parsed = try JSONValue.parse(Data(EventAnswers.summary(e, grid: 0, fragments: fragments).utf8))
        let expected: [String: JSONValue] = [
            "id": .string("x"), "time": .string(ISOTime.format(1_900_000_000)), "category": .string("noise"), "status": .string("reported"),
            "lon": .number(120.25), "lat": .number(30.3), "grid": .string("g1"), "community": .string("c1"), "street": .null,
            "building": .null, "source": .string("hotline_12345"), "severity": .number(3),
        ]
        #expect(parsed == .object(expected))
        let outside = try JSONValue.parse(Data(EventAnswers.summary(e, grid: nil, fragments: fragments).utf8))
        #expect(outside["grid"] == .null && outside["community"] == .null && outside["street"] == .null && outside["id"] == .string("x"))
    }
}
