// `gridwall bench plan`: validating a plan (`gridwall plan check`) on the sample district's 604
// grids and on a 6,400-grid synthetic coverage with defects injected, against, in the same run
// on the same polygons: GEOS overlays by brute force (every pair of grids whose boxes meet
// intersected, the parent minus the union of all grids: what a user scripts without a coverage
// validator) and shapely's coverage_invalid_edges (GEOS ≥ 3.12's CoverageValidator, from the
// shapely wheel). What each finds is compared before any ratio is printed. Then the impact of
// a wholesale redraw (BenchPlanImpact.swift).
import ArgumentParser
import Foundation
import GridwallCore
import GridwallGEOS
import GridwallPlans
import GridwallSample
import GridwallStore

struct BenchPlan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Plan validation and impact against GEOS overlays and shapely.")

    @Option(help: "Folder with the sample district.") var geodata = "geodata"
    @Option(help: "Repetitions of each timed Gridwall run (the median is reported).") var repeats = 11
    @Option(help: "Python with shapely ≥ 2.1 (default: the reference environment scripts/setup-debian --tests makes).") var python: String?
    @Option(help: "PostGIS: auto (when installed), off.") var postgis = "auto"

    func run() throws {
        print("# gridwall bench plan — 1 core, \(ISOTime.format(Int64(Date().timeIntervalSince1970)))")
        let areas = try FeatureReader.read(path: (geodata as NSString).appendingPathComponent("areas.geojson"), format: .geojson)
        let (grids, communities) = PlanFields().split(areas.map { ($0.place, $0.geometry, $0.properties) })
        let buildings = try FeatureReader.read(path: (geodata as NSString).appendingPathComponent("buildings.geojson"), format: .geojson)
            .map { (id: $0.properties["id"]?.stringValue ?? "", geometry: $0.geometry) }
        let cluster = postgis == "off" ? nil : try PostGISCluster.start()
        defer { cluster?.stop() }
        if postgis != "off", cluster == nil { print("PostGIS: not installed (apt-get install postgresql-15-postgis-3); skipped") }
        try compare("sample district", grids: grids, parents: communities, postgis: cluster)
        let withBuildings = try (0..<max(1, repeats / 2)).map { _ in
            try PlanValidator.check(areas: grids, parents: communities, buildings: buildings, current: grids).seconds
        }.sorted()
        print(String(format: "  with its %d buildings against the current grids: %.1f ms (median)", buildings.count,
                     withBuildings[withBuildings.count / 2] * 1000))

        let (synthetic, parent, moved) = Self.syntheticWithDefects()
        print("synthetic coverage: \(synthetic.count) grids, \(moved) vertices moved (0.3 m or 3 m, alternately)")
        try compare("synthetic", grids: synthetic, parents: [parent], postgis: cluster)
        try impact(grids: grids, communities: communities, python: referencePython(python))
    }


    /// Times Gridwall, the GEOS overlays and shapely on one plan and compares what they find.
    func compare(_ name: String, grids: [PlanArea], parents: [PlanArea], postgis cluster: PostGISCluster?) throws {
        var options = PlanCheckOptions()
        options.sliverWidth = 0   // slivers are not what the references look for
        let runs = try (0..<max(1, repeats)).map { _ in try PlanValidator.check(areas: grids, parents: parents, options: options) }
        let ours = runs.map(\.seconds).sorted()[runs.count / 2]
        let report = runs[0]
        let counts = report.counts.map { "\($0.count) \($0.kind.rawValue)" }.joined(separator: ", ")
        print(String(format: "%@ — Gridwall plan check: %.1f ms (median of %d): %@", name as NSString, ours * 1000, runs.count,
                     (counts.isEmpty ? "no findings" : counts) as NSString))

        // GEOS overlays, brute force, in the same planar frame.
        var box = BoundingBox.empty
        for g in grids { if let b = g.geometry.boundingBox { box.extend(b) } }
        let frame = LocalFrame(origin: box.center)
        let metric = grids.map { $0.geometry.mapCoordinates(frame.project) }
        var overlapping: Set<[String]> = [], gapArea = 0.0
        let geosSeconds = try timed {
            let geos = GeosContext()
            let shapes = try metric.map { try geos.geometry($0) }
            let boxes = metric.map { $0.boundingBox! }
            let buckets = BoxBuckets(boxes)
            for i in grids.indices {
                for j in buckets.near(boxes[i]) where j > i && boxes[i].intersects(boxes[j]) {
                    if try shapes[i].intersection(shapes[j]).area() > 0.01 { overlapping.insert([grids[i].id, grids[j].id]) }
                }
            }
            let all = try geos.geometry(.multiPolygon(metric.flatMap(\.polygons))).unaryUnion()
            for p in parents { gapArea += try geos.geometry(p.geometry.mapCoordinates(frame.project)).difference(all).area() }
        }
        let reported = Set(report.findings.filter { $0.kind == .overlap }.map(\.areas))
        let flagged = Set(report.findings.filter { $0.kind == .misaligned || $0.kind == .overlap }.flatMap(\.areas))
        // Every overlap Gridwall reports, GEOS finds; the ones it does not report are the
        // misaligned edges' slivers (narrower than the tolerance), so both grids are flagged.
        let agree = reported.isSubset(of: overlapping) && overlapping.subtracting(reported).allSatisfy { $0.allSatisfy(flagged.contains) }
        let gapsReported = report.findings.filter { $0.kind == .gap }.reduce(0) { $0 + $1.size }
        print(String(format: "  GEOS overlays (every pair, parents − union): %.1f ms, %.1f× Gridwall; %d overlapping pairs (%d reported as overlaps, the rest within the tolerance: %@); uncovered %.1f m² (%.1f m² reported as gaps)",
                     geosSeconds * 1000, geosSeconds / ours, overlapping.count, reported.count, (agree ? "agree" : "DISAGREE") as NSString,
                     gapArea, gapsReported))

        if let cluster {
            try postgisOverlays(cluster, metric: metric, ids: grids.map(\.id), parents: parents.map { $0.geometry.mapCoordinates(frame.project) },
                                ours: ours, overlapping: overlapping, gapArea: gapArea)
        }

        // shapely's coverage validator on the same planar polygons.
        let python = referencePython(python)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-plan-\(getpid()).wkt")
        defer { try? FileManager.default.removeItem(at: file) }
        try metric.map(Self.wkt).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        guard let data = try runReferenceScript(python, "coverage_reference.py", [file.path, String(options.tolerance)]),
              case .object(let answer) = try JSONValue.parse(data),
              let seconds = answer["seconds"]?.doubleValue, let invalid = answer["invalid"]?.arrayValue else {
            print("  shapely: not available (pip install shapely into \(python)); skipped")
            return
        }
        let theirs = Set(invalid.compactMap { $0.doubleValue.map { grids[Int($0)].id } })
        let ourFlagged = Set(report.findings.filter { [.overlap, .misaligned, .gap].contains($0.kind) }.flatMap(\.areas))
        print(String(format: "  shapely %@ coverage_invalid_edges (GEOS %@, gap width %.1f m): %.1f ms, %.1f× Gridwall; flags %d grids, Gridwall %d, both %d",
                     answer["shapely"]?.stringValue ?? "?", answer["geos"]?.stringValue ?? "?", options.tolerance,
                     seconds * 1000, seconds / ours, theirs.count, ourFlagged.count, theirs.intersection(ourFlagged).count))
    }

    static func wkt(_ g: Geometry) -> String {
        let polygons = g.polygons.map { p in
            "(" + p.rings.map { "(" + $0.map { "\($0.x) \($0.y)" }.joined(separator: ",") + ")" }.joined(separator: ",") + ")"
        }
        return polygons.count == 1 ? "POLYGON" + polygons[0] : "MULTIPOLYGON(" + polygons.joined(separator: ",") + ")"
    }

    /// 80×80 synthetic grids in one rectangle, with one vertex of every 50th grid moved, in that
    /// grid only, alternately 0.3 m (misaligned) and 3 m (an overlap or a gap).
    static func syntheticWithDefects() -> (grids: [PlanArea], parent: PlanArea, moved: Int) {
        let cells = SyntheticCoverage.grids(columns: 80, rows: 80)
        var rng = SeededRandom(seed: 20)
        var grids: [PlanArea] = [], box = BoundingBox.empty, moved = 0
        for (i, polygons) in cells.enumerated() {
            var p = polygons[0]
            for c in p.exterior { box.extend(c) }
            if i % 50 == 25 {
                let k = 3 + 8 * Int(rng.uniform(0, 3.99))   // a wiggle point of one of the sides
                let v = p.rings[0][k], frame = LocalFrame(origin: v), angle = rng.uniform(0, 2 * .pi)
                let d = moved % 2 == 0 ? 0.3 : 3.0
                p.rings[0][k] = frame.unproject(Coordinate(d * cos(angle), d * sin(angle)))
                moved += 1
            }
            grids.append(PlanArea(id: "S\(i)", parentID: "R", geometry: .polygon(p), place: "grid \(i)"))
        }
        let corners = [Coordinate(box.minX, box.minY), Coordinate(box.maxX, box.minY), Coordinate(box.maxX, box.maxY),
                       Coordinate(box.minX, box.maxY), Coordinate(box.minX, box.minY)]
        return (grids, PlanArea(id: "R", parentID: nil, geometry: .polygon(Polygon(exterior: corners)), place: "the rectangle"), moved)
    }

    /// The same brute-force overlays in PostGIS (GiST index on the grids, planar metres, SRID 0):
    /// every pair whose boxes meet intersected, each parent minus the union of all grids.
    func postgisOverlays(_ cluster: PostGISCluster, metric: [Geometry], ids: [String], parents: [Geometry], ours: Double,
                         overlapping: Set<[String]>, gapArea: Double) throws {
        func hex(_ g: Geometry) -> String { WKB.encode(g).map { String(format: "%02X", $0) }.joined() }
        let gridFile = try cluster.file("plan-grids-\(ids.count).tsv", zip(ids, metric).map { "\($0)\t\(hex($1))" }.joined(separator: "\n") + "\n")
        let parentFile = try cluster.file("plan-parents-\(ids.count).tsv", parents.enumerated().map { "\($0.offset)\t\(hex($0.element))" }.joined(separator: "\n") + "\n")
        let table = "grids_\(ids.count)"
        let output = try cluster.psql("""
            CREATE EXTENSION IF NOT EXISTS postgis;
            CREATE TABLE raw_\(table) (id text, wkb text);
            \\copy raw_\(table) FROM '\(gridFile)'
            CREATE TABLE \(table) AS SELECT id, ST_GeomFromWKB(decode(wkb, 'hex')) AS geom FROM raw_\(table);
            CREATE INDEX ON \(table) USING gist (geom);
            CREATE TABLE raw_parents_\(table) (id int, wkb text);
            \\copy raw_parents_\(table) FROM '\(parentFile)'
            CREATE TABLE parents_\(table) AS SELECT id, ST_GeomFromWKB(decode(wkb, 'hex')) AS geom FROM raw_parents_\(table);
            VACUUM ANALYZE;
            \\timing on
            SELECT count(*) AS overlapping FROM \(table) a JOIN \(table) b ON a.id < b.id AND a.geom && b.geom
              WHERE ST_Area(ST_Intersection(a.geom, b.geom)) > 0.01;
            SELECT round(sum(ST_Area(ST_Difference(p.geom, u.geom)))::numeric, 1) AS uncovered
              FROM parents_\(table) p, (SELECT ST_Union(geom) AS geom FROM \(table)) u;
            \\timing off
            """)
        let timings = PostGISCluster.timings(output)
        guard timings.count == 2 else { throw GridwallError(.io, "PostGIS printed no timings: \(output.suffix(500))") }
        let numbers = output.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let seconds = (timings[0] + timings[1]) / 1000
        let pairs = numbers.first.map { Int($0) } ?? -1, uncovered = numbers.dropFirst().first ?? -1
        print(String(format: "  PostGIS overlays (GiST pairs, parents − ST_Union): %.1f ms, %.1f× Gridwall; %d overlapping pairs (%@), uncovered %.1f m² (%@)",
                     seconds * 1000, seconds / ours, pairs, (pairs == overlapping.count ? "as GEOS" : "GEOS \(overlapping.count)") as NSString,
                     uncovered, (abs(uncovered - gapArea) <= 0.1 + 1e-6 * gapArea ? "as GEOS" : "GEOS \(gapArea)") as NSString))
    }
}
