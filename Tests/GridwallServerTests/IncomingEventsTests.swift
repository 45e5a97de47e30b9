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

/// The flat batch's shortcut must give exactly what the general path gives, and step aside
/// (nil) for anything it does not read, so the general path words the error.
@Suite struct FlatBatchTests {
    /// Member values by key: ones every path accepts (nil: the member left out), and odd ones
    /// (wrong kinds, out of range, escapes the shortcut must read as the parser does).
    static let usual: [String: [String?]] = [
        "id": [#""e1""#, #""e-2""#, #""a\"b\u00e9""#, #""事件-3""#], "lon": ["120.21", "120.2345678901234", "1.2021e2", "-0.0"],
        "lat": ["30.31", "30.3000001", "3.03E1"],
        "time": [#""2026-11-20T08:00:01Z""#, #""2026-11-20T08:00:00.75+08:00""#, #""2026-11-20""#, #""2199-12-31T23:59:59Z""#],
        "category": [#""noise""#, #""fire_hazard""#], "status": [nil, #""reported""#, #""dispatched""#, #""resolved""#],
        "severity": [nil, "2", "0", "-3", "2.0"], "source": [nil, #""hotline""#, #""cam\/1""#],
    ]
    static let odd: [String: [String?]] = [
        "id": [#""""#, "17"], "lon": ["181", #""120""#, "1e400"], "lat": ["91", "-90.5"],
        "time": [#""1800-01-01""#, #""yesterday""#, "1795132800"], "category": ["3", #""""#],
        "status": [#""lost""#], "severity": ["2.5", "1e300", #""2""#], "source": ["5"],
    ]

    func value(_ key: String, _ r: inout SystemRandomNumberGenerator) -> String? {
        guard Int.random(in: 0..<40, using: &r) == 0 else { return Self.usual[key]!.randomElement(using: &r)! }
        return ((Self.odd[key] ?? []) + [nil, "null", "true", #"{"a":1}"#, "[]"]).randomElement(using: &r)!
    }

    @Test func theShortcutGivesTheGeneralPathsEventsOrStepsAside() throws {
        var r = SystemRandomNumberGenerator()
        let keys = Importer.flatEventKeys + ["note", "crs"]
        var taken = 0, aside = 0, loneTaken = 0
        for _ in 0..<3_000 {
            let objects = (0..<Int.random(in: 1...4, using: &r)).map { _ in
                let members = keys.shuffled(using: &r).compactMap { key -> String? in
                    if key == "note" { return Int.random(in: 0..<30, using: &r) == 0 ? #""note": "call back""# : nil }
                    if key == "crs" { return Int.random(in: 0..<30, using: &r) == 0 ? #""crs": "wgs84""# : nil }
                    return value(key, &r).map { "\"\(key)\": \($0)" }
                }
                return "{" + members.joined(separator: ", ") + "}"
            }
            // One object alone half the time it is one (a single event's body).
            let lone = objects.count == 1 && Bool.random(using: &r)
            let body = Data((lone ? objects[0] : "[" + objects.joined(separator: ",") + "]").utf8)
            let general = Result { try IncomingEvents.parseGenerally(body, ndjson: false, crs: .wgs84) }
            if let (events, single) = IncomingEvents.flatEvents(body) {
                taken += 1
                loneTaken += single ? 1 : 0
                let expected = try? general.get()
                #expect(events == expected?.events && single == expected?.single && single == lone, "\(String(decoding: body, as: UTF8.self))")
            } else {
                aside += 1   // the general path decides (stepping aside is never wrong, only slower)
            }
        }
        #expect(taken > 300 && aside > 300 && loneTaken > 50, "taken \(taken) (\(loneTaken) alone), aside \(aside)")
        // Duplicate members, an empty array, other shapes and trailing text are the general path's.
        #expect(IncomingEvents.flatEvents(Data(#"[{"id":"a","id":"b","lon":120.2,"lat":30.3,"time":"2026-11-20","category":"noise"}]"#.utf8)) == nil)
        #expect(IncomingEvents.flatEvents(Data("[]".utf8)) == nil)
        #expect(IncomingEvents.flatEvents(Data("{}".utf8)) == nil)
        #expect(IncomingEvents.flatEvents(Data(#""event""#.utf8)) == nil)
        #expect(IncomingEvents.flatEvents(Data(#"{"id":"a","lon":120.2,"lat":30.3,"time":"2026-11-20","category":"noise"} x"#.utf8)) == nil)
        #expect(IncomingEvents.flatEvents(Data(#"{"id":"a","lon":120.2,"lat":30.3,"time":"2026-11-20","category":"noise"},{}"#.utf8)) == nil)
        #expect(IncomingEvents.flatEvents(Data(#"[{"id":"a","lon":120.2,"lat":30.3,"time":"2026-11-20","category":"noise"}] x"#.utf8)) == nil)
    }

    /// A whole number past Int64's range is an error, not a stopped server.
    @Test func aHugeSeverityIsRefused() throws {
        #expect(throws: GridwallError.self) {
            try IncomingEvents.parse(Data(#"{"id":"a","lon":120.2,"lat":30.3,"time":"2026-11-20","category":"noise","severity":1e300}"#.utf8),
                                     ndjson: false, crs: .wgs84)
        }
    }
}
