// The tile cache keeps what fits its byte budget, drops the oldest first, and never holds a
// tile bigger than the whole budget: on random insertions against a plain list model.
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct TileCacheTests {
    @Test func keepsTheNewestWithinItsBudget() {
        var rng = TestData.random("tile cache")
        var cache = TileCache<Int>(budget: 10_000)
        var model: [(key: Int, size: Int)] = []
        for key in 0..<5_000 {
            let size = rng.unit() < 0.01 ? 12_000 : rng.int(0, 900)
            cache.insert([UInt8](repeating: UInt8(key % 251), count: size), for: key)
            if size <= 10_000 {
                model.append((key, size))
                while model.reduce(0, { $0 + $1.size }) > 10_000 { model.removeFirst() }
            }
            #expect(cache.bytes <= 10_000 && cache.bytes == model.reduce(0) { $0 + $1.size })
        }
        #expect(cache.count == model.count)
        for (key, size) in model { #expect(cache[key] == [UInt8](repeating: UInt8(key % 251), count: size)) }
        #expect(cache[model[0].key - 1] == nil)
    }
}
