// Who neighbours whom, for hot-spot statistics: each feature's neighbours (never itself) as
// compressed rows. Built here for lattices, distance bands and k nearest neighbours; polygon
// contiguity comes from GEOS (GridwallGEOS.Contiguity).

/// Each feature's neighbours, compressed: the weights of a hot-spot statistic.
public struct SpatialWeights: Sendable, Hashable {
    /// Neighbours of feature i: `neighbours[offsets[i] ..< offsets[i + 1]]`, ascending.
    public let offsets: [Int]
    public let neighbours: [Int32]

    public var count: Int { offsets.count - 1 }

    /// From one list of neighbour indices per feature (duplicates dropped, sorted).
    public init(neighbourLists: [[Int]]) {
        var offsets = [0], flat: [Int32] = []
        for list in neighbourLists {
            for j in Set(list).sorted() { flat.append(Int32(j)) }
            offsets.append(flat.count)
        }
        self.offsets = offsets
        neighbours = flat
    }

    /// From compressed rows already built (each row ascending, without duplicates or the feature itself).
    init(offsets: [Int], neighbours: [Int32]) {
        self.offsets = offsets
        self.neighbours = neighbours
    }

    /// The neighbours of feature `i`, ascending.
    public func neighbours(of i: Int) -> ArraySlice<Int32> { neighbours[offsets[i]..<offsets[i + 1]] }

    /// How two lattice cells may touch: by an edge only (rook) or also by a corner (queen).
    public enum Contiguity: String, Sendable, CaseIterable { case queen, rook }

    /// The cells of a `columns` × `rows` lattice in row-major order (cell = row × columns + column),
    /// neighbours by shared edge or corner: PySAL's `lat2W`.
    public static func lattice(columns: Int, rows: Int, _ rule: Contiguity) -> SpatialWeights {
        var lists = [[Int]](repeating: [], count: columns * rows)
        for r in 0..<rows {
            for c in 0..<columns {
                var list: [Int] = []
                for dr in -1...1 {
                    for dc in -1...1 where (dr != 0 || dc != 0) && (rule == .queen || dr == 0 || dc == 0) {
                        let rr = r + dr, cc = c + dc
                        if rr >= 0, rr < rows, cc >= 0, cc < columns { list.append(rr * columns + cc) }
                    }
                }
                lists[r * columns + c] = list
            }
        }
        return SpatialWeights(neighbourLists: lists)
    }

    /// Every other point within `threshold` (Euclidean, same units as the points), edges
    /// included: PySAL's binary `DistanceBand`. Uses a bucket grid of the threshold's size.
    public static func distanceBand(_ points: [Coordinate], threshold: Double) -> SpatialWeights {
        distanceBand(points, threshold: threshold, atMostPairs: .max)!
    }

    /// The same, or nil as soon as the neighbour pairs would pass `limit` (a request's budget:
    /// a wide band over many points makes every point every other's neighbour).
    public static func distanceBand(_ points: [Coordinate], threshold: Double, atMostPairs limit: Int) -> SpatialWeights? {
        precondition(threshold > 0 && threshold.isFinite)
        var buckets: [Int64: [Int]] = [:]
        func key(_ cx: Int64, _ cy: Int64) -> Int64 { (cx << 32) ^ (cy & 0xffff_ffff) }
        func cell(_ p: Coordinate) -> (Int64, Int64) { (Int64((p.x / threshold).rounded(.down)), Int64((p.y / threshold).rounded(.down))) }
        for (i, p) in points.enumerated() { let (cx, cy) = cell(p); buckets[key(cx, cy), default: []].append(i) }
        let t2 = threshold * threshold
        var lists: [[Int]] = []
        lists.reserveCapacity(points.count)
        var pairs = 0
        for (i, p) in points.enumerated() {
            let (cx, cy) = cell(p)
            var list: [Int] = []
            for dx in -1...1 as ClosedRange<Int64> {
                for dy in -1...1 as ClosedRange<Int64> {
                    for j in buckets[key(cx + dx, cy + dy)] ?? [] where j != i {
                        let ddx = points[j].x - p.x, ddy = points[j].y - p.y
                        if ddx * ddx + ddy * ddy <= t2 { list.append(j) }
                    }
                }
            }
            pairs += list.count
            if pairs > limit { return nil }
            lists.append(list)
        }
        return SpatialWeights(neighbourLists: lists)
    }

    /// The `k` nearest other points (ties broken by the lower index): PySAL's `KNN`.
    public static func nearest(_ points: [Coordinate], k: Int) -> SpatialWeights {
        precondition(k > 0 && k < points.count, "k must be between 1 and the number of points − 1")
        // Brute force per point over a sorted-by-x order with pruning: exact and simple; the
        // features here are grids or bins (thousands), not events.
        let order = points.indices.sorted { points[$0].x < points[$1].x }
        var rank = [Int](repeating: 0, count: points.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        let lists = points.indices.map { i -> [Int] in
            var best: [(Double, Int)] = []
            func consider(_ j: Int) {
                let dx = points[j].x - points[i].x, dy = points[j].y - points[i].y
                let d = dx * dx + dy * dy
                if best.count == k, let last = best.last, (d, j) > last { return }
                let at = best.firstIndex { (d, j) < $0 } ?? best.count
                best.insert((d, j), at: at)
                if best.count > k { best.removeLast() }
            }
            var lo = rank[i] - 1, hi = rank[i] + 1
            while lo >= 0 || hi < order.count {
                let bound = best.count == k ? best[k - 1].0 : .infinity
                var progressed = false
                if lo >= 0 {
                    let j = order[lo], dx = points[i].x - points[j].x
                    if dx * dx <= bound { consider(j); lo -= 1; progressed = true } else { lo = -1 }
                }
                if hi < order.count {
                    let j = order[hi], dx = points[j].x - points[i].x
                    if dx * dx <= bound { consider(j); hi += 1; progressed = true } else { hi = order.count }
                }
                if !progressed { break }
            }
            return best.map(\.1)
        }
        return SpatialWeights(neighbourLists: lists)
    }
}
