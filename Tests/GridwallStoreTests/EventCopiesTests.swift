// The benchmark's big stores: another store's events and copies of them k seconds later, in
// place of this store's, read back in time order.
import Foundation
import Testing
import GridwallCore
import GridwallStore

@Suite struct EventCopiesTests {
    @Test func theEventsAreReplacedByCopiesSecondsLaterUnderTheirOwnIdsAndReadInTimeOrder() throws {
        let (store, dir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Three days, rows not in time order, one event at the last second of a day.
        let csv = """
            id,time,category,status,source,lon,lat
            a,2026-11-03T12:00:00Z,fire,reported,hotline,120.20,30.30
            b,2026-11-01T23:59:59Z,noise,dispatched,camera,120.21,30.31
            c,2026-11-02T08:30:00Z,fire,resolved,hotline,120.22,30.32
            """
        _ = try importFile(try write(csv, "e.csv", in: dir), layer: .events, into: store)
        let (copy, copyDir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: copyDir) }
        _ = try importFile(try write("id,time,category,lon,lat\nold,2026-01-01T00:00:00Z,x,120.2,30.3\n", "old.csv", in: copyDir),
                           layer: .events, into: copy)
        let before = try copy.eventsVersion()
        var days: [(Int, Int)] = []
        let stored = try copy.replaceEvents(withCopiesOf: store.path, copies: 2) { days.append(($0, $1)) }
        #expect(stored == 9)
        #expect(days.map(\.0) == [1, 2, 3] && days.allSatisfy { $0.1 == 3 })
        let after = try copy.eventsVersion()
        #expect(after.count == 9 && after.lastChange != before.lastChange)
        #expect(try store.eventsVersion().count == 3)   // the source is left as it was

        var read: [EventRecord] = []
        var totals: Set<Int> = []
        _ = try copy.analysisEventsInTimeOrder(batchSize: 4) { batch, total in totals.insert(total); read += batch }
        #expect(totals == [9])
        #expect(read.map(\.id) == ["b", "b~1", "b~2", "c", "c~1", "c~2", "a", "a~1", "a~2"])
        let b = try #require(ISOTime.parse("2026-11-01T23:59:59Z"))
        #expect(read.prefix(3).map(\.time) == [0, 1, 2].map { Int64(b) + $0 })   // across midnight
        #expect(Set(read.prefix(3).map(\.position)) == [Coordinate(120.21, 30.31)])
        #expect(Set(read.prefix(3).map(\.status)) == ["dispatched"] && Set(read.prefix(3).map(\.source)) == ["camera"])
    }

    /// A plan's impact counts the last days' events; the store finds them by its time index.
    @Test func theLastDaysEventsAreTheOnesAfterTheNewestMinusTheDays() throws {
        let (store, dir) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = """
            id,time,category,lon,lat
            old,2026-10-01T00:00:00Z,fire,120.20,30.30
            edge,2026-11-18T12:00:00Z,fire,120.20,30.30
            inside,2026-11-18T12:00:01+00:00,fire,120.20,30.30
            later,2026-11-19T09:00:00+08:00,fire,120.20,30.30
            newest,2026-11-20T12:00:00Z,fire,120.20,30.30
            """
        _ = try importFile(try write(csv, "e.csv", in: dir), layer: .events, into: store)
        let all = try store.analysisEvents().events
        let newest = try #require(all.map(\.time).max())
        let expected = all.filter { $0.time > newest - 2 * 86_400 }.sorted { $0.time < $1.time }
        #expect(try store.analysisEvents(lastDays: 2) == expected)
        #expect(try store.analysisEvents(lastDays: 2).map(\.id) == ["inside", "later", "newest"])
        #expect(try store.analysisEvents(lastDays: 100).count == 5)
    }
}
