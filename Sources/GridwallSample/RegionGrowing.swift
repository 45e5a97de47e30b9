// Areas grown from seeds over the lattice's triangles: a multi-source Dijkstra whose step costs
// carry per-triangle noise, so boundaries wander like real ones instead of being Voronoi lines.
// Each child grows only inside its parent and (first pass) never across the river or a main
// road, so boundaries follow water and roads where they can.
import GridwallCore

struct RegionGrowing {
    let lattice: TriangleLattice
    let shape: DistrictShape
    /// Per-triangle step cost multiplier.
    let roughness: [Double]
    /// Per (triangle, side): whether the step to that neighbour crosses a barrier.
    let blocked: [Bool]

    init(lattice: TriangleLattice, shape: DistrictShape, rng: inout SeededRandom) {
        self.lattice = lattice
        self.shape = shape
        roughness = (0..<lattice.count).map { _ in 1 + 1.2 * rng.unit() }
        var blocked = [Bool](repeating: false, count: lattice.count * 3)
        for t in 0..<lattice.count {
            for k in 0..<3 {
                let u = Int(lattice.neighbours[3 * t + k])
                guard u > t else { continue }
                if shape.crossesBarrier(lattice.centroids[t], lattice.centroids[u]) {
                    blocked[3 * t + k] = true
                    for j in 0..<3 where lattice.neighbours[3 * u + j] == Int32(t) { blocked[3 * u + j] = true }
                }
            }
        }
        self.blocked = blocked
    }

    /// Splits every parent into children. `seeds[p]` are the seed triangles of parent p's children;
    /// returns the child index (global, in seed order) of every triangle.
    func grow(parents: [Int32], seeds: [[Int]]) -> [Int32] {
        var childOfSeed: [Int: Int32] = [:]
        var next: Int32 = 0
        for list in seeds { for s in list { childOfSeed[s] = next; next += 1 } }
        var label = [Int32](repeating: -1, count: lattice.count)
        var cost = [Double](repeating: .infinity, count: lattice.count)
        var heap = BinaryHeap()
        for list in seeds { for s in list { label[s] = childOfSeed[s]!; cost[s] = 0; heap.push(0, s) } }
        // First pass: never across the river or a main road.
        func run(respectBarriers: Bool, onlyInto open: [Bool]?) {
            while !heap.isEmpty {
                let (c, t) = heap.pop()
                guard c <= cost[t] else { continue }
                for k in 0..<3 {
                    let u = Int(lattice.neighbours[3 * t + k])
                    guard u >= 0, parents[u] == parents[t] else { continue }
                    if respectBarriers && blocked[3 * t + k] { continue }
                    if let open, !open[u] { continue }
                    let nc = c + roughness[u]
                    if nc < cost[u] { cost[u] = nc; label[u] = label[t]; heap.push(nc, u) }
                }
            }
        }
        run(respectBarriers: true, onlyInto: nil)
        // Second pass: pockets the barriers closed off join a neighbour across the barrier.
        let open = label.map { $0 < 0 }
        if open.contains(true) {
            for t in 0..<lattice.count where label[t] >= 0 { heap.push(cost[t], t) }
            run(respectBarriers: false, onlyInto: open)
        }
        return label
    }

    /// Well-spread seeds inside one parent (Mitchell's best-candidate sampling).
    func seeds(count: Int, among members: [Int], rng: inout SeededRandom) -> [Int] {
        var chosen: [Int] = []
        for _ in 0..<count {
            var best = members[rng.int(0, members.count - 1)], bestDistance = -1.0
            for _ in 0..<12 {
                let candidate = members[rng.int(0, members.count - 1)]
                let p = lattice.centroids[candidate]
                var nearest = Double.infinity
                for s in chosen {
                    let q = lattice.centroids[s]
                    nearest = min(nearest, (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y))
                }
                if nearest > bestDistance { bestDistance = nearest; best = candidate }
            }
            chosen.append(best)
        }
        return chosen
    }
}

/// Splits `total` into integer parts proportional to `weights`, each at least `minimum`
/// (largest-remainder method, ties to the lower index).
func apportion(_ total: Int, weights: [Double], minimum: Int = 1) -> [Int] {
    let sum = weights.reduce(0, +)
    let spare = total - minimum * weights.count
    let exact = weights.map { Double(spare) * $0 / sum }
    var parts = exact.map { minimum + Int($0.rounded(.down)) }
    var left = total - parts.reduce(0, +)
    let order = exact.indices.sorted { (exact[$0] - exact[$0].rounded(.down)) > (exact[$1] - exact[$1].rounded(.down)) }
    for i in order where left > 0 { parts[i] += 1; left -= 1 }
    return parts
}
