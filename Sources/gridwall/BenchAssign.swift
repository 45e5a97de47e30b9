// `gridwall bench assign`: point-in-grid throughput of the engine, one core and all cores,
// against GEOS prepared geometries in an STRtree (its fastest C path, `GeosPointLocator`; same
// data, same run) and PostGIS ST_Contains with a GiST index when a local PostGIS is installed,
// on points uniform over the district and on a feed where a third fall outside every grid.
// Every reference's answers are compared with ours, and every difference checked to lie on a
// boundary, before any ratio is printed. Then file to file (BenchAssignFile).
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
    @Option(help: "Repetitions of each timed Gridwall run, one core and all cores alternating (the best is reported, with the median).") var repeats = 15
    @Option(help: "PostGIS: auto (when installed), off.") var postgis = "auto"
    @Option(help: "Python with shapely and pandas for the file-to-file reference (default: the reference environment scripts/setup-debian --tests makes).") var python: String?

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
        try fileToFile()
    }

    func benchmark(name: String, grids: [[Polygon]], inside outline: Geometry?) throws {
        print("\n## \(name)")
        var started = DispatchTime.now()
        let index = PolygonIndex(features: grids)
        print("index built in \(ms(since: started)) ms: \(index.summary)")
        started = DispatchTime.now()
        let geos = GeosContext()
        let locator = try GeosPointLocator(context: geos, features: grids)
        print("GEOS STRtree and prepared geometries built in \(ms(since: started)) ms")

        // Two point sets: uniform over the district (GEOS decides what is inside its outline),
        // and a feed as real ones are, where a third of the points fall outside every grid
        // (within a few kilometres of the district), in random order.
        let filter = try outline.map { try geos.geometry($0).prepared() }
        let box = index.bounds
        var rng = SeededRandom(seed: 42)
        let count = points
        func pointSet(outsideShare: Double) throws -> ([Double], [Double]) {
            var xs: [Double] = [], ys: [Double] = []
            xs.reserveCapacity(count); ys.reserveCapacity(count)
            let wide = box.expanded(by: 0.05)
            while xs.count < count {
                let outside = rng.unit() < outsideShare
                let area = outside ? wide : box
                let x = rng.uniform(area.minX, area.maxX), y = rng.uniform(area.minY, area.maxY)
                if outside {
                    if try locator.locate(x: x, y: y) >= 0 { continue }
                } else if let filter, try !filter.contains(geos.point(x: x, y: y)) {
                    continue
                }
                xs.append(x); ys.append(y)
            }
            return (xs, ys)
        }
        for (label, share) in [("points uniform over the district", 0.0), ("a third of the points outside every grid", 1.0 / 3)] {
            let (xs, ys) = try pointSet(outsideShare: share)
            print("\n### \(label)")
            try compare(index: index, locator: locator, grids: grids, xs: xs, ys: ys)
        }
    }

    func compare(index: PolygonIndex, locator: GeosPointLocator, grids: [[Polygon]], xs: [Double], ys: [Double]) throws {
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
                            let range = (n * t / threads)..<(n * (t + 1) / threads)
                            index.locate(xs: UnsafeBufferPointer(rebasing: xb[range]), ys: UnsafeBufferPointer(rebasing: yb[range]),
                                         into: UnsafeMutableBufferPointer(rebasing: ob[range]))
                        }
                    }
                }
            }
        }
        // One core and all cores alternate, so that neither is measured on a colder machine
        // (measured first, the one-core figure came out low and the scaling above 2× on 2 cores).
        // The median of the runs is reported, with the best: on this kind of virtual machine the
        // best of a few runs came out up to 1.5× faster than the median, and taking the best of
        // each side made the scaling look better than two cores can give (2.9×, 2.35×).
        let threads = ProcessInfo.processInfo.activeProcessorCount
        var oneCoreRuns: [Double] = [], allCoreRuns: [Double] = []
        for _ in 0..<max(1, repeats) {
            oneCoreRuns.append(timed { locateAll(threads: 1) })
            allCoreRuns.append(timed { locateAll(threads: threads) })
        }
        let oneCore = median(oneCoreRuns), allCores = median(allCoreRuns)
        report("Gridwall, 1 core", oneCoreRuns)
        report("Gridwall, \(threads) cores", allCoreRuns)
        print(String(format: "scaling: %d cores / 1 core = %.2f× (medians of %d runs each)", threads, oneCore / allCores, oneCoreRuns.count))

        // GEOS: prepared polygons in an STRtree, its fastest point path (GeosPointLocator), one core.
        var theirs = [Int32](repeating: -1, count: points)
        let geosRuns = try (0..<3).map { _ in
            try timed { for i in 0..<xs.count { theirs[i] = try locator.locate(x: xs[i], y: ys[i]) } }
        }
        let geosSeconds = median(geosRuns)
        // GEOS says "in no grid" for points on a shared edge; everything else must agree.
        let (geosBoundary, geosUnexplained) = try explain(ours, theirs, locator: locator, xs: xs, ys: ys)
        report("GEOS prepared STRtree, 1 core", geosRuns)
        print("answers: \(points - geosBoundary - geosUnexplained) of \(points) identical to GEOS; \(geosBoundary) differ within 1e-9° of a boundary "
              + "(GEOS gives no grid there), \(geosUnexplained) unexplained")
        print("ratio: Gridwall 1 core / GEOS = \(ratio(geosSeconds, oneCore))×, Gridwall \(threads) cores / GEOS = \(ratio(geosSeconds, allCores))×")

        var unexplained = geosUnexplained
        if postgis != "off" {
            if let pg = try PostGISReference.run(grids: grids, xs: xs, ys: ys) {
                let (boundary, pgUnexplained) = try explain(ours, pg.answers, locator: locator, xs: xs, ys: ys)
                report("PostGIS ST_Contains join with GiST index", [pg.seconds])
                print("answers: \(points - boundary - pgUnexplained) of \(points) identical to PostGIS; \(boundary) differ within 1e-9° of a boundary, "
                      + "\(pgUnexplained) unexplained")
                print("ratio: Gridwall 1 core / PostGIS = \(ratio(pg.seconds, oneCore))×, Gridwall \(threads) cores / PostGIS = \(ratio(pg.seconds, allCores))×")
                unexplained += pgUnexplained
            } else {
                print("PostGIS: not installed (apt-get install postgresql-15-postgis-3); skipped")
            }
        }
        if unexplained > 0 { throw GridwallError(.invalidInput, "\(unexplained) points disagree with a reference away from any boundary") }
    }

    /// Of the points where two answers differ, how many lie within 1e-9° of the boundary of a
    /// grid either answer names (the shared-edge rule decides those; a reference may not), and
    /// how many do not.
    func explain(_ ours: [Int32], _ theirs: [Int32], locator: GeosPointLocator, xs: [Double], ys: [Double]) throws -> (boundary: Int, unexplained: Int) {
        var boundary = 0, unexplained = 0
        for i in ours.indices where ours[i] != theirs[i] {
            let involved = [ours[i], theirs[i]].filter { $0 >= 0 }.map(Int.init)
            let d = try involved.map { try locator.boundaryDistance($0, x: xs[i], y: ys[i]) }.min() ?? .infinity
            if d <= 1e-9 { boundary += 1 } else { unexplained += 1 }
        }
        return (boundary, unexplained)
    }

    /// One line: the median run's time and rate, and the best run's rate when there were several.
    func report(_ what: String, _ runs: [Double]) {
        let label = what.padding(toLength: 44, withPad: " ", startingAt: 0), m = median(runs)
        let best = runs.count > 1 ? String(format: "  (best %.2f, %d runs)", Double(points) / runs.min()! / 1e6, runs.count) : ""
        print(label + String(format: " %9.1f ms %8.2f M points/s", m * 1000, Double(points) / m / 1e6) + best)
    }
    func median(_ runs: [Double]) -> Double { runs.sorted()[runs.count / 2] }
    func ratio(_ slow: Double, _ fast: Double) -> String { String(format: "%.1f", slow / fast) }
    func ms(since t: DispatchTime) -> Int { Int((DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1_000_000) }

}

/// `#require` for a command: unwraps or throws a clear error.
func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw GridwallError(.notFound, message) }
    return value
}
