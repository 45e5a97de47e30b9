// `gridwall bench plan`, the impact half: the sample district's fullest community, then all its
// communities, re-cut into squares (every grid there changes, so every building, camera,
// responder's home and recent event is placed twice and every home grid is overlaid), timed against the same reassignment scripted
// with shapely STRtrees (scripts/reference/impact_reference.py) in the same run; the numbers
// that move are compared before the ratio is printed.
import Foundation
import GridwallCore
import GridwallPlans
import GridwallSample
import GridwallStore

extension BenchPlan {
    func impact(grids: [PlanArea], communities: [PlanArea], python: String) throws {
        func layer(_ name: String) throws -> [SourceFeature] {
            try FeatureReader.read(path: (geodata as NSString).appendingPathComponent(name), format: try FileFormat.guess(name))
        }
        let buildings = try layer("buildings.geojson").map {
            BuildingRecord(id: $0.properties["id"]?.stringValue ?? "", households: Int($0.properties["households"]?.doubleValue ?? 0),
                           residents: Int($0.properties["residents"]?.doubleValue ?? 0), geometry: $0.geometry)
        }
        let cameras = try layer("cameras.geojson").compactMap { f -> CameraRecord? in
            guard case .point(let p) = f.geometry else { return nil }
            return CameraRecord(id: f.properties["id"]?.stringValue ?? "", position: p)
        }
        let responders = try layer("responders.geojson").map { (id: $0.properties["id"]?.stringValue ?? "", grid: $0.properties["grid_id"]?.stringValue) }
        let allEvents = try layer("events.csv").compactMap { f -> (time: Int64, thing: CountedThing)? in
            guard case .point(let p) = f.geometry, let t = f.properties["time"]?.stringValue.flatMap(ISOTime.parse) else { return nil }
            return (Int64(t), CountedThing(id: f.properties["id"]?.stringValue ?? "", point: p))
        }
        let newest = allEvents.map(\.time).max() ?? 0
        let events = allEvents.filter { $0.time > newest - 30 * 86_400 }.map(\.thing)

        let side = 400.0
        let everywhere = try SquareRedraw.grids(parents: communities.map { ($0.id, $0.geometry) }, side: side)
            .map { PlanArea(id: $0.id, parentID: $0.parentID, geometry: $0.geometry, place: $0.id) }
        let counts = Dictionary(grouping: grids, by: { $0.parentID ?? "" }).mapValues(\.count)
        let fullest = communities.max { (counts[$0.id] ?? 0, $1.id) < (counts[$1.id] ?? 0, $0.id) }!
        print("impact: \(buildings.count) buildings, \(cameras.count) cameras, \(responders.count) responders, \(events.count) events of the last 30 days")
        for (name, plan) in [("community \(fullest.id) (\(counts[fullest.id] ?? 0) grids)", everywhere.filter { $0.parentID == fullest.id }),
                             ("all \(communities.count) communities (\(grids.count) grids)", everywhere)] {
            try impact(name: "\(name) re-cut into \(plan.count) squares of \(Int(side)) m", plan: plan, grids: grids, buildings: buildings,
                       cameras: cameras, responders: responders, events: events, python: python)
        }
    }

    private func impact(name: String, plan: [PlanArea], grids: [PlanArea], buildings: [BuildingRecord], cameras: [CameraRecord],
                        responders: [(id: String, grid: String?)], events: [CountedThing], python: String) throws {
        var runs: [(impact: PlanImpact, phases: PlanImpactBuilder.Phases)] = []
        for _ in 0..<max(1, repeats) {
            runs.append(try PlanImpactBuilder.timedImpact(plan: plan, current: grids, buildings: buildings, cameras: cameras,
                                                          responders: responders, events: events))
        }
        let median = runs.sorted { $0.phases.total < $1.phases.total }[runs.count / 2].phases
        let ours = median.total
        let impact = runs[0].impact
        let moved = GridMove.Kind.allCases.map { "\(impact.moved($0)) \($0.rawValue)" }.joined(separator: ", ")
        print(String(format: "%@\n  Gridwall plan impact: %.1f ms (median of %d, 2 threads; both layers indexed, every thing placed twice, home grids handed on); moves %@",
                     name as NSString, ours * 1000, runs.count, moved as NSString))
        print(String(format: "    that run: layers indexed %.1f ms, representative points %.1f ms, home grids handed on %.1f ms, placed and tallied %.1f ms",
                     median.layers * 1000, median.points * 1000, median.successors * 1000, median.tally * 1000))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-impact-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ lines: [String]) throws {
            try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let oldIndex = Dictionary(grids.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let layer = PlanLayer.merged(plan: plan, current: grids)
        try write("old.wkt", grids.map { Self.wkt($0.geometry) })
        try write("old.ids", grids.map(\.id))
        try write("new.wkt", layer.map { Self.wkt($0.geometry) })
        try write("new.ids", layer.map(\.id))
        try write("buildings.wkt", buildings.map { Self.wkt($0.geometry) })
        try write("points.csv", cameras.map { "cameras,\($0.position.x),\($0.position.y)" } + events.map { "events,\($0.point!.x),\($0.point!.y)" })
        try write("homes.txt", responders.map { String($0.grid.flatMap { oldIndex[$0] } ?? -1) })
        guard let data = try runReferenceScript(python, "impact_reference.py", [dir.path], showErrors: true),
              case .object(let answer) = try JSONValue.parse(data), let seconds = answer["seconds"]?.doubleValue,
              let theirs = answer["moved"]?.objectValue else {
            print("  shapely: not available (pip install shapely into \(python)); skipped")
            return
        }
        let same: String = GridMove.Kind.allCases.map { k -> String in
            let t = theirs[k.rawValue]?.doubleValue.map { Int($0) } ?? -1
            return t == impact.moved(k) ? "\(k.rawValue) agree" : "\(k.rawValue) \(t) vs \(impact.moved(k))"
        }.joined(separator: ", ")
        print(String(format: "  shapely %@ STRtrees (GEOS %@): %.1f ms, %.1f× Gridwall; moves: %@",
                     answer["shapely"]?.stringValue ?? "?", answer["geos"]?.stringValue ?? "?", seconds * 1000, seconds / ours, same as NSString))
    }
}
