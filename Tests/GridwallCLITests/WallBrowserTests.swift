// The wall page in a real browser: Debian's Chromium (WebGL through SwiftShader), driven by
// Playwright from Tests/Browser/wall_check.py against `gridwall serve` on a district of its own.
// The script reports what the map drew; the assertions are here.
import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite(.serialized) struct WallBrowserTests {
    static let chromium = TestData.tool("chromium")

    @Test(.enabled(if: chromium != nil && TestData.referencePython != nil, "needs chromium and the reference venv: scripts/setup-debian --tests"))
    func theWallDrawsEveryLayerAndFollowsTheStream() async throws {
        try await withServedDistrictCopy("wall") { dir, port in
            let base = "http://127.0.0.1:\(port)"
            let out = dir.appendingPathComponent("wall-report.json")
            let run = try await TestData.runDetached(TestData.referencePython!, [TestData.url("Tests/Browser/wall_check.py").path, base,
                                                                                 "--page", "/wall?zoom=15", "--live", "--out", out.path])
            try #require(run.status == 0, "wall_check.py failed:\n\(run.output.suffix(3000))")
            let report = try #require(try JSONValue.parse(Data(contentsOf: out)).objectValue, "the report is not a JSON object")

            // No error from the page or the map library (a 404 tile or a broken layer logs one).
            #expect(report["console_errors"]?.arrayValue?.isEmpty == true, "console errors: \(report["console_errors"]!.serialized)")
            #expect(report["page_errors"]?.arrayValue?.isEmpty == true, "page errors: \(report["page_errors"]!.serialized)")

            // Every layer drew features (a wrong source-layer name or an empty source raises no error: only counts catch it).
            let layers = try #require(report["layers"]?.objectValue)
            for layer in ["buildings-3d", "grids-fill", "communities-line", "streets-line", "cameras", "events", "responders-live"] {
                #expect((layers[layer]?.doubleValue ?? 0) > 0, "no feature drawn in \(layer): \(report["layers"]!.serialized)")
            }
            #expect((layers["buildings-3d"]?.doubleValue ?? 0) >= 20, "too few extruded buildings: \(report["layers"]!.serialized)")
            // Grids are coloured by their class: several of the five show.
            let classes = report["grid_classes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(classes.count >= 3 && Set(classes).isSubset(of: ["green", "blue", "yellow", "orange", "red"]), "grid classes drawn: \(classes)")
            // The side panel has its figures.
            let panel = try #require(report["panel"]?.objectValue)
            #expect(panel["events"]?.stringValue != "–" && (panel["categories"]?.doubleValue ?? 0) > 0 && (panel["top_grids"]?.doubleValue ?? 0) > 0,
                    "panel: \(report["panel"]!.serialized)")

            // Live: a posted event shows within 2 s; a responder's move moves its point.
            let shown = report["event_shown_s"]?.doubleValue
            #expect(shown != nil && shown! <= 2, "a posted event showed after \(shown.map { "\($0) s" } ?? "never (5 s)")")
            // Clicking the event opens the dispatcher view (grid chain, cameras, nearest responders
            // with ETA, their sight lines on the map); its dispatch button dispatches the event.
            let dispatcher = try #require(report["dispatcher"]?.objectValue, "no dispatcher report")
            let text = dispatcher["text"]?.stringValue ?? ""
            #expect(dispatcher["title"]?.stringValue?.hasPrefix("Event WALL-") == true, "selection title: \(dispatcher["title"]?.serialized ?? "none")")
            #expect(text.contains("Grid chain") && text.contains("ETA") && text.contains("Nearest free responders"), "dispatcher view:\n\(text)")
            #expect((dispatcher["responders"]?.doubleValue ?? 0) > 0 && (dispatcher["sight_features"]?.doubleValue ?? 0) > 0, "\(report["dispatcher"]!.serialized)")
            #expect(dispatcher["status_after"]?.stringValue == "dispatched", "the event after pressing dispatch: \(dispatcher["status_after"]?.serialized ?? "none")")
            #expect(report["moved_responder"]?.stringValue != nil, "no responder on screen to move")
            let moved = report["responder_moved_s"]?.doubleValue
            #expect(moved != nil && moved! <= 2, "a responder's move showed after \(moved.map { "\($0) s" } ?? "never (5 s)")")

            // The density heat is where the events are: warm over the densest hexagon, (next to)
            // nothing over the place of the district farthest from any event.
            let heat = try #require(report["heat"]?.objectValue)
            let hot = heat["hot_pixel"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            let cold = heat["cold_pixel"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            let background = heat["background_pixel"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            try #require(hot.count == 3 && cold.count == 3 && background.count == 3, "heat pixels: \(report["heat"]!.serialized)")
            func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.reduce(0, +) }
            #expect(distance(hot, background) > 120 && hot[0] > hot[2], "no warm heat over the densest hexagon: \(report["heat"]!.serialized)")
            #expect(distance(cold, background) * 3 < distance(hot, background), "as much heat where events are fewest: \(report["heat"]!.serialized)")

            // Nothing leaves the server: every request went to it.
            let hosts = report["hosts"]?.arrayValue?.compactMap(\.stringValue).filter { $0 != "data" } ?? []
            #expect(hosts == ["127.0.0.1:\(port)"], "the page asked other hosts: \(hosts)")
        }
    }
}
