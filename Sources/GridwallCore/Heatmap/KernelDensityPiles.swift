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
// work. The other events are binned: copied out when the piles hold a good share of the events;
// otherwise every event is binned and the piles' events are taken back out of the bins (binning
// is a sum), cheaper than the copy. Finding piles takes a hash of every event, so a sample of
// them is hashed first: positions from GPS or a generator practically never repeat to the last
// bit, and then nothing more is spent. (A pile small enough to be missed by the sample is too
// small, beside the events around it, to move a dense cell.)

import Dispatch

extension KernelDensity {
    /// The events sharing a position, heaviest first; and, when the piles hold a good share of
    /// the events, every other event.
    struct Piles {
        var positions: [Coordinate] = []
        var counts: [Double] = []
        /// The events in no pile, in their order, to be binned instead of all of them; nil when
        /// the piles hold under a quarter of the events: then every event is binned and the
        /// piles are taken back out of the bins (`unbin`), cheaper than copying the rest.
        var scattered: [Coordinate]?
        /// How many events the piles hold.
        var events: Double { counts.reduce(0, +) }

        /// Distinct positions counted one by one before the count turns to known piles only: a
        /// table this size (2 MB) stays in the second-level cache, and piled data stays within
        /// it (Toronto's 30,000 events sit on 9,500 points; the benchmark's lattice has 28,000).
        static let distinctLimit = 1 << 16

        /// Finds piles of at least two events among `points` (those within `grid`), or nil when a
        /// sample of them has no position twice. `budget` bounds the exact kernels' work in
        /// kernel values; a pile costs one per cell of its (2 · reach + 2)² window.
        ///
        /// Every event is counted while the distinct positions stay under `distinctLimit`. Past
        /// it the events are mostly scattered (a GPS feed with a few cameras and sensors among
        /// them: a table of every position would grow with the events, a million entries and a
        /// second for 4 M live events): the positions seen twice by then are taken as the piles,
        /// and every event is counted against those alone.
        static func find(in points: [Coordinate], grid: PaddedBins, reach: Int, budget: Double, threads: Int = 1) -> Piles? {
            guard reach >= 1, points.count >= 2, sampleRepeats(points) else { return nil }
            // Each thread counts its share of the events in a table of its own, and notes each
            // event's number there (−1: not in the grid) while the table is complete.
            let parts = max(1, min(threads, points.count / 200_000))
            let tables = (0..<parts).map { _ in DistinctPositions(capacity: 1 << 12) }
            var full = [Bool](repeating: false, count: parts)
            // Not initialised: a count that stops early touches only the numbers it writes.
            let which = UnsafeMutablePointer<Int32>.allocate(capacity: points.count)
            defer { which.deallocate() }
            points.withUnsafeBufferPointer { all in full.withUnsafeMutableBufferPointer { full in
                // Safe: each part reads its own range of points and writes its own numbers,
                // table and flag; concurrentPerform returns when every part has.
                nonisolated(unsafe) let (all, full, tables, w) = (all, full, tables, which)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let table = tables[part]   // once, not a retain per event
                    for k in (all.count * part / parts)..<(all.count * (part + 1) / parts) {
                        guard grid.holds(all[k]) else { w[k] = -1; continue }
                        w[k] = table.insert(all[k])
                        if table.count >= distinctLimit { full[part] = true; break }
                    }
                }
            } }
            let distinct: DistinctPositions, counts: [Int], complete = !full.contains(true)
            if complete {
                // The other tables are added into the first, and their events renumbered.
                distinct = tables[0]
                for part in 1..<parts {
                    let table = tables[part]
                    let renumbered = (0..<table.count).map { distinct.insert(table.position($0), count: table.count(of: $0)) }
                    for k in (points.count * part / parts)..<(points.count * (part + 1) / parts) where which[k] >= 0 {
                        which[k] = renumbered[Int(which[k])]
                    }
                }
                counts = distinct.counts
            } else {
                distinct = DistinctPositions(capacity: 1 << 12)
                for table in tables { for k in 0..<table.count where table.count(of: k) > 1 { _ = distinct.insert(table.position(k), count: 0) } }
                guard distinct.count > 0 else { return nil }
                counts = count(points, at: distinct, threads: parts)
            }
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
            var result = Piles(positions: heavy.map { distinct.position($0) }, counts: heavy.map { Double(counts[$0]) })
            let piled = heavy.reduce(0) { $0 + counts[$1] }
            guard 4 * piled >= points.count else { return result }
            var scattered: [Coordinate] = []
            scattered.reserveCapacity(points.count - piled)
            for (k, p) in points.enumerated() {
                let n = complete ? Int(which[k]) : Int(distinct.number(of: p))
                if n < 0 || counts[n] < smallest { scattered.append(p) }
            }
            result.scattered = scattered
            return result
        }

        /// How many of `points` (those within the grid: only such positions are in `known`) sit
        /// on each position of `known`, counted on up to `threads` threads.
        private static func count(_ points: [Coordinate], at known: DistinctPositions, threads parts: Int) -> [Int] {
            var shares = [[Int]](repeating: [Int](repeating: 0, count: known.count), count: parts)
            points.withUnsafeBufferPointer { all in shares.withUnsafeMutableBufferPointer { shares in
                // Safe: the table is only read; each part writes its own share.
                nonisolated(unsafe) let (all, shares, known) = (all, shares, known)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    shares[part].withUnsafeMutableBufferPointer { share in
                        for k in (all.count * part / parts)..<(all.count * (part + 1) / parts) {
                            let n = known.number(of: all[k])
                            if n >= 0 { share[Int(n)] += 1 }
                        }
                    }
                }
            } }
            return shares.dropFirst().reduce(into: shares[0]) { total, share in for k in share.indices { total[k] += share[k] } }
        }

        /// Takes each pile's events back out of `bins`, where every event was binned (they add
        /// their exact kernels instead): binning is a sum, so the bins are then those of every
        /// other event. Nothing to do when only the scattered events were binned.
        func unbin(from bins: UnsafeMutablePointer<Double>, grid: PaddedBins) {
            guard scattered == nil else { return }
            for (p, count) in zip(positions, counts) { grid.spread(p, weight: -count, into: bins) }
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

        /// The number of `p` among the distinct positions, or −1 when it is not one of them.
        @inline(__always)
        func number(of p: Coordinate) -> Int32 {
            let x = p.x + 0, y = p.y + 0
            var slot = Self.hash(x, y) & mask
            while true {
                let k = slots[slot]
                if k < 0 || (entries[Int(k)].position.x == x && entries[Int(k)].position.y == y) { return k }
                slot = (slot + 1) & mask
            }
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
