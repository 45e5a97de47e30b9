// Events imported while serving reach the heatmaps: appended rows are appended to the
// analysis; a replaced events table is loaded again.
import Foundation
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallSample
import GridwallServer
import GridwallStore
import GridwallTestSupport

@Suite struct HeatmapRefreshTests {
    /// A small generated district in a fresh store (removed by the caller with `dir`).
    func smallDistrict() throws -> (GeoStore, URL) {
        let dir = try TestData.scratchFolder("refresh")
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

    /// Serve's start reads the events in time order a batch at a time (a store of a hundred
    /// million is never held as records); the analysis must be the one-go build's, also when
    /// rows were imported out of time order and the batches are small.
    @Test func aLoadInTimeOrderedBatchesEqualsTheOneGoBuild() throws {
        let (store, dir) = try smallDistrict()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try importEvents(30, into: store, dir: dir)   // fids after the sample's, one of them older than all
        let areas = try store.areas()
        let whole = try EventAnalysis(areas: areas, events: store.analysisEvents().events).events
        var batched = try EventAnalysis(areas: areas, events: [])
        var batches = 0
        let (version, skipped) = try store.analysisEventsInTimeOrder(batchSize: 97) { batch, total in
            #expect(total == whole.count)
            #expect(zip(batch, batch.dropFirst()).allSatisfy { $0.time <= $1.time })
            try batched.appendLoaded(batch, of: total)
            batches += 1
        }
        let stamp = try store.eventsVersion()
        #expect(version.lastChange == stamp.lastChange && version.count == stamp.count && version.maxFid == stamp.maxFid)
        #expect(skipped == 0)
        #expect(batches == (whole.count + 96) / 97)
        let b = batched.events
        #expect(b.times == whole.times)
        #expect(b.ids == whole.ids)
        #expect(b.grids == whole.grids)
        #expect(b.xs == whole.xs)
        #expect(b.ys == whole.ys)
        #expect(b.lons == whole.lons)
        #expect(b.lats == whole.lats)
        #expect(b.categories == whole.categories)
        #expect(b.statuses == whole.statuses)
        #expect(b.sources == whole.sources)
        #expect(b.categoryNames.names == whole.categoryNames.names)
        #expect(b.dayTotalBytesPerDay == whole.dayTotalBytesPerDay)
        // Whole days come from the day totals: they must have started on the same day.
        let span = try #require(whole.span)
        let days = EventFilter(from: (span.lowerBound / 86_400 + 1) * 86_400, to: span.upperBound / 86_400 * 86_400)
        #expect(b.gridCounts(days) == whole.gridCounts(days))
        #expect(b.gridCounts(EventFilter()) == whole.gridCounts(EventFilter()))
        // The server's start takes this path.
        let served = try HeatmapService(store: store).analysis.events
        #expect(served.ids == whole.ids)
        #expect(served.grids == whole.grids)
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
