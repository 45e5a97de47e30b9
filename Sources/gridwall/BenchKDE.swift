// `gridwall bench kde`: kernel density of 1 M and 10 M clustered events (quartic kernel, 300 m
// bandwidth, 50 m cells): Gridwall's exact sum (1 M only) and binned raster on one thread and on
// every core, against numpy's binned FFT (scripts/reference/kde_reference.py, one thread) on the
// same points and raster in the same run. How far each is from the exact raster on the dense cells is printed beside the times.
import ArgumentParser
import Foundation
import GridwallCore

struct BenchKDE: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kde", abstract: "Kernel density, exact and binned, against numpy's binned FFT.")

    @Option(help: "Event counts, comma-separated.") var events = "1000000,10000000"
    @Option(help: "Bandwidth, metres.") var bandwidth = 300.0
    @Option(help: "Cell size, metres.") var cell = 50.0
    @Option(help: "Runs of each timing, Gridwall's and numpy's (best and median reported).") var repeats = 5
    @Option(help: "Pile the events as geocoded data does: each moved to the nearest node of a lattice this many metres apart (0: every event where it fell).")
    var snap = 0.0
    @Option(help: "Python with numpy (default: the reference environment scripts/setup-debian --tests makes).") var python: String?

    func validate() throws {
        guard snap >= 0, snap.isFinite else { throw ValidationError("--snap: a lattice spacing in metres, 0 or more; got \(snap)") }
    }

    func run() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let piling = snap > 0 ? "; events piled on the nodes of a \(snap) m lattice" : ""
        print("# gridwall bench kde — \(cores) cores, \(ISOTime.format(Int64(Date().timeIntervalSince1970))); quartic kernel, h \(Int(bandwidth)) m, cells \(Int(cell)) m\(piling)")
        let python = referencePython(python)
        for n in events.split(separator: ",").compactMap({ Int($0) }) {
            let points = snap > 0 ? Self.snapped(Self.clustered(n), spacing: snap) : Self.clustered(n)
            var box = BoundingBox.empty
            for p in points { box.extend(p) }
            box = box.expanded(by: bandwidth + cell)
            let extent = BoundingBox(minX: (box.minX / cell).rounded(.down) * cell, minY: (box.minY / cell).rounded(.down) * cell,
                                     maxX: (box.maxX / cell).rounded(.up) * cell, maxY: (box.maxY / cell).rounded(.up) * cell)
            var binned = DensityRaster(minX: 0, minY: 0, cellSize: 1, columns: 1, rows: 1)
            // Best and median of the same number of runs on both sides: the machine's
            // neighbours only ever add time, so the best is the steadier figure, and the median
            // says what a request meets.
            var times: [Int: (best: Double, median: Double)] = [:]
            for threads in Set([1, cores]).sorted() {
                let runs = (0..<max(1, repeats)).map { _ in
                    timed { binned = KernelDensity.binnedRaster(points, bandwidth: bandwidth, cellSize: cell, extent: extent, threads: threads) }
                }.sorted()
                times[threads] = (runs[0], runs[runs.count / 2])
                print(String(format: "%d events, %d×%d cells: Gridwall binned, %d thread%@ best %.1f ms, median %.1f ms of %d; %.0f M events/s at best; total %.1f",
                             n, binned.columns, binned.rows, threads, threads == 1 ? "" : "s", runs[0] * 1000, runs[runs.count / 2] * 1000,
                             runs.count, Double(n) / runs[0] / 1e6, binned.total))
            }
            var exact: DensityRaster?
            if n <= 1_000_000 {
                var e = binned
                let seconds = timed { e = KernelDensity.raster(points, bandwidth: bandwidth, cellSize: cell, extent: extent, method: .exact) }
                exact = e
                print(String(format: "  Gridwall exact %.1f ms; binned vs exact on dense cells (≥ 10 %% of the peak): worst %.2f %%",
                             seconds * 1000, Self.worst(binned, e) * 100))
            }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-bench-kde-\(getpid())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let input = dir.appendingPathComponent("points.f64"), output = dir.appendingPathComponent("raster.f64")
            try points.flatMap { [$0.x, $0.y] }.withUnsafeBytes { try Data($0).write(to: input) }
            guard let data = try runReferenceScript(python, "kde_reference.py", [input.path, "\(extent.minX)", "\(extent.minY)", "\(cell)",
                                                                                  "\(binned.columns)", "\(binned.rows)", "\(bandwidth)", output.path,
                                                                                  "\(max(1, repeats))"], showErrors: true),
                  case .object(let answer) = try JSONValue.parse(data), let seconds = answer["seconds"]?.doubleValue,
                  let median = answer["median"]?.doubleValue else {
                print("  numpy: not available (\(python) with numpy); skipped")
                continue
            }
            let values = try Data(contentsOf: output).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            var theirs = binned
            theirs.values = values
            let accuracy = exact.map { String(format: "; numpy vs exact on dense cells: worst %.2f %%", Self.worst(theirs, $0) * 100) } ?? ""
            print(String(format: "  numpy %@ binned FFT (1 thread) best %.1f ms, median %.1f ms of %d; %.1f M events/s at best; total %.1f%@",
                         answer["numpy"]?.stringValue ?? "?", seconds * 1000, median * 1000, max(1, repeats), Double(n) / seconds / 1e6,
                         theirs.total, accuracy))
            print("  ratio: Gridwall binned / numpy, best to best = " + times.sorted { $0.key < $1.key }.map {
                String(format: "%.1f× on %d thread%@", seconds / $0.value.best, $0.key, $0.key == 1 ? "" : "s")
            }.joined(separator: ", ") + "; median to median = " + times.sorted { $0.key < $1.key }.map {
                String(format: "%.1f× on %d thread%@", median / $0.value.median, $0.key, $0.key == 1 ? "" : "s")
            }.joined(separator: ", "))
        }
    }

    /// The largest relative difference on the cells where `reference` is at least a tenth of its peak.
    static func worst(_ raster: DensityRaster, _ reference: DensityRaster) -> Double {
        let peak = reference.maximum
        var worst = 0.0
        for k in reference.values.indices where reference.values[k] >= 0.1 * peak {
            worst = max(worst, abs(raster.values[k] - reference.values[k]) / reference.values[k])
        }
        return worst
    }

    /// `n` events over 20 × 20 km: 80 % in 300 clusters 40–800 m wide, 20 % uniform.
    static func clustered(_ n: Int) -> [Coordinate] {
        var rng = SeededRandom(seed: 22)
        let clusters = (0..<300).map { _ in (Coordinate(rng.uniform(0, 20_000), rng.uniform(0, 20_000)), rng.uniform(40, 800)) }
        var points: [Coordinate] = []
        points.reserveCapacity(n)
        for k in 0..<n {
            if k % 5 == 4 {
                points.append(Coordinate(rng.uniform(0, 20_000), rng.uniform(0, 20_000)))
            } else {
                let (centre, spread) = clusters[rng.int(0, clusters.count - 1)]
                points.append(Coordinate(centre.x + spread * rng.normal(), centre.y + spread * rng.normal()))
            }
        }
        return points
    }

    /// Each point moved to the nearest node of a square lattice `spacing` metres apart, offset
    /// from the cells by a third of a node, as geocoding to intersections piles events.
    static func snapped(_ points: [Coordinate], spacing: Double) -> [Coordinate] {
        let offset = spacing / 3
        return points.map { p in
            Coordinate(((p.x - offset) / spacing).rounded() * spacing + offset, ((p.y - offset) / spacing).rounded() * spacing + offset)
        }
    }
}
