// `gridwall bench assign`: point-in-grid throughput of the engine, one core and all cores,
// against GEOS prepared geometries in an STRtree (same data, same run) and PostGIS ST_Contains
// with a GiST index when a local PostGIS is installed. Every reference's answers are compared
// with ours before any ratio is printed.
import ArgumentParser
import Dispatch
import Foundation
import GridwallCore
import GridwallGEOS
import GridwallSample
import GridwallStore

struct BenchAssign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Point-in-grid assignment throughput.")

    @Option(help: "Points per dataset.") var points = 1_000_000
    @Option(help: "Folder with the sample district.") var geodata = "geodata"
    @Option(help: "Synthetic coverage: columns × rows grids (80 × 80 = 6,400).") var syntheticSide = 80
    @Option(help: "Repetitions of each timed Gridwall run (the best is reported).") var repeats = 5
    @Option(help: "PostGIS: auto (when installed), off.") var postgis = "auto"

    func run() throws {
        print("# gridwall bench assign — \(points) points, \(ProcessInfo.processInfo.activeProcessorCount) cores, "
              + "\(ISOTime.format(Int64(Date().timeIntervalSince1970)))")
        let areas = try FeatureReader.read(path: (geodata as NSString).appendingPathComponent("areas.geojson"), format: .geojson)
        let grids = areas.filter { $0.properties["level"]?.stringValue == "grid" }.map(\.geometry.polygons)
        let district = try require(areas.first { $0.properties["level"]?.stringValue == "district" }, "no district in \(geodata)")
        try benchmark(name: "sample district (\(grids.count) grids)", grids: grids, inside: district.geometry)
        let side = syntheticSide
        let synthetic = SyntheticCoverage.grids(columns: side, rows: side)
        try benchmark(name: "synthetic coverage (\(synthetic.count) grids)", grids: synthetic, inside: nil)
    }

    func benchmark(name: String, grids: [[Polygon]], inside outline: Geometry?) throws {
        print("\n## \(name)")
        var started = DispatchTime.now()
        let index = PolygonIndex(features: grids)
        print("index built in \(ms(since: started)) ms: \(index.summary)")

        // Points uniform over the district (GEOS decides what is inside its outline).
        let geos = GeosContext()
        var rng = SeededRandom(seed: 42)
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(points); ys.reserveCapacity(points)
        let filter = try outline.map { try geos.geometry($0).prepared() }
        let box = index.bounds
        while xs.count < points {
            let x = rng.uniform(box.minX, box.maxX), y = rng.uniform(box.minY, box.maxY)
            if let filter, try !filter.contains(geos.point(x: x, y: y)) { continue }
            xs.append(x); ys.append(y)
        }

        // Gridwall, one core and all cores: the same loop over the same buffers.
        var ours = [Int32](repeating: -1, count: points)
        func locateAll(threads: Int) {
            xs.withUnsafeBufferPointer { xb in
                ys.withUnsafeBufferPointer { yb in
                    ours.withUnsafeMutableBufferPointer { ob in
                        // Safe: each worker writes its own disjoint range; concurrentPerform joins them.
                        nonisolated(unsafe) let (xb, yb, ob) = (xb, yb, ob)
                        DispatchQueue.concurrentPerform(iterations: threads) { t in
                            let n = xb.count
                            for i in (n * t / threads)..<(n * (t + 1) / threads) { ob[i] = index.locate(x: xb[i], y: yb[i]).feature }
                        }
                    }
                }
            }
        }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let oneCore = best(repeats) { locateAll(threads: 1) }
        let allCores = best(repeats) { locateAll(threads: threads) }
        report("Gridwall, 1 core", oneCore)
        report("Gridwall, \(threads) cores", allCores)

        // GEOS: prepared polygons in an STRtree, through our wrapper, one core.
        started = DispatchTime.now()
        let tree = try GeosSTRtree(context: geos)
        let prepared = try grids.enumerated().map { i, polygons -> PreparedGeosGeometry in
            let g = try geos.geometry(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
            tree.insert(g, id: i)
            return try g.prepared()
        }
        print("GEOS STRtree and prepared geometries built in \(ms(since: started)) ms")
        var theirs = [Int32](repeating: -1, count: points)
        var hits: [Int] = []
        let geosSeconds = try timed {
            for i in 0..<xs.count {
                let p = try geos.point(x: xs[i], y: ys[i])
                tree.query(p, into: &hits)
                var found: Int32 = -1
                for h in hits.sorted() where try prepared[h].contains(p) { found = Int32(h); break }
                theirs[i] = found
            }
        }
        let disagreements = (0..<points).filter { ours[$0] != theirs[$0] }
        // GEOS says "in no grid" for points on a shared edge; everything else must agree.
        var unexplained = 0
        for i in disagreements {
            let p = try geos.point(x: xs[i], y: ys[i])
            let involved = [ours[i], theirs[i]].filter { $0 >= 0 }.map(Int.init)
            let d = try involved.map { try prepared[$0].base.boundary().distance(to: p) }.min() ?? .infinity
            if d > 1e-9 { unexplained += 1 }
        }
        report("GEOS prepared STRtree, 1 core", geosSeconds)
        print("answers: \(points - disagreements.count) of \(points) identical to GEOS; \(disagreements.count - unexplained) differ on a boundary (GEOS gives no grid there), \(unexplained) unexplained")
        print("ratio: Gridwall 1 core / GEOS = \(ratio(geosSeconds, oneCore))×, Gridwall \(threads) cores / GEOS = \(ratio(geosSeconds, allCores))×")

        if postgis != "off" {
            if let pg = try PostGISReference.run(grids: grids, xs: xs, ys: ys) {
                let agree = (0..<points).filter { pg.answers[$0] == ours[$0] }.count
                report("PostGIS ST_Contains join with GiST index", pg.seconds)
                print("answers: \(agree) of \(points) identical to PostGIS (\(points - agree) differ, on boundaries)")
                print("ratio: Gridwall 1 core / PostGIS = \(ratio(pg.seconds, oneCore))×, Gridwall \(threads) cores / PostGIS = \(ratio(pg.seconds, allCores))×")
            } else {
                print("PostGIS: not installed (apt-get install postgresql-15-postgis-3); skipped")
            }
        }
        if unexplained > 0 { throw GridwallError(.invalidInput, "\(unexplained) points disagree with GEOS away from any boundary") }
    }

    func report(_ what: String, _ seconds: Double) {
        let label = what.padding(toLength: 44, withPad: " ", startingAt: 0)
        print(label + String(format: " %9.1f ms %8.2f M points/s", seconds * 1000, Double(points) / seconds / 1e6))
    }
    func ratio(_ slow: Double, _ fast: Double) -> String { String(format: "%.1f", slow / fast) }
    func ms(since t: DispatchTime) -> Int { Int((DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1_000_000) }

}

/// `#require` for a command: unwraps or throws a clear error.
func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw GridwallError(.notFound, message) }
    return value
}
