// What POST /events keeps of each event: the columns, and every other property as its extra
// JSON, never the members that only place it (lon, lat, crs).
import Foundation
import Testing
import GridwallCore
import GridwallStore
@testable import GridwallServer

@Suite struct IncomingEventsTests {
    func parse(_ text: String) throws -> [IngestEvent] {
        try IncomingEvents.parse(Data(text.utf8), ndjson: false, crs: .wgs84).events
    }

    @Test func theExtraPropertiesAreKeptAndThePlacingMembersAreNot() throws {
        let events = try parse("""
            [{"id":"a","lon":120.2,"lat":30.3,"crs":"wgs84","time":"2026-11-20T08:00:00Z","category":"noise","caller":"Mrs Wang","note":null},
             {"id":"b","lon":120.2,"lat":30.3,"time":"2026-11-20T08:00:00Z","category":"noise","status":"dispatched","severity":2},
             {"type":"Feature","geometry":{"type":"Point","coordinates":[120.2,30.3]},
              "properties":{"id":"c","time":"2026-11-20T08:00:00Z","category":"noise","crs":"wgs84","lon":1,"floor":3}}]
            """)
        #expect(events.map(\.extra) == [#"{"caller":"Mrs Wang"}"#, nil, #"{"floor":3,"lon":1}"#])
        #expect(events[1].status == "dispatched" && events[1].severity == 2 && events[0].status == "reported")
        #expect(events.allSatisfy { $0.position == Coordinate(120.2, 30.3) && $0.time == 1_795_161_600 && $0.category == "noise" })
    }

    @Test func aBadEventIsNamedByItsPlace() throws {
        #expect(throws: GridwallError.self) { try parse(#"[{"id":"a","lon":120.2,"lat":30.3,"category":"noise"}]"#) }
        do { _ = try parse(#"[{"id":"a","lon":120.2,"lat":30.3,"time":"2026-11-20T08:00:00Z","category":"noise"},{"id":"b","lon":120.2,"lat":30.3,"time":"x","category":"noise"}]"#) }
        catch let e as GridwallError { #expect(e.location == "events[1]" && e.message.contains("time")) }
    }
}
