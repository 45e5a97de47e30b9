// k nearest responders with filters, over an immutable snapshot in flat arrays.
//
// Why our own index: the live set changes every second (10 % of 100,000 responders moving), and
// the queries filter on kind, status, skills and freshness. A kd-tree must be rebuilt on every
// move and cannot skip filtered points cheaply. Here responders sit in a uniform bucket grid in
// local metres; a query visits rings of buckets outward, tests filters as integer compares, and
// keeps the k best in a small sorted buffer; a new snapshot is a counting sort (O(n), ~1 ms for
// 100,000), cheap enough to publish after every batch of moves.
//
// Distances here are on a local equirectangular frame (metres, within 0.1 % over a few km);
// `NearestResponders` in GridwallPROJ re-ranks the candidates by exact WGS84 geodesic distance,
// which is why `candidates(...)` returns a margin beyond the k-th.

public struct ResponderIndex: Sendable {
    public let responders: [Responder]
    public let frame: LocalFrame
    /// Which state of the registry this snapshot shows (0 for a standalone index).
    public internal(set) var generation: UInt64 = 0
    // Flat columns in bucket order (slot t holds responder items[t]): a query reads its buckets
    // sequentially instead of jumping through the responder array (five cache misses per
    // responder before; see BENCHMARKS.md).
    let xs: [Double], ys: [Double]
    let kindCodes: [UInt8], statusCodes: [UInt8]
    let skillBits: [UInt64]
    let updated: [Double]
    let kindNames: [String]
    let skillNames: [String]
    // Buckets.
    let cell: Double
    let originX: Double, originY: Double
    let columns: Int, rows: Int
    let offsets: [Int32]
    let items: [Int32]

    /// Per-responder codes in responder order: what a snapshot is built from. The registry keeps
    /// one and patches the rows that move, so publishing costs a counting sort, not a re-encoding
    /// of every responder's strings and skill sets.
    struct Columns: Sendable {
        let frame: LocalFrame
        var local: [Coordinate]
        var kinds: [UInt8], statuses: [UInt8], skills: [UInt64], updated: [Double]
        let kindNames: [String], skillNames: [String]

        init(responders: [Responder], frame: LocalFrame) {
            self.frame = frame
            var kinds: [String] = [], kindIndex: [String: UInt8] = [:]
            var skills: [String] = [], skillIndex: [String: Int] = [:]
            for r in responders {
                if kindIndex[r.kind] == nil, kinds.count < 255 { kindIndex[r.kind] = UInt8(kinds.count); kinds.append(r.kind) }
                for s in r.skills.sorted() where skillIndex[s] == nil && skills.count < 64 { skillIndex[s] = skills.count; skills.append(s) }
            }
            kindNames = kinds; skillNames = skills
            local = responders.map { frame.project($0.position) }
            self.kinds = responders.map { kindIndex[$0.kind] ?? 255 }
            statuses = responders.map(\.status.code)
            self.skills = responders.map { r in r.skills.reduce(UInt64(0)) { bits, s in skillIndex[s].map { bits | (1 << UInt64($0)) } ?? bits } }
            updated = responders.map(\.updatedAt)
        }

        mutating func move(_ i: Int, to p: Coordinate, at time: Double) {
            local[i] = frame.project(p)
            updated[i] = time
        }
    }

    /// Builds a snapshot. `cellSize` in metres; by default it adapts to the density, about
    /// eight responders per bucket, so a query reads a few dozen responders.
    public init(responders: [Responder], cellSize requestedCell: Double? = nil) {
        var box = BoundingBox.empty
        for r in responders { box.extend(r.position) }
        if box.isEmpty { box = BoundingBox(minX: 120, minY: 30, maxX: 120, maxY: 30) }
        self.init(responders: responders, columns: Columns(responders: responders, frame: LocalFrame(origin: box.center)),
                  cellSize: requestedCell)
    }

    /// Builds a snapshot from ready columns (same order as `responders`).
    init(responders: [Responder], columns source: Columns, cellSize requestedCell: Double?) {
        self.responders = responders
        frame = source.frame
        kindNames = source.kindNames; skillNames = source.skillNames
        let local = source.local
        // The extent of the positions now, so every responder lies inside its bucket.
        var lo = Coordinate(.infinity, .infinity), hi = Coordinate(-.infinity, -.infinity)
        for p in local { lo.x = min(lo.x, p.x); lo.y = min(lo.y, p.y); hi.x = max(hi.x, p.x); hi.y = max(hi.y, p.y) }
        if local.isEmpty { lo = Coordinate(0, 0); hi = Coordinate(0, 0) }
        let area = max(1, (hi.x - lo.x) * (hi.y - lo.y))
        let cellSize = requestedCell ?? max(10, (area / Double(max(1, responders.count)) * 8).squareRoot())
        cell = cellSize
        originX = lo.x; originY = lo.y
        columns = max(1, Int(((hi.x - lo.x) / cellSize).rounded(.down)) + 1)
        rows = max(1, Int(((hi.y - lo.y) / cellSize).rounded(.down)) + 1)
        // Counting sort of responders into buckets.
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        var bucketOf = [Int](repeating: 0, count: responders.count)
        for i in 0..<responders.count {
            let c = min(columns - 1, max(0, Int((local[i].x - lo.x) / cellSize)))
            let r = min(rows - 1, max(0, Int((local[i].y - lo.y) / cellSize)))
            bucketOf[i] = r * columns + c
            counts[bucketOf[i] + 1] += 1
        }
        for b in 0..<(columns * rows) { counts[b + 1] += counts[b] }
        var fill = counts
        var items = [Int32](repeating: 0, count: responders.count)
        for i in 0..<responders.count { items[Int(fill[bucketOf[i]])] = Int32(i); fill[bucketOf[i]] += 1 }
        offsets = counts
        self.items = items
        xs = items.map { local[Int($0)].x }
        ys = items.map { local[Int($0)].y }
        kindCodes = items.map { source.kinds[Int($0)] }
        statusCodes = items.map { source.statuses[Int($0)] }
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
            for k in wanted { if let i = kindNames.firstIndex(of: k) { set.insert(UInt8(i)) } }
            kinds = set
        }
        var statuses: UInt8 = 0b111
        if let wanted = f.statuses {
            statuses = 0
            for s in wanted { statuses |= 1 << s.code }
        }
        var skills: UInt64 = 0
        for s in f.skills {
            guard let i = skillNames.firstIndex(of: s) else { return nil }   // nobody has it
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
        guard k > 0, !responders.isEmpty, p.isFinite, let f = compile(filter, now: now) else { return }
        let q = frame.project(p)
        let cx = Int(((q.x - originX) / cell).rounded(.down)), cy = Int(((q.y - originY) / cell).rounded(.down))
        let ccx = min(columns - 1, max(0, cx)), ccy = min(rows - 1, max(0, cy))
        // Buckets in ring r around the (clamped) start cell are at least (r - 1) cells away, also
        // for a query outside the grid (its projection onto the grid lies in the start cell).
        let slack = 1 + margin
        // How far the query is from each side of its (clamped) cell: ring r lies at least
        // (r − 1) cells plus the smallest of these away.
        let left = q.x - (originX + Double(ccx) * cell), right = originX + Double(ccx + 1) * cell - q.x
        let below = q.y - (originY + Double(ccy) * cell), above = originY + Double(ccy + 1) * cell - q.y
        let edge = max(0, min(left, right, below, above))
        xs.withUnsafeBufferPointer { xs in
        ys.withUnsafeBufferPointer { ys in
        statusCodes.withUnsafeBufferPointer { statusCodes in
        kindCodes.withUnsafeBufferPointer { kindCodes in
        skillBits.withUnsafeBufferPointer { skillBits in
        updated.withUnsafeBufferPointer { updated in
        items.withUnsafeBufferPointer { items in
        offsets.withUnsafeBufferPointer { offsets in
            var ring = 0
            while ring <= max(columns, rows) {
                let ringDistance = ring == 0 ? 0 : Double(ring - 1) * cell + edge
                if best.count >= k {
                    let kth = best[k - 1].0.squareRoot() * slack
                    if ringDistance > kth { break }
                }
                if ringDistance * ringDistance > f.maxDistanceSquared { break }
                for r in (ccy - ring)...(ccy + ring) where r >= 0 && r < rows {
                    let step = (r == ccy - ring || r == ccy + ring) ? 1 : 2 * ring
                    var c = ccx - ring
                    while c <= ccx + ring {
                        if c >= 0 && c < columns {
                            let b = r * columns + c
                            for t in Int(offsets[b])..<Int(offsets[b + 1]) {
                                if f.statuses & (1 << statusCodes[t]) == 0 { continue }
                                if let kinds = f.kinds, !kinds.contains(kindCodes[t]) { continue }
                                if skillBits[t] & f.skills != f.skills { continue }
                                if updated[t] < f.minUpdated { continue }
                                let dx = xs[t] - q.x, dy = ys[t] - q.y
                                let d2 = dx * dx + dy * dy
                                if d2 > f.maxDistanceSquared { continue }
                                insert(&best, (d2, items[t]), k: k, slack: slack)
                            }
                        }
                        c += max(1, step)
                    }
                }
                ring += 1
            }
        }}}}}}}}
    }

    /// Keeps `best` sorted by (distance, index) holding the k nearest and those within the slack.
    private func insert(_ best: inout [(Double, Int32)], _ item: (Double, Int32), k: Int, slack: Double) {
        if best.count >= k {
            let limit = best[k - 1].0 * slack * slack
            if item.0 > limit { return }
        }
        var lo = 0, hi = best.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if best[mid].0 < item.0 || (best[mid].0 == item.0 && best[mid].1 < item.1) { lo = mid + 1 } else { hi = mid }
        }
        best.insert(item, at: lo)
        if best.count > k {
            let limit = best[k - 1].0 * slack * slack
            while best.count > k, best[best.count - 1].0 > limit { best.removeLast() }
        }
    }
}
