// Events piled on one position in the binned kernel density (KernelDensityPiles.swift): the
// distinct positions are counted as a dictionary would count them, the heaviest piles are the
// ones taken when the budget runs short, and positions that are not numbers never pile up. How
// near the exact raster the piles bring real data: BinnedDensityTests (Toronto).
import Testing
@testable import GridwallCore
import GridwallTestSupport

@Suite struct DensityPilesTests {
    /// A grid of bins over 0…10 km at 50 m cells, padded as the raster pads it.
    static let grid = KernelDensity.PaddedBins(width: 216, height: 216, pad: 8, cell: 50, originX: -400, originY: -400)

    @Test func distinctPositionsCountAsADictionaryDoes() {
        var rng = TestData.random("distinct positions")
        let nodes = (0..<3_000).map { _ in Coordinate(rng.uniform(-5, 5).rounded(), rng.uniform(-5, 5).rounded()) }
        var points = (0..<20_000).map { _ in nodes[rng.int(0, nodes.count - 1)] }
        points += [Coordinate(0, 0), Coordinate(-0.0, 0), Coordinate(0, -0.0)]
        let table = KernelDensity.DistinctPositions(capacity: 16)   // grows many times over
        let numbers = points.map { table.insert($0) }
        var expected: [String: Int] = [:]
        for p in points { expected["\(p.x + 0) \(p.y + 0)", default: 0] += 1 }
        #expect(table.positions.count == expected.count)
        for (k, p) in table.positions.enumerated() { #expect(table.counts[k] == expected["\(p.x) \(p.y)"]) }
        for (p, k) in zip(points, numbers) { #expect(table.positions[Int(k)] == Coordinate(p.x + 0, p.y + 0)) }
    }

    @Test func scatteredEventsHaveNoPiles() {
        var rng = TestData.random("scattered")
        let points = (0..<100_000).map { _ in Coordinate(rng.uniform(0, 10_000), rng.uniform(0, 10_000)) }
        #expect(KernelDensity.Piles.find(in: points, grid: Self.grid, reach: 6, budget: 1e9) == nil)
    }

    @Test func theHeaviestPilesFitTheBudget() throws {
        // 100 positions with 2…101 events each, among scattered ones.
        var rng = TestData.random("piles")
        var points: [Coordinate] = []
        for k in 0..<100 {
            let p = Coordinate(rng.uniform(500, 9_500), rng.uniform(500, 9_500))
            points += Array(repeating: p, count: k + 2)
        }
        let scattered = 5_000
        points += (0..<scattered).map { _ in Coordinate(rng.uniform(0, 10_000), rng.uniform(0, 10_000)) }
        let window = Double(14 * 14)   // (2 · reach + 2)² cells per pile at reach 6

        let all = try #require(KernelDensity.Piles.find(in: points, grid: Self.grid, reach: 6, budget: 1e9))
        #expect(all.counts == (2...101).reversed().map(Double.init))
        #expect(all.events == Double(points.count - scattered))

        // Room for 50 piles: those of 52 events and more, and every other event binned.
        let some = try #require(KernelDensity.Piles.find(in: points, grid: Self.grid, reach: 6, budget: 50 * window))
        #expect(some.counts == (52...101).reversed().map(Double.init))
        #expect(some.events == Double((52...101).reduce(0, +)))

        // Piles of 64 or more are always taken: at most one per 64 events, their work is bounded anyway.
        let none = try #require(KernelDensity.Piles.find(in: points, grid: Self.grid, reach: 6, budget: 0))
        #expect(none.counts == (64...101).reversed().map(Double.init))
    }

    /// Past `distinctLimit` distinct positions (a GPS feed with cameras among it) the table stops
    /// growing with the events: the positions seen twice by then are the piles, counted exactly
    /// over every event, on one thread and on two.
    @Test func mostlyScatteredEventsCountOnlyTheirPiles() throws {
        var rng = TestData.random("mostly scattered")
        let cameras = (0..<50).map { _ in Coordinate(rng.uniform(500, 9_500), rng.uniform(500, 9_500)) }
        let total = 7 * KernelDensity.Piles.distinctLimit   // two threads need 400,000 events
        // Every 100th event is a camera's (each camera 20 times over, spread through the feed).
        var points: [Coordinate] = []
        for k in 0..<total {
            let camera = k % 100 == 0 && k / 100 < 1_000
            points.append(camera ? cameras[(k / 100) % 50] : Coordinate(rng.uniform(0, 10_000), rng.uniform(0, 10_000)))
        }
        for threads in [1, 2] {
            let piles = try #require(KernelDensity.Piles.find(in: points, grid: Self.grid, reach: 6, budget: 1e9, threads: threads))
            #expect(piles.counts == Array(repeating: 20, count: 50), "\(threads) thread(s)")
            #expect(Set(piles.positions.map { "\($0.x) \($0.y)" }) == Set(cameras.map { "\($0.x) \($0.y)" }))
        }
    }

    @Test func positionsThatAreNotNumbersNeverPile() {
        let valid = (0..<1_000).map { Coordinate(5_000 + Double($0 % 10), 5_000) }
        let points = valid + Array(repeating: Coordinate(.infinity, 5_000), count: 500) + Array(repeating: Coordinate(.nan, .nan), count: 500)
            + Array(repeating: Coordinate(-1e300, 1e300), count: 500)
        let piles = KernelDensity.Piles.find(in: points, grid: Self.grid, reach: 6, budget: 1e9)
        #expect(piles?.counts == Array(repeating: 100, count: 10))
        let raster = KernelDensity.binnedRaster(points, bandwidth: 300, cellSize: 50, extent: BoundingBox(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000))
        #expect(abs(raster.total - 1_000) < 1e-9 * 1_000)
    }

    /// Piles found and added on two threads (each counting its share of the events, each adding
    /// its share of the piles) give the one-thread raster, to rounding.
    @Test func twoThreadsGiveTheOneThreadRaster() {
        var rng = TestData.random("piles on two threads")
        let nodes = (0..<20_000).map { _ in Coordinate(rng.uniform(0, 10_000), rng.uniform(0, 10_000)) }
        let points = (0..<450_000).map { k in k % 10 == 0 ? Coordinate(rng.uniform(0, 10_000), rng.uniform(0, 10_000)) : nodes[rng.int(0, nodes.count - 1)] }
        let box = BoundingBox(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000)
        let one = KernelDensity.binnedRaster(points, bandwidth: 300, cellSize: 50, extent: box, threads: 1)
        let two = KernelDensity.binnedRaster(points, bandwidth: 300, cellSize: 50, extent: box, threads: 2)
        let piles = KernelDensity.Piles.find(in: points, grid: Self.grid, reach: 6, budget: 1e9, threads: 2)
        #expect(piles.map { Int($0.events) } == 450_000 - points.indices.filter { $0 % 10 == 0 }.count)
        #expect((piles?.counts.count ?? 0) > 8_000)   // enough for two threads to add them
        let worst = zip(one.values, two.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-9 * one.maximum, "worst difference \(worst)")
    }
}
