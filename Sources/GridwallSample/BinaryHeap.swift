/// A minimal binary min-heap keyed by Double, for multi-source Dijkstra region growing.
/// (swift-collections' Heap would serve too; this one keeps the generator's order of ties
/// explicit — equal costs pop in insertion order — which makes the output reproducible.)
struct BinaryHeap {
    private var keys: [Double] = []
    private var orders: [Int] = []
    private var values: [Int] = []
    private var counter = 0

    var isEmpty: Bool { keys.isEmpty }

    mutating func push(_ key: Double, _ value: Int) {
        keys.append(key); values.append(value); orders.append(counter); counter += 1
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard less(i, p) else { break }
            swapAt(i, p); i = p
        }
    }

    mutating func pop() -> (key: Double, value: Int) {
        let top = (keys[0], values[0])
        let last = keys.count - 1
        swapAt(0, last)
        keys.removeLast(); values.removeLast(); orders.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < keys.count, less(l, m) { m = l }
            if r < keys.count, less(r, m) { m = r }
            if m == i { break }
            swapAt(i, m); i = m
        }
        return top
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        keys[a] < keys[b] || (keys[a] == keys[b] && orders[a] < orders[b])
    }
    private mutating func swapAt(_ a: Int, _ b: Int) {
        keys.swapAt(a, b); values.swapAt(a, b); orders.swapAt(a, b)
    }
}
