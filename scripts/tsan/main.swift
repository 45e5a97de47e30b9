// Under ThreadSanitizer (run with scripts/tsan/run), three things that threads share:
// - position updates and nearest-responder queries at once: the registry must publish whole
//   snapshots without data races;
// - a LiveValue (the heatmaps' live analysis) with changes applied while rebuilds run: no race,
//   and no change lost;
// - the batch assigner's workers filling their parts of one file at once.
import Dispatch
import Foundation
import GridwallBatch
import GridwallCore

var rng = SeededRandom(seed: 1)
let now = 1_795_132_800.0
let responders = (0..<20_000).map { i in
    Responder(id: "R\(i)", kind: ["police", "fire", "grid_worker"][i % 3], status: i % 5 == 0 ? .busy : .available,
              skills: i % 2 == 0 ? ["first_aid"] : [], position: Coordinate(rng.uniform(120.15, 120.30), rng.uniform(30.24, 30.37)),
              updatedAt: now)
}
let registry = ResponderRegistry(responders: responders)
let rounds = 40
DispatchQueue.concurrentPerform(iterations: 4) { worker in
    if worker == 0 {
        // The writer: 10 % of responders move per round, plus status changes.
        var local = SeededRandom(seed: 7)
        for round in 1...rounds {
            var batch: [PositionUpdate] = []
            for _ in 0..<2_000 {
                let i = local.int(0, responders.count - 1)
                batch.append(PositionUpdate(id: "R\(i)", position: Coordinate(local.uniform(120.15, 120.30), local.uniform(30.24, 30.37)),
                                            time: now + Double(round)))
            }
            registry.update(batch)
            _ = registry.setStatus("R\(round)", .busy)
        }
    } else {
        var local = SeededRandom(seed: UInt64(worker))
        var found = 0
        for _ in 0..<2_000 {
            var filter = ResponderFilter()
            filter.skills = ["first_aid"]
            let snapshot = registry.snapshot
            found += snapshot.candidates(near: Coordinate(local.uniform(120.15, 120.30), local.uniform(30.24, 30.37)), k: 5,
                                         filter: filter, now: now + 100).count
        }
        precondition(found > 0)
    }
}
print("tsan: \(rounds) update rounds against 3 query threads done, generation \(registry.snapshot.generation)")

// LiveValue: one thread rebuilds (appending to a copy, slowly), others apply changes; every
// change must be in the final value, whether it landed during a rebuild or between two.
let live = LiveValue<[Int], Int>([]) { (list: inout [Int], change: Int) in list.append(change) }
let changers = 3, changesEach = 2_000
DispatchQueue.concurrentPerform(iterations: changers + 1) { worker in
    if worker == 0 {
        for round in 0..<200 {
            _ = try? live.rebuild { copy in
                var next = copy
                for _ in 0..<50 { next.append(-1 - round) }   // the rebuild's own work
                return round % 7 == 0 ? nil : next           // some rebuilds find nothing to do
            }
        }
    } else {
        for i in 0..<changesEach { live.apply(worker * 1_000_000 + i) }
    }
}
let changes = live.value.filter { $0 >= 0 }
precondition(changes.count == changers * changesEach && Set(changes).count == changes.count,
             "LiveValue lost or doubled changes: \(changes.count) of \(changers * changesEach)")
print("tsan: \(changers * changesEach) changes applied across 200 rebuilds, none lost")

// The batch assigner: 20,000 rows over a 10 × 10 tiling, in two parts on two threads.
var areas = [AreaRecord(id: "D", name: "d", level: .district, parentID: nil,
                        geometry: .polygon(Polygon(exterior: [.init(0, 0), .init(1, 0), .init(1, 1), .init(0, 1), .init(0, 0)])))]
for c in 0..<10 { for r in 0..<10 {
    let x = Double(c) / 10, y = Double(r) / 10
    areas.append(AreaRecord(id: "G\(c)-\(r)", name: "g", level: .grid, parentID: "D", geometry: .polygon(Polygon(exterior: [
        .init(x, y), .init(x + 0.1, y), .init(x + 0.1, y + 0.1), .init(x, y + 0.1), .init(x, y)]))))
} }
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gridwall-tsan-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
var csv = "lon,lat\n"
for _ in 0..<20_000 { csv += "\(rng.uniform(-0.05, 1.05)),\(rng.uniform(-0.05, 1.05))\n" }
try Data(csv.utf8).write(to: dir.appendingPathComponent("in.csv"))
var batchOptions = BatchOptions(input: .csv, output: .csv)
batchOptions.threads = 2
let report = try BatchAssigner(engine: AssignmentEngine(areas: areas, buildings: [], cameras: []))
    .run(input: dir.appendingPathComponent("in.csv").path, output: dir.appendingPathComponent("out.csv").path, options: batchOptions)
precondition(report.rows == 20_000, "batch assigner wrote \(report.rows) rows")
print("tsan: batch assigner, \(report.rows) rows in two parts")
