// Events imported while serving reach the heatmaps: appended rows are appended to the
// analysis; a replaced events table is loaded again.
import Foundation
import Testing
import GridwallCore
import GridwallSample
import GridwallServer
import GridwallStore

@Suite struct HeatmapRefreshTests {
    /// A small generated district in a fresh store (removed by the caller with `dir`).
    func smallDistrict() throws -> (GeoStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-refresh-\(UUID().uuidString)")
        try SampleDistrict.generate(.small()).write(to: dir)
        let store = try GeoStore(path: dir.appendingPathComponent("gridwall.sqlite").path)
        _ = try GeodataLoader.load(directory: dir.path, into: store)
        return (store, dir)
    }

    /// Imports `count` new events at the centre of the first grid, one of them older than all others.
    func importEvents(_ count: Int, into store: GeoStore, dir: URL, replace: Bool = false) throws -> [SourceFeature] {
        let grid = try store.areas().first { $0.level == .grid }!
        let centre = grid.geometry.boundingBox!.center
        var csv = "id,time,category,status,source,lon,lat\n"
        for i in 0..<count {
            csv += "N\(i),\(i == 0 ? "2020-01-01T00:00:00Z" : "2026-11-20T12:00:0\(i % 10)Z"),test_category,reported,hotline,\(centre.x),\(centre.y)\n"
        }
        let file = dir.appendingPathComponent("new.csv")
        try Data(csv.utf8).write(to: file)
        let features = try FeatureReader.read(path: file.path, format: .csv)
        var options = ImportOptions(layer: .events); options.replace = replace
        _ = try Importer.run(features, into: store, options: options)
        return features
    }

    /// A dispatch that lands while a refresh works on its copy of the analysis must survive the
    /// refresh (it used to be overwritten by the copy, until a restart).
    @Test func aStatusChangeDuringARefreshIsKept() throws {
        let (store, dir) = try smallDistrict()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = try HeatmapService(store: store)
        _ = try importEvents(5, into: store, dir: dir)
        let event = try #require(try store.eventIDs(status: "reported", limit: 1).first)
        let responder = try #require(try store.responders().first { $0.status == .available })
        var dispatched = EventFilter(); dispatched.statuses = ["dispatched"]
        func count(_ filter: EventFilter) -> Int { var n = 0; service.analysis.events.forEachMatch(filter) { _ in n += 1 }; return n }
        let before = count(dispatched)

        let what = try service.refreshIfChanged(from: store) {
            try store.dispatch(event: event, responders: [responder.id], at: 1_795_132_800)
            try service.statusChanged(event: event, in: store)
        }
        #expect(what?.contains("5 events appended") == true, "\(what ?? "nil")")
        #expect(count(dispatched) == before + 1, "the dispatch during the refresh was lost")
        var new = EventFilter(); new.categories = ["test_category"]
        #expect(count(new) == 5)
    }

    @Test func importedEventsReachTheHeatmaps() throws {
        let (store, dir) = try smallDistrict()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = try HeatmapService(store: store)
        let before = service.analysis.events.count
        #expect(try service.refreshIfChanged(from: store) == nil)

        // Ten new events at the centre of the first grid, one of them older than all others.
        _ = try importEvents(10, into: store, dir: dir)
        let what = try service.refreshIfChanged(from: store)
        #expect(what?.contains("10 events appended") == true, "\(what ?? "nil")")
        let analysis = service.analysis
        #expect(analysis.events.count == before + 10)
        var filter = EventFilter(); filter.categories = ["test_category"]
        let counts = analysis.events.gridCounts(filter)
        #expect(counts.reduce(0, +) == 10)
        #expect(zip(analysis.events.times, analysis.events.times.dropFirst()).allSatisfy { $0 <= $1 })

        // Replacing the layer loads everything again.
        _ = try importEvents(10, into: store, dir: dir, replace: true)
        let reloaded = try service.refreshIfChanged(from: store)
        #expect(reloaded?.contains("loaded again") == true)
        #expect(service.analysis.events.count == 10)
    }
}
