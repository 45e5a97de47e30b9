// Position updates and nearest-responder queries at once, on several threads, under
// ThreadSanitizer: the registry must publish whole snapshots without data races.
// Run with scripts/tsan/run.
import Dispatch
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
