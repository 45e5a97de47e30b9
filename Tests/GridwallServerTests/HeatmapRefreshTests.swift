// Events imported while serving reach the heatmaps: appended rows are appended to the
// analysis; a replaced events table is loaded again.
import Foundation
import Testing
import GridwallCore
import GridwallSample
import GridwallServer
import GridwallStore

@Suite struct HeatmapRefreshTests {
    @Test func importedEventsReachTheHeatmaps() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-refresh-\(UUID().uuidString)")
        try SampleDistrict.generate(.small()).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try GeoStore(path: dir.appendingPathComponent("gridwall.sqlite").path)
        _ = try GeodataLoader.load(directory: dir.path, into: store)
        let service = try HeatmapService(store: store)
        let before = service.analysis.events.count
        #expect(try service.refreshIfChanged(from: store) == nil)

        // Ten new events at the centre of the first grid, one of them older than all others.
        let grid = try store.areas().first { $0.level == .grid }!
        let centre = grid.geometry.boundingBox!.center
        var csv = "id,time,category,status,source,lon,lat\n"
        for i in 0..<10 {
            csv += "N\(i),\(i == 0 ? "2020-01-01T00:00:00Z" : "2026-11-20T12:00:0\(i)Z"),test_category,reported,hotline,\(centre.x),\(centre.y)\n"
        }
        let file = dir.appendingPathComponent("new.csv")
        try Data(csv.utf8).write(to: file)
        let features = try FeatureReader.read(path: file.path, format: .csv)
        _ = try Importer.run(features, into: store, options: ImportOptions(layer: .events))
        let what = try service.refreshIfChanged(from: store)
        #expect(what?.contains("10 events appended") == true, "\(what ?? "nil")")
        let analysis = service.analysis
        #expect(analysis.events.count == before + 10)
        var filter = EventFilter(); filter.categories = ["test_category"]
        let counts = analysis.events.gridCounts(filter)
        #expect(counts.reduce(0, +) == 10)
        #expect(zip(analysis.events.times, analysis.events.times.dropFirst()).allSatisfy { $0 <= $1 })

        // Replacing the layer loads everything again.
        var replace = ImportOptions(layer: .events); replace.replace = true
        _ = try Importer.run(features, into: store, options: replace)
        let reloaded = try service.refreshIfChanged(from: store)
        #expect(reloaded?.contains("loaded again") == true)
        #expect(service.analysis.events.count == 10)
    }
}
