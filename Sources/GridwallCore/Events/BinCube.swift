// Bins from pre-aggregated counts. The store keeps, for a few bin grids (a fine 50 m square
// lattice and the common hexagon sizes), running per-day totals per bin over the district.
// A request over whole days then reads one row of bin counts minus another instead of every
// event in the window: hexagons of 250 m over ten million events become a few thousand
// subtractions. Square bins of any multiple of the fine cell add up from it exactly (both are
// aligned to the CRS origin, so a bin is a block of fine cells).

/// Running per-day event totals per bin of one grid, over a fixed extent.
struct BinCube: Sendable {
    let grid: BinGrid
    let minA: Int32, minB: Int32
    let width: Int, height: Int
    /// Slots: bins row by row, then one for events outside the extent.
    var days: DayCounts
    /// The same per category (indexed by category code), for the cubes that keep them.
    let keepsCategories: Bool
    var byCategory: [DayCounts] = []

    init(_ grid: BinGrid, extent: BoundingBox, keepsCategories: Bool) {
        self.grid = grid
        self.keepsCategories = keepsCategories
        let r = grid.keyRange(covering: extent)
        minA = r.minA; minB = r.minB
        width = Int(r.maxA - r.minA) + 1; height = Int(r.maxB - r.minB) + 1
        days = DayCounts(slots: width * height + 1)
    }

    mutating func add(day: Int64, category: UInt16, at p: Coordinate) {
        let s = slot(p)
        days.add(day: day, slot: s)
        guard keepsCategories else { return }
        while byCategory.count <= Int(category) { byCategory.append(DayCounts(slots: width * height + 1)) }
        byCategory[Int(category)].add(day: day, slot: s)
    }

    var outsideSlot: Int { width * height }

    @inline(__always)
    func slot(_ p: Coordinate) -> Int {
        let k = grid.key(of: p)
        let a = Int(k.a - minA), b = Int(k.b - minB)
        return a >= 0 && a < width && b >= 0 && b < height ? b * width + a : outsideSlot
    }

    func key(ofSlot s: Int) -> BinKey { BinKey(minA + Int32(s % width), minB + Int32(s / width)) }
}

extension BinGrid {
    /// The smallest key rectangle holding every bin a point in `box` can fall in.
    public func keyRange(covering box: BoundingBox) -> (minA: Int32, maxA: Int32, minB: Int32, maxB: Int32) {
        let corners = [Coordinate(box.minX, box.minY), Coordinate(box.maxX, box.minY), Coordinate(box.minX, box.maxY), Coordinate(box.maxX, box.maxY)]
        let keys = corners.map(key)
        // Hexagons: a key's a (q) also depends on y, and rounding can step one over.
        let pad: Int32 = shape == .hex ? 1 : 0
        return (keys.map(\.a).min()! - pad, keys.map(\.a).max()! + pad, keys.map(\.b).min()! - pad, keys.map(\.b).max()! + pad)
    }
}

extension EventColumns {
    /// Bin counts (non-empty bins, ordered by row then column) when a pre-aggregated cube can
    /// answer: a time window (and categories, for the cubes that keep them) holding at least
    /// one whole day, a cube of the same grid (or, for squares, one whose cell divides the
    /// side), and no event outside the cube in those days. Nil otherwise (the caller counts
    /// events instead).
    public func binsFromCubes(_ grid: BinGrid, filter: EventFilter) -> [BinCount]? {
        guard filter.isTimeAndCategoryOnly else { return nil }
        let codes = categoryCodes(filter)
        let candidates: [(cube: BinCube, factor: Int)] = cubes.compactMap { cube in
            if codes != nil && !cube.keepsCategories { return nil }
            if cube.grid == grid { return (cube, 1) }
            guard grid.shape == .square, cube.grid.shape == .square else { return nil }
            let ratio = grid.size / cube.grid.size, m = Int(ratio.rounded())
            return m >= 1 && abs(ratio - Double(m)) < 1e-9 ? (cube, m) : nil
        }
        guard let (cube, m) = candidates.min(by: { $0.factor < $1.factor }) else { return nil }
        let (fromDay, toDay) = wholeDays(filter)
        guard fromDay < toDay, cube.days.count(from: fromDay, to: toDay, slot: cube.outsideSlot) == 0 else { return nil }
        var sums = [Int32](repeating: 0, count: cube.outsideSlot + 1)
        sums.withUnsafeMutableBufferPointer { sums in
            DayCounts.add(cube.byCategory, else: cube.days, categories: codes, from: fromDay, to: toDay, into: sums)
        }
        // Target bins, one dense row-major block over the cube.
        func floorDiv(_ a: Int32) -> Int { m == 1 ? Int(a) : (a >= 0 ? Int(a) / m : -((-Int(a) + m - 1) / m)) }
        let a0 = floorDiv(cube.minA), b0 = floorDiv(cube.minB)
        let width = floorDiv(cube.minA + Int32(cube.width) - 1) - a0 + 1
        let height = floorDiv(cube.minB + Int32(cube.height) - 1) - b0 + 1
        var target = [Int](repeating: 0, count: width * height)
        for s in 0..<cube.outsideSlot where sums[s] != 0 {
            let k = cube.key(ofSlot: s)
            target[(floorDiv(k.b) - b0) * width + floorDiv(k.a) - a0] += Int(sums[s])
        }
        // The partial days at the ends, from the events.
        var extra: [BinKey: Int] = [:]
        forEachMatchInPartialDays(filter, wholeDays: (fromDay, toDay)) { i in
            let k = grid.key(of: Coordinate(xs[i], ys[i]))
            let a = Int(k.a) - a0, b = Int(k.b) - b0
            if a >= 0, a < width, b >= 0, b < height { target[b * width + a] += 1 } else { extra[k, default: 0] += 1 }
        }
        var out: [BinCount] = []
        for (slot, n) in target.enumerated() where n > 0 {
            out.append(BinCount(key: BinKey(Int32(a0 + slot % width), Int32(b0 + slot / width)), count: n))
        }
        if !extra.isEmpty {
            out += extra.map { BinCount(key: $0.key, count: $0.value) }
            out.sort { $0.key < $1.key }
        }
        return out
    }
}

extension EventColumns {
    /// Bins holding at least one event passing `filter`, ordered by row then column: from the
    /// pre-aggregated cubes when they can answer, otherwise counted from the events in the
    /// window into a dense array over the bins the store's extent can touch (no hashing per
    /// event; the loop is here, beside the columns, so that the compiler inlines the filter and
    /// the bin arithmetic into it).
    public func bins(_ grid: BinGrid, filter: EventFilter) -> [BinCount] {
        if let counted = binsFromCubes(grid, filter: filter) { return counted }
        guard !projectedBox.isEmpty else { return [] }
        let range = grid.keyRange(covering: projectedBox)
        let width = Int(range.maxA - range.minA + 1)
        var counts = [Int32](repeating: 0, count: width * Int(range.maxB - range.minB + 1))
        let f = CompiledEventFilter(filter, self)
        xs.withUnsafeBufferPointer { xs in
        ys.withUnsafeBufferPointer { ys in
        categories.withUnsafeBufferPointer { categories in
        statuses.withUnsafeBufferPointer { statuses in
        sources.withUnsafeBufferPointer { sources in
        counts.withUnsafeMutableBufferPointer { counts in
            let plain = f.categories == nil && f.statuses == nil && f.sources == nil && f.bbox == nil
            for i in f.range {
                if !plain {
                    if let t = f.categories, !t[Int(categories[i])] { continue }
                    if let t = f.statuses, !t[Int(statuses[i])] { continue }
                    if let t = f.sources, !t[Int(sources[i])] { continue }
                    if let b = f.bbox, !b.contains(Coordinate(lons[i], lats[i])) { continue }
                }
                let k = grid.key(of: Coordinate(xs[i], ys[i]))
                counts[Int(k.b &- range.minB) &* width &+ Int(k.a &- range.minA)] &+= 1
            }
        }}}}}}
        var out: [BinCount] = []
        for (slot, n) in counts.enumerated() where n > 0 {
            out.append(BinCount(key: BinKey(range.minA + Int32(slot % width), range.minB + Int32(slot / width)), count: Int(n)))
        }
        return out
    }
}
