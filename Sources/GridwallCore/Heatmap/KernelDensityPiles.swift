// Events at one and the same position — geocoded to the nearest intersection (Toronto's police
// data puts 30,000 events on 9,500 points), reported by one camera's AI or one fixed sensor — are
// where binning goes wrong. Binning an event leaves an error in a ring at the kernel's rim, where
// the quartic's second derivative jumps: scattered events put their rings at every offset from
// the cell centres and the errors cancel, but a pile of dozens puts dozens of the same ring on
// the same cells (3.9 % off the exact raster on Toronto at 300 m / 50 m, 0.14 % with this).
//
// So the piles are not binned: each adds its exact kernel at the cell centres, scaled to sum to
// its count so that the raster's total still equals the events. That costs one kernel value per
// cell in a pile's reach; the heaviest piles go first, within a budget of the convolution's own
// work. Finding piles takes a hash of every event, so a sample of them is hashed first: positions
// from GPS or a generator practically never repeat to the last bit, and then nothing more is
// spent. (A pile small enough to be missed by the sample is too small, beside the events around
// it, to move a dense cell.)

import Dispatch

extension KernelDensity {
    /// The events sharing a position, heaviest first, and every other event.
    struct Piles {
        var positions: [Coordinate] = []
        var counts: [Double] = []
        /// The events in no pile, in their order, to be binned.
        var scattered: [Coordinate] = []

        /// Finds piles of at least two events among `points` (those within `grid`), or nil when a
        /// sample of them has no position twice. `budget` bounds the exact kernels' work in
        /// kernel values; a pile costs one per cell of its (2 · reach + 2)² window.
        static func find(in points: [Coordinate], grid: PaddedBins, reach: Int, budget: Double, threads: Int = 1) -> Piles? {
            guard reach >= 1, points.count >= 2, sampleRepeats(points) else { return nil }
            // Each thread counts its share of the events in a table of its own; the others'
            // tables are then added into the first, and their events' numbers renumbered.
            let parts = max(1, min(threads, points.count / 200_000))
            let tables = (0..<parts).map { _ in DistinctPositions(capacity: 1 << 12) }
            var which = [Int32](repeating: -1, count: points.count)
            points.withUnsafeBufferPointer { all in which.withUnsafeMutableBufferPointer { w in
                // Safe: each part reads its own range of points and writes its own range of
                // numbers and its own table; concurrentPerform returns when every part has.
                nonisolated(unsafe) let (all, w, tables) = (all, w, tables)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let table = tables[part]   // once, not a retain per event
                    for k in (all.count * part / parts)..<(all.count * (part + 1) / parts) where grid.holds(all[k]) {
                        w[k] = table.insert(all[k])
                    }
                }
                for part in 1..<parts {
                    let renumbered = (0..<tables[part].count).map { tables[0].insert(tables[part].position($0), count: tables[part].count(of: $0)) }
                    for k in (all.count * part / parts)..<(all.count * (part + 1) / parts) where w[k] >= 0 { w[k] = renumbered[Int(w[k])] }
                }
            } }
            let distinct = tables[0]
            let counts = distinct.counts
            // The smallest pile size whose piles fit the budget: piles of 64 or more always do
            // (at most one per 64 events, so their work stays within a few kernel values per event).
            let largest = 64
            var piles = [Int](repeating: 0, count: largest + 1)
            for count in counts { piles[min(count, largest)] += 1 }
            let window = Double((2 * reach + 2) * (2 * reach + 2))
            var smallest = largest, cost = Double(piles[largest]) * window
            while smallest > 2, cost + Double(piles[smallest - 1]) * window <= budget {
                smallest -= 1
                cost += Double(piles[smallest]) * window
            }
            let heavy = counts.indices.filter { counts[$0] >= smallest }.sorted { counts[$0] > counts[$1] }
            guard !heavy.isEmpty else { return nil }
            var result = Piles()
            result.positions = heavy.map { distinct.position($0) }
            result.counts = heavy.map { Double(counts[$0]) }
            result.scattered.reserveCapacity(points.count - heavy.reduce(0) { $0 + counts[$1] })
            for (k, p) in points.enumerated() where which[k] < 0 || counts[Int(which[k])] < smallest {
                result.scattered.append(p)
            }
            return result
        }

        /// Whether some position occurs twice among up to 16,384 of the points, evenly spread.
        static func sampleRepeats(_ points: [Coordinate]) -> Bool {
            let stride = max(1, points.count / 16_384)
            let seen = DistinctPositions(capacity: 1 << 15)
            for k in Swift.stride(from: 0, to: points.count, by: stride) where seen.count(of: Int(seen.insert(points[k]))) > 1 {
                return true
            }
            return false
        }

        /// Adds every pile's kernel, cropped to the raster: at each cell centre within h of the
        /// pile, its count times the quartic there divided by the kernel's sum over its whole
        /// window (so a pile adds exactly its count, as a binned event adds exactly one).
        func add(to raster: inout DensityRaster, bandwidth h: Double, threads: Int = 1) {
            // A few thousand piles are worth a thread; each part adds its share of the piles
            // into a raster of its own (windows of different piles overlap), added up after.
            let parts = max(1, min(threads, positions.count / 4_000))
            guard parts > 1 else { return add(positions.indices, to: &raster.values, of: raster, bandwidth: h) }
            var shares = [[Double]](repeating: [Double](repeating: 0, count: raster.values.count), count: parts)
            let grid = raster
            shares.withUnsafeMutableBufferPointer { shares in
                // Safe: each part writes its own share.
                nonisolated(unsafe) let shares = shares
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    add((positions.count * part / parts)..<(positions.count * (part + 1) / parts), to: &shares[part], of: grid, bandwidth: h)
                }
            }
            for share in shares { for k in share.indices { raster.values[k] += share[k] } }
        }

        /// Adds the kernels of the piles in `range` to `values`, cells of `raster`'s grid.
        private func add(_ range: Range<Int>, to values: inout [Double], of raster: DensityRaster, bandwidth h: Double) {
            let c = raster.cellSize, inverse = 1 / (h * h), (columns, rows) = (raster.columns, raster.rows)
            let side = Int((2 * h / c).rounded(.down)) + 2
            let dx2 = UnsafeMutablePointer<Double>.allocate(capacity: side), kernel = UnsafeMutablePointer<Double>.allocate(capacity: side * side)
            defer { dx2.deallocate(); kernel.deallocate() }
            values.withUnsafeMutableBufferPointer { out in
                for (p, count) in zip(positions[range], counts[range]) {
                    let c0 = Int(((p.x - h - raster.minX) / c - 0.5).rounded(.up)), c1 = Int(((p.x + h - raster.minX) / c - 0.5).rounded(.down))
                    let r0 = Int(((p.y - h - raster.minY) / c - 0.5).rounded(.up)), r1 = Int(((p.y + h - raster.minY) / c - 0.5).rounded(.down))
                    let width = c1 - c0 + 1, height = r1 - r0 + 1
                    guard width > 0, height > 0, width <= side, height <= side else { continue }
                    for t in 0..<width {
                        let dx = raster.minX + (Double(c0 + t) + 0.5) * c - p.x
                        dx2[t] = dx * dx
                    }
                    var sum = 0.0
                    for r in 0..<height {
                        let dy = raster.minY + (Double(r0 + r) + 0.5) * c - p.y, row = kernel + r * width
                        for t in 0..<width {
                            let u = max(0, 1 - (dx2[t] + dy * dy) * inverse)
                            row[t] = u * u
                            sum += u * u
                        }
                    }
                    let (low, high) = (max(r0, 0), min(r1, rows - 1)), (left, right) = (max(c0, 0), min(c1, columns - 1))
                    guard sum > 0, low <= high, left <= right else { continue }
                    let scale = count * 1e6 / (sum * c * c)
                    for r in low...high {
                        let row = kernel + (r - r0) * width - c0, o = out.baseAddress! + r * columns
                        for col in left...right { o[col] += scale * row[col] }
                    }
                }
            }
        }
    }

    /// The distinct positions seen and how often each: open addressing on the positions' bits.
    /// Why not a Dictionary, and why a class over raw memory: this runs over millions of events,
    /// and a table of 32-bit slots that grows with the distinct positions, not the events, stays
    /// in cache for piled data, with no copy-on-write check on every count.
    final class DistinctPositions {
        private var slots: UnsafeMutablePointer<Int32>
        private var mask: Int
        private var entries: UnsafeMutablePointer<Entry>
        private var room: Int
        /// How many distinct positions there are.
        private(set) var count = 0

        struct Entry {
            var position: Coordinate
            var count: Int
        }

        init(capacity: Int) {
            let size = max(16, capacity).nextPowerOfTwo
            slots = .allocate(capacity: size)
            slots.initialize(repeating: -1, count: size)
            mask = size - 1
            room = size / 2
            entries = .allocate(capacity: room)
        }

        deinit {
            slots.deallocate()
            entries.deallocate()
        }

        /// The distinct positions, in the order first seen.
        var positions: [Coordinate] { (0..<count).map { entries[$0].position } }
        /// How often each was seen.
        var counts: [Int] { (0..<count).map { entries[$0].count } }
        func position(_ k: Int) -> Coordinate { entries[k].position }
        func count(of k: Int) -> Int { entries[k].count }

        /// Counts `p` `count` more times and answers its number among the distinct positions.
        @inline(__always)
        func insert(_ p: Coordinate, count added: Int = 1) -> Int32 {
            // + 0 makes −0 the same key as 0, as it is the same position.
            let x = p.x + 0, y = p.y + 0
            var slot = Self.hash(x, y) & mask
            while true {
                let k = slots[slot]
                if k < 0 { break }
                if entries[Int(k)].position.x == x && entries[Int(k)].position.y == y {
                    entries[Int(k)].count += added
                    return k
                }
                slot = (slot + 1) & mask
            }
            if count == room {
                grow()
                return insert(p, count: added)
            }
            slots[slot] = Int32(count)
            (entries + count).initialize(to: Entry(position: Coordinate(x, y), count: added))
            count += 1
            return Int32(count - 1)
        }

        /// Doubles the table (it is kept at most half full, so probes stay short).
        private func grow() {
            let size = 2 * (mask + 1)
            slots.deallocate()
            slots = .allocate(capacity: size)
            slots.initialize(repeating: -1, count: size)
            mask = size - 1
            for k in 0..<count {
                var slot = Self.hash(entries[k].position.x, entries[k].position.y) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(k)
            }
            let larger = UnsafeMutablePointer<Entry>.allocate(capacity: size / 2)
            larger.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = larger
            room = size / 2
        }

        @inline(__always)
        private static func hash(_ x: Double, _ y: Double) -> Int {
            var k = (x.bitPattern &* 0x9E37_79B9_7F4A_7C15) ^ y.bitPattern
            k ^= k >> 32
            k &*= 0xD6E8_FEB8_6659_FD93
            k ^= k >> 29
            return Int(truncatingIfNeeded: k)
        }
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
