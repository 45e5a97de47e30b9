// Bin keys without conversions: squares equal ⌊x / size⌋ (Foundation's floor) everywhere,
// integers and negative halves included; hexagons are the bin whose centre is nearest, for
// random points near the origin, at projected-metre magnitudes and at negative coordinates.
import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct BinKeyTests {
    @Test func squaresAreTheFloorOfTheScaledCoordinate() {
        let grid = BinGrid(.square, size: 1)
        var rng = TestData.random("floorKey")
        var values: [Double] = [0, -0.0, 3, -3, 2.5, -2.5, 0.5, -0.5, 2.999_999_999, -2.000_000_001, 1e9 + 0.5, -1e9 - 0.5]
        values += (0..<10_000).map { _ in rng.uniform(-1e7, 1e7) }
        values += (0..<1_000).map { _ in Double(rng.int(-100_000, 100_000)) / 4 }   // quarters: many exact halves and integers
        for v in values {
            let k = grid.key(of: Coordinate(v, -v))
            #expect(k.a == Int32(Foundation.floor(v)) && k.b == Int32(Foundation.floor(-v)), "\(v)")
        }
    }

    @Test func hexagonsAreTheNearestCentre() {
        var rng = TestData.random("hexKey")
        for size in [250.0, 97.5, 1_000] {
            let grid = BinGrid(.hex, size: size)
            for origin in [Coordinate(0, 0), Coordinate(500_000, 3_350_000), Coordinate(-2_000_000, -7_000_000)] {
                for _ in 0..<3_000 {
                    let p = Coordinate(origin.x + rng.uniform(-5_000, 5_000), origin.y + rng.uniform(-5_000, 5_000))
                    let k = grid.key(of: p)
                    let d = squaredDistance(grid.centre(k), p)
                    // No neighbour's centre is nearer (a hexagonal tiling is the Voronoi diagram of its centres).
                    let nearer = grid.neighbours(k).filter { squaredDistance(grid.centre($0), p) < d * (1 - 1e-12) }
                    #expect(nearer.isEmpty, "\(p) in \(k), nearer: \(nearer)")
                    #expect(d.squareRoot() <= size * (1 + 1e-9))
                }
            }
        }
    }

    func squaredDistance(_ a: Coordinate, _ b: Coordinate) -> Double { (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) }
}
