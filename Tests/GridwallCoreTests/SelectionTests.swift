// kthSmallest is sorted()[k]: every k of small arrays with many equal values, random k of large
// ones, sorted and reversed input (a pivot rule's worst cases), and the raster's colour scale.
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct SelectionTests {
    @Test func theKthSmallestIsTheSortedArraysKth() {
        var rng = TestData.random("selection")
        for n in [1, 2, 3, 5, 17, 64] {
            for _ in 0..<20 {
                let values = (0..<n).map { _ in Double(rng.int(0, 6)) * 0.5 }
                let sorted = values.sorted()
                for k in 0..<n { #expect(values.kthSmallest(k) == sorted[k], "\(values), k \(k)") }
            }
        }
        let large = (0..<100_000).map { _ in rng.uniform(0, 1) < 0.3 ? 7.0 : rng.uniform(-1e6, 1e6) }
        let sorted = large.sorted()
        for k in [0, 1, 50_000, 98_999, 99_000, 99_999] + (0..<20).map({ _ in rng.int(0, 99_999) }) {
            #expect(large.kthSmallest(k) == sorted[k], "k \(k)")
            #expect(sorted.kthSmallest(k) == sorted[k] && Array(sorted.reversed()).kthSmallest(k) == sorted[k], "k \(k) of sorted input")
        }
    }

    @Test func theColourScaleIsThe99thPercentileOfTheNonZeroCells() {
        var rng = TestData.random("display scale")
        var raster = DensityRaster(minX: 0, minY: 0, cellSize: 10, columns: 300, rows: 200)
        raster.values = raster.values.indices.map { _ in rng.uniform(0, 1) < 0.4 ? 0 : rng.uniform(0, 500) }
        let positive = raster.values.filter { $0 > 0 }.sorted()
        #expect(raster.displayScale == positive[Int(Double(positive.count) * 0.99)])
    }
}
