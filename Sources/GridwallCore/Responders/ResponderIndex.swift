// k nearest responders with filters, over an immutable snapshot in flat arrays.
//
// Why our own index: the live set changes every second (10 % of 100,000 responders moving), and
// the queries filter on kind, status, skills and freshness. A kd-tree must be rebuilt on every
// move and cannot skip filtered points cheaply. Here responders sit in a uniform bucket grid in
// local metres, each bucket split by status (nearly every dispatch query asks for the available
// ones, so it never reads the busy); a query visits rings of buckets outward, skips a bucket
// whose nearest corner is beyond the k-th best so far, tests the remaining filters as integer
// compares and keeps the k best in a small sorted buffer. A new snapshot is a counting sort
// (O(n), a few ms for 100,000), cheap enough to publish after every batch of moves.
//
// The buckets cover a fixed area: the service area when the caller knows it (the district plus
// a margin), else the bulk of the first positions (percentiles, widened). Responders outside it
// (a bad GPS fix, a test position at (0, 0)) go to a short overflow list that every query reads
// whole; sizing the buckets from the extent of all positions instead would let one outlier make
// every bucket kilometres wide and every query scan everyone.
//
// Distances here are on a local equirectangular frame (metres, within 0.1 % over a few km);
// `NearestResponders` in GridwallPROJ re-ranks the candidates by exact WGS84 geodesic distance,
// which is why `candidates(...)` returns a margin beyond the k-th.

/// One immutable snapshot of the responders, bucketed for k-nearest queries with filters.
public struct ResponderIndex: Sendable {
    public let frame: LocalFrame
    /// Which state of the registry this snapshot shows (0 for a standalone index).
    public internal(set) var generation: UInt64 = 0
    /// The state in responder order: identities (never copied: the registry shares one array
    /// across all snapshots) and the columns that change.
    let source: Columns
    // Flat columns in (bucket, status) order: slot t holds responder items[t]. A query reads its
    // buckets sequentially instead of jumping through responder order.
    let xs: [Double], ys: [Double]
    let kindCodes: [UInt8]
    let skillBits: [UInt64]
    let updated: [Double]
    // Buckets: the slots of bucket b with status s are offsets[b * 3 + s] ..< offsets[b * 3 + s + 1].
    static let statusCount = 3
    let cell: Double
    let originX: Double, originY: Double
    let columns: Int, rows: Int
    let offsets: [Int32]
    let items: [Int32]
    /// Responders outside the bucketed area, read by every query (few by construction).
    let overflow: [Int32]

    /// How many responders the snapshot holds.
    public var count: Int { source.identities.count }
    /// The responder kinds present, in order of first registration.
    public var kinds: [String] { source.kindNames }
    /// The skills responders have (the first 64, which the index can filter on).
    public var skills: [String] { source.skillNames }

    /// The buckets' size in metres and their number, and how many responders lie outside them
    /// (read by every query): what decides a query's work and the index's memory.
    public var bucketLayout: (cell: Double, columns: Int, rows: Int, overflow: Int) { (cell, columns, rows, overflow.count) }

    /// Responder `i` as it stands in this snapshot.
    public func responder(_ i: Int) -> Responder {
        var r = source.identities[i]
        r.position = source.positions[i]
        r.updatedAt = source.updated[i]
        r.status = ResponderStatus(code: source.statuses[i])
        return r
    }

    /// Every responder as it stands in this snapshot, in the order they were registered.
    public var responders: [Responder] { (0..<count).map(responder) }

    /// Per-responder state in responder order: what a snapshot is built from. The registry keeps
    /// one and patches the rows that change, so publishing costs copying a few flat arrays and a
    /// counting sort, not re-encoding every responder's strings and skill sets.
    struct Columns: Sendable {
        let frame: LocalFrame
        /// The bucketed area in the frame's metres and the buckets' size, both fixed for the
        /// registry's life (decided from the first positions).
        let area: BoundingBox
        let cell: Double
        /// Who each responder is (id, name, kind, skills); position, status and time come from
        /// the columns below. Never mutated, so every snapshot shares the same storage.
        let identities: [Responder]
        var positions: [Coordinate]
        var local: [Coordinate]
        let kinds: [UInt8], skills: [UInt64]
        var statuses: [UInt8]
        var updated: [Double]
        let kindNames: [String], skillNames: [String]

        init(responders: [Responder], frame: LocalFrame, area: BoundingBox, cell requested: Double?) {
            self.frame = frame
            self.area = area
            identities = responders
            // About twelve responders per bucket where they are (the extent of those inside the
            // area, not the area itself, which the margin widens), and at most about a million
            // buckets (measured with `gridwall bench nearest`: 2, 4, 8, 12 and 16 per bucket gave
            // 1.06, 1.57, 1.80, 1.88 and 1.89 M queries/s; below that the per-bucket work
            // dominates, above it the scanning).
            var spread = BoundingBox.empty
            for r in responders where area.contains(frame.project(r.position)) { spread.extend(frame.project(r.position)) }
            let occupied = spread.isEmpty ? 1 : max(1, spread.width * spread.height)
            let smallest = (max(1, area.width * area.height) / 1e6).squareRoot()
            cell = max(requested ?? max(10, (occupied / Double(max(1, responders.count)) * 12).squareRoot()), smallest)
            var kinds: [String] = [], kindIndex: [String: UInt8] = [:]
            var skills: [String] = [], skillIndex: [String: Int] = [:]
            for r in responders {
                if kindIndex[r.kind] == nil, kinds.count < 255 { kindIndex[r.kind] = UInt8(kinds.count); kinds.append(r.kind) }
                for s in r.skills.sorted() where skillIndex[s] == nil && skills.count < 64 { skillIndex[s] = skills.count; skills.append(s) }
            }
            kindNames = kinds; skillNames = skills
            positions = responders.map(\.position)
            local = responders.map { frame.project($0.position) }
            self.kinds = responders.map { kindIndex[$0.kind] ?? 255 }
            statuses = responders.map(\.status.code)
            self.skills = responders.map { r in r.skills.reduce(UInt64(0)) { bits, s in skillIndex[s].map { bits | (1 << UInt64($0)) } ?? bits } }
            updated = responders.map(\.updatedAt)
        }

        mutating func move(_ i: Int, to p: Coordinate, at time: Double) {
            positions[i] = p
            local[i] = frame.project(p)
            updated[i] = time
        }
    }

    /// Builds a snapshot. `cellSize` in metres; by default it adapts to the density, about
    /// twelve responders per bucket.
    ///
    /// `serviceArea` (WGS84 longitude/latitude, margin included) is where responders are
    /// expected; without it the area is the bulk of these positions.
    public init(responders: [Responder], cellSize requestedCell: Double? = nil, serviceArea: BoundingBox? = nil) {
        let area = serviceArea.flatMap { $0.isEmpty ? nil : $0 } ?? BoundingBox.bulk(of: responders.map(\.position))
        let frame = LocalFrame(origin: area.center)
        let corners = [Coordinate(area.minX, area.minY), Coordinate(area.maxX, area.maxY), Coordinate(area.minX, area.maxY), Coordinate(area.maxX, area.minY)]
        let local = corners.reduce(into: BoundingBox.empty) { $0.extend(frame.project($1)) }
        self.init(columns: Columns(responders: responders, frame: frame, area: local, cell: requestedCell))
    }

    /// Builds a snapshot from ready columns.
    init(columns source: Columns) {
        self.source = source
        frame = source.frame
        let local = source.local, n = local.count
        // The fixed area, not the positions' extent: see the header.
        let lo = Coordinate(source.area.minX, source.area.minY), hi = Coordinate(source.area.maxX, source.area.maxY)
        let cellSize = source.cell
        cell = cellSize
        originX = lo.x; originY = lo.y
        columns = max(1, Int(((hi.x - lo.x) / cellSize).rounded(.down)) + 1)
        rows = max(1, Int(((hi.y - lo.y) / cellSize).rounded(.down)) + 1)
        // Counting sort of responders into (bucket, status) slots; the overflow slot last.
        let slots = columns * rows * Self.statusCount
        var counts = [Int32](repeating: 0, count: slots + 2)
        var slotOf = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let slot: Int
            if source.area.contains(local[i]) {
                let c = min(columns - 1, max(0, Int((local[i].x - lo.x) / cellSize)))
                let r = min(rows - 1, max(0, Int((local[i].y - lo.y) / cellSize)))
                slot = (r * columns + c) * Self.statusCount + Int(min(source.statuses[i], 2))
            } else {
                slot = slots
            }
            slotOf[i] = Int32(slot)
            counts[slot + 1] += 1
        }
        for s in 0...slots { counts[s + 1] += counts[s] }
        var fill = counts
        var items = [Int32](repeating: 0, count: n)
        for i in 0..<n { let s = Int(slotOf[i]); items[Int(fill[s])] = Int32(i); fill[s] += 1 }
        offsets = Array(counts[0...slots])
        overflow = Array(items[Int(counts[slots])...])
        self.items = items
        xs = items.map { local[Int($0)].x }
        ys = items.map { local[Int($0)].y }
        kindCodes = items.map { source.kinds[Int($0)] }
        skillBits = items.map { source.skills[Int($0)] }
        updated = items.map { source.updated[Int($0)] }
    }

    /// The filter compiled to codes; nil when it can match nobody (an unknown kind or skill).
    struct CompiledFilter {
        var kinds: UInt256?
        var statuses: UInt8
        var skills: UInt64
        var minUpdated: Double
        var maxDistanceSquared: Double
        /// Whether anything beyond status and distance is tested per responder.
        var checksEach: Bool { kinds != nil || skills != 0 || minUpdated > -.infinity }
    }

    /// A 256-bit set of kind codes.
    struct UInt256 { var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        mutating func insert(_ v: UInt8) {
            let bit = UInt64(1) << UInt64(v & 63)
            switch v >> 6 { case 0: words.0 |= bit; case 1: words.1 |= bit; case 2: words.2 |= bit; default: words.3 |= bit }
        }
        func contains(_ v: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(v & 63)
            switch v >> 6 { case 0: return words.0 & bit != 0; case 1: return words.1 & bit != 0; case 2: return words.2 & bit != 0; default: return words.3 & bit != 0 }
        }
    }

    func compile(_ f: ResponderFilter, now: Double) -> CompiledFilter? {
        var kinds: UInt256?
        if let wanted = f.kinds {
            var set = UInt256()
            for k in wanted { if let i = source.kindNames.firstIndex(of: k) { set.insert(UInt8(i)) } }
            kinds = set
        }
        var statuses: UInt8 = 0b111
        if let wanted = f.statuses {
            statuses = 0
            for s in wanted { statuses |= 1 << s.code }
        }
        var skills: UInt64 = 0
        for s in f.skills {
            guard let i = source.skillNames.firstIndex(of: s) else { return nil }   // nobody has it
            skills |= 1 << UInt64(i)
        }
        let maxDistance = f.maxDistance ?? .infinity
        return CompiledFilter(kinds: kinds, statuses: statuses, skills: skills,
                              minUpdated: f.maxAge.map { now - $0 } ?? -.infinity,
                              maxDistanceSquared: maxDistance * maxDistance)
    }

    /// Up to `k` responders passing `filter`, nearest first by local-frame distance, plus every
    /// further one within `margin` (relative, e.g. 0.003) of the k-th, for exact re-ranking.
    /// Returns (responder index, local distance in metres).
    public func candidates(near p: Coordinate, k: Int, filter: ResponderFilter, now: Double,
                           margin: Double = 0) -> [(index: Int, distance: Double)] {
        var best: [(Double, Int32)] = []
        search(near: p, k: k, filter: filter, now: now, margin: margin, into: &best)
        return best.map { (Int($0.1), $0.0.squareRoot()) }
    }

    /// The allocation-free form for hot loops: fills `best` (cleared first, capacity kept) with
    /// (squared local distance, responder index), nearest first.
    public func search(near p: Coordinate, k: Int, filter: ResponderFilter, now: Double, margin: Double = 0,
                       into best: inout [(Double, Int32)]) {
        best.removeAll(keepingCapacity: true)
        guard k > 0, count > 0, p.isFinite, let f = compile(filter, now: now), f.statuses != 0 else { return }
        let q = frame.project(p)
        let cx = Int(((q.x - originX) / cell).rounded(.down)), cy = Int(((q.y - originY) / cell).rounded(.down))
        let ccx = min(columns - 1, max(0, cx)), ccy = min(rows - 1, max(0, cy))
        let slack2 = (1 + margin) * (1 + margin)
        // How far the query is from each side of its (clamped) cell: ring r lies at least
        // (r − 1) cells plus the smallest of these away, also for a query outside the grid.
        let left = q.x - (originX + Double(ccx) * cell), right = originX + Double(ccx + 1) * cell - q.x
        let below = q.y - (originY + Double(ccy) * cell), above = originY + Double(ccy + 1) * cell - q.y
        let edge = max(0, min(left, right, below, above))
        // Squared distance beyond which nothing is kept: the k-th best (widened by the margin)
        // once k are found, the distance limit before.
        var bound = f.maxDistanceSquared
        // The status slots to read, as at most two runs of consecutive statuses (one run for
        // "available"; two only for available + off duty). A tuple, not an array: no allocation.
        var runs = (first: (0, 0), second: (0, 0))
        var s = 0, found = 0
        while s < Self.statusCount {
            guard f.statuses & (1 << s) != 0 else { s += 1; continue }
            var e = s + 1
            while e < Self.statusCount, f.statuses & (1 << e) != 0 { e += 1 }
            if found == 0 { runs.first = (s, e) } else { runs.second = (s, e) }
            found += 1; s = e
        }
        let checksEach = f.checksEach
        // The few outside the bucketed area first, each tested in full.
        for i in overflow {
            let r = Int(i)
            if f.statuses & (1 << min(source.statuses[r], 2)) == 0 { continue }
            if let kinds = f.kinds, !kinds.contains(source.kinds[r]) { continue }
            if source.skills[r] & f.skills != f.skills || source.updated[r] < f.minUpdated { continue }
            let dx = source.local[r].x - q.x, dy = source.local[r].y - q.y
            let d2 = dx * dx + dy * dy
            if d2 > bound { continue }
            Self.insert(&best, (d2, i), k: k)
            if best.count >= k {
                bound = min(f.maxDistanceSquared, best[k - 1].0 * slack2)
                while best.count > k, best[best.count - 1].0 > bound { best.removeLast() }
            }
        }
        xs.withUnsafeBufferPointer { xs in
        ys.withUnsafeBufferPointer { ys in
        kindCodes.withUnsafeBufferPointer { kindCodes in
        skillBits.withUnsafeBufferPointer { skillBits in
        updated.withUnsafeBufferPointer { updated in
        items.withUnsafeBufferPointer { items in
        offsets.withUnsafeBufferPointer { offsets in
            var ring = 0
            while ring <= max(columns, rows) {
                let ringDistance = ring == 0 ? 0 : Double(ring - 1) * cell + edge
                if ringDistance * ringDistance > bound { break }
                for r in max(0, ccy - ring)...min(rows - 1, ccy + ring) {
                    let step = (r == ccy - ring || r == ccy + ring) ? 1 : 2 * ring
                    // Vertical gap from the query to this row of buckets.
                    let rowLow = originY + Double(r) * cell
                    let gy = max(0, rowLow - q.y, q.y - rowLow - cell)
                    var c = ccx - ring
                    while c <= ccx + ring {
                        defer { c += max(1, step) }
                        guard c >= 0 && c < columns else { continue }
                        let colLow = originX + Double(c) * cell
                        let gx = max(0, colLow - q.x, q.x - colLow - cell)
                        if gx * gx + gy * gy > bound { continue }
                        let base = (r * columns + c) * Self.statusCount
                        for run in 0..<found {
                            let (s, e) = run == 0 ? runs.first : runs.second
                            for t in Int(offsets[base + s])..<Int(offsets[base + e]) {
                                if checksEach {
                                    if let kinds = f.kinds, !kinds.contains(kindCodes[t]) { continue }
                                    if skillBits[t] & f.skills != f.skills { continue }
                                    if updated[t] < f.minUpdated { continue }
                                }
                                let dx = xs[t] - q.x, dy = ys[t] - q.y
                                let d2 = dx * dx + dy * dy
                                if d2 > bound { continue }
                                Self.insert(&best, (d2, items[t]), k: k)
                                if best.count >= k {
                                    bound = min(f.maxDistanceSquared, best[k - 1].0 * slack2)
                                    while best.count > k, best[best.count - 1].0 > bound { best.removeLast() }
                                }
                            }
                        }
                    }
                }
                ring += 1
            }
        }}}}}}}
    }

    /// Inserts into `best`, sorted by (distance, index); the caller has checked the bound.
    @inline(__always)
    private static func insert(_ best: inout [(Double, Int32)], _ item: (Double, Int32), k: Int) {
        var lo = 0, hi = best.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if best[mid].0 < item.0 || (best[mid].0 == item.0 && best[mid].1 < item.1) { lo = mid + 1 } else { hi = mid }
        }
        best.insert(item, at: lo)
    }
}
