// What a heatmap request selects: a time window, categories, statuses, sources and a box.

/// Which events a heatmap counts: a time window `[from, to)`, categories, statuses, sources and a box.
public struct EventFilter: Sendable, Hashable {
    /// Unix seconds; the window is `from <= time < to`. Nil: unbounded.
    public var from: Int64?
    public var to: Int64?
    /// Nil means any.
    public var categories: Set<String>?
    public var statuses: Set<String>?
    public var sources: Set<String>?
    /// WGS84 longitude/latitude box (edges included).
    public var bbox: BoundingBox?
    /// A filter on the window only (Unix seconds, `to` exclusive).
    public init(from: Int64? = nil, to: Int64? = nil) { self.from = from; self.to = to }

    /// The same filter over another window.
    public func window(from: Int64?, to: Int64?) -> EventFilter {
        var f = self; f.from = from; f.to = to; return f
    }

    /// Whether only time and category are asked, which per-day counts can answer.
    public var isTimeAndCategoryOnly: Bool { statuses == nil && sources == nil && bbox == nil }

    /// The same test a scan applies, spelled out on one record (tests use it as the reference).
    public func admits(_ e: EventRecord) -> Bool {
        if let from, e.time < from { return false }
        if let to, e.time >= to { return false }
        if let categories, !categories.contains(e.category) { return false }
        if let statuses, !statuses.contains(e.status) { return false }
        if let sources, !sources.contains(e.source) { return false }
        if let bbox, !bbox.contains(e.position) { return false }
        return true
    }
}

/// A filter compiled against one store's codes: lookups by code, no strings.
struct CompiledEventFilter {
    let range: Range<Int>
    /// nil: any. Otherwise `allowed[code]`.
    let categories: [Bool]?
    let statuses: [Bool]?
    let sources: [Bool]?
    let bbox: BoundingBox?

    init(_ f: EventFilter, _ store: EventColumns) {
        range = store.range(from: f.from, to: f.to)
        func table(_ names: Set<String>?, _ dict: Dictionary16) -> [Bool]? {
            guard let names else { return nil }
            var t = [Bool](repeating: false, count: dict.count)
            for n in names { if let c = dict.existingCode(n) { t[Int(c)] = true } }
            return t
        }
        categories = table(f.categories, store.categoryNames)
        statuses = table(f.statuses, store.statusNames)
        sources = table(f.sources, store.sourceNames)
        bbox = f.bbox
    }

    /// Whether no category, status or source is tested (only the window, and maybe a box).
    var testsNoAttribute: Bool { categories == nil && statuses == nil && sources == nil }
}

extension EventColumns {
    /// Calls `body` with the index of every event passing `filter`, in time order, reading only
    /// the events inside the time window.
    public func forEachMatch(_ filter: EventFilter, _ body: (Int) -> Void) {
        forEachMatch(CompiledEventFilter(filter, self), body)
    }

    /// The positions (analysis CRS) of the events passing `filter`, in time order, and their box.
    /// Why not append in `forEachMatch`: a window of millions of events grew its array a
    /// doubling at a time (a copy, and fresh pages, each time); this counts first and fills an
    /// array of the exact size once.
    public func positions(matching filter: EventFilter) -> (points: [Coordinate], box: BoundingBox) {
        let f = CompiledEventFilter(filter, self)
        var n = 0
        if f.testsNoAttribute, f.bbox == nil { n = f.range.count } else { forEachMatch(f) { _ in n += 1 } }
        var box = BoundingBox.empty
        let points = xs.withUnsafeBufferPointer { xs in ys.withUnsafeBufferPointer { ys in
            [Coordinate](unsafeUninitializedCapacity: n) { buffer, filled in
                var k = 0
                forEachMatch(f) { i in
                    let p = Coordinate(xs[i], ys[i])
                    buffer[k] = p
                    box.extend(p)
                    k += 1
                }
                filled = k
            }
        } }
        return (points, box)
    }

    func forEachMatch(_ f: CompiledEventFilter, _ body: (Int) -> Void) {
        if f.testsNoAttribute {
            guard let b = f.bbox else {
                for i in f.range { body(i) }
                return
            }
            // A box alone (every events and heat tile): the positions read straight from their
            // columns, with no optional test or array check per event (12 ns an event before,
            // most of a street-zoom tile over a day of 4 M events).
            lons.withUnsafeBufferPointer { lons in lats.withUnsafeBufferPointer { lats in
                for i in f.range where lons[i] >= b.minX && lons[i] <= b.maxX && lats[i] >= b.minY && lats[i] <= b.maxY { body(i) }
            } }
            return
        }
        categories.withUnsafeBufferPointer { categories in
        statuses.withUnsafeBufferPointer { statuses in
        sources.withUnsafeBufferPointer { sources in
            for i in f.range {
                if let t = f.categories, !t[Int(categories[i])] { continue }
                if let t = f.statuses, !t[Int(statuses[i])] { continue }
                if let t = f.sources, !t[Int(sources[i])] { continue }
                if let b = f.bbox, !b.contains(Coordinate(lons[i], lats[i])) { continue }
                body(i)
            }
        }}}
    }
}
