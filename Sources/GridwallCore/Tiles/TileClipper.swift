// From world coordinates (Web Mercator in [0, 1], y down) to one tile's integer grid: scale,
// clip to the tile plus a buffer and snap to integers without making a polygon invalid (a
// `TilePolygonCutter`: clipping by Sutherland–Hodgman leaves overlapping edges along the cut,
// and rounding vertices one by one makes rings cross where detail is finer than a tile unit;
// both were measured here with GDAL decoding and GEOS validity), then wind the rings as MVT 2.1
// says: exteriors with positive surveyor's area in tile coordinates (clockwise on screen),
// holes negative. The buffer keeps the cut's own edges out of sight: a map library draws only
// the tile's square, so outlines of polygons cut by the tile edge stop past it.

/// A feature's geometry in world coordinates, ready to be cut into tiles.
public enum WorldShape: Sendable {
    case points([Coordinate])
    /// Polygons, each exterior ring then holes, each ring closed or open.
    case polygons([[[Coordinate]]])

    /// From WGS84 longitude/latitude.
    public init(_ geometry: Geometry) {
        switch geometry {
        case .point(let p): self = .points([TileID.world(p)])
        case .multiPoint(let ps): self = .points(ps.map(TileID.world))
        case .polygon(let p): self = .polygons([p.rings.map { $0.map(TileID.world) }])
        case .multiPolygon(let ps): self = .polygons(ps.map { $0.rings.map { $0.map(TileID.world) } })
        default: self = .points([])
        }
    }

    /// The world box of the shape.
    public var box: BoundingBox {
        var b = BoundingBox.empty
        switch self {
        case .points(let ps): for p in ps { b.extend(p) }
        case .polygons(let polygons): for polygon in polygons { for p in polygon.first ?? [] { b.extend(p) } }
        }
        return b
    }
}

/// Cuts world shapes for one tile.
public struct TileClipper: Sendable {
    public let tile: TileID
    public let extent: Int
    public let buffer: Int
    let scale: Double, originX: Double, originY: Double
    /// The clip rectangle in tile units, and the same in world units (for quick rejection).
    let low: Double, high: Double
    public let worldBox: BoundingBox

    public init(tile: TileID, extent: Int = 4096, buffer: Int = 64) {
        self.tile = tile; self.extent = extent; self.buffer = buffer
        scale = Double(1 << tile.z) * Double(extent)
        let w = tile.worldBox
        originX = w.minX; originY = w.minY
        low = -Double(buffer); high = Double(extent + buffer)
        let pad = Double(buffer) / scale
        worldBox = BoundingBox(minX: w.minX - pad, minY: w.minY - pad, maxX: w.maxX + pad, maxY: w.maxY + pad)
    }

    /// One world point on the tile's grid, nil when it lies beyond the tile and its buffer (a
    /// point a tile counts, without the array a shape's cut makes).
    @inline(__always)
    public func point(_ p: Coordinate) -> TilePoint? {
        guard worldBox.contains(p) else { return nil }
        return TilePoint(Int32(((p.x - originX) * scale).rounded()), Int32(((p.y - originY) * scale).rounded()))
    }

    /// The shape in this tile, or nil when nothing of it is left. Polygons go through `cutter`
    /// (clip and snap-round to a valid result), then are cleaned and wound here.
    public func cut(_ shape: WorldShape, cutter: TilePolygonCutter) throws -> TileShape? {
        switch shape {
        case .points(let points):
            let out = points.compactMap(point)
            return out.isEmpty ? nil : .points(out)
        case .polygons:
            var store = WorldPolygonStore()
            store.append(shape)
            var out = TilePolygons(), scratch = TileCutScratch()
            try cut(store, feature: 0, box: shape.box, into: &out, scratch: &scratch, cutter: cutter)
            return out.isEmpty ? nil : .polygons(out.nested)
        }
    }

    /// The polygons of one feature of `store` in this tile, into `out` (emptied first; empty
    /// when nothing is left). `box` is the world box of the feature's exteriors.
    func cut(_ store: WorldPolygonStore, feature: Int, box: BoundingBox, into out: inout TilePolygons,
             scratch: inout TileCutScratch, cutter: TilePolygonCutter) throws {
        out.removeAll()
        guard box.intersects(worldBox) else { return }
        let inside = box.minX >= worldBox.minX && box.maxX <= worldBox.maxX && box.minY >= worldBox.minY && box.maxY <= worldBox.maxY
        // The fast path: clip by Sutherland–Hodgman, round each vertex, clean, and keep the
        // result when it is valid: certainly so for an uncut outline with room to round
        // (`roundsValid`), else when an exact check says so (nearly always). Otherwise the
        // cutter's exact clip, rounded and checked, and last its snap-rounding decide.
        quickCut(store, feature: feature, whollyInside: inside, into: &out, scratch: &scratch)
        if inside && roundsValid(clearance: store.clearances[feature]) { return }
        if TilePolygonCheck.isValid(out, scratch: &scratch.check) { return }
        let local = store.polygons(ofFeature: feature).map { p in
            store.rings(ofPolygon: p).map { r in store.points[store.points(ofRing: r)].map { Coordinate(($0.x - originX) * scale, ($0.y - originY) * scale) } }
        }
        let rectangle = BoundingBox(minX: low, minY: low, maxX: high, maxY: high)
        if !inside {
            // Where the quick clip failed on its own overlapping edges along a side (a concave
            // outline leaving and coming back), an exact clip rounded vertex by vertex is
            // nearly always valid, and much cheaper than snap-rounding.
            let clipped = try cutter.clip(local, to: rectangle)
            out.removeAll()
            out.append(clipped.map { $0.map { $0.map { TilePoint(Int32($0.x.rounded()), Int32($0.y.rounded())) } } })
            if TilePolygonCheck.isValid(out, scratch: &scratch.check) { return }
        }
        out.removeAll()
        out.append(try cutter.cut(local, to: rectangle, whollyInside: inside))
    }

    /// Whether an outline whose clearance (`WorldPolygonStore.clearances`) is this, uncut, is
    /// certainly valid rounded to this tile's units. Rounding moves a vertex by at most √½
    /// unit, so segments more than √2 units apart cannot meet (cleaning only drops points on
    /// straight lines); 1.5 leaves room for the arithmetic.
    func roundsValid(clearance: Double) -> Bool { clearance * scale > 1.5 }

    /// Clipped, rounded, cleaned and wound polygons, into `out`: valid nearly always, which
    /// `TilePolygonCheck` then confirms.
    func quickCut(_ store: WorldPolygonStore, feature: Int, whollyInside: Bool, into out: inout TilePolygons, scratch: inout TileCutScratch) {
        var a: [Coordinate] = [], b: [Coordinate] = []
        swap(&a, &scratch.clipA); swap(&b, &scratch.clipB)
        defer { swap(&a, &scratch.clipA); swap(&b, &scratch.clipB) }
        store.points.withUnsafeBufferPointer { points in
            for polygon in store.polygons(ofFeature: feature) {
                let rings = store.rings(ofPolygon: polygon)
                for r in rings {
                    let ring = store.points(ofRing: r)
                    if whollyInside {
                        // World to tile units and rounding in one pass (most features at high zoom).
                        for i in ring {
                            out.append(TilePoint(Int32(((points[i].x - originX) * scale).rounded()), Int32(((points[i].y - originY) * scale).rounded())))
                        }
                    } else {
                        a.removeAll(keepingCapacity: true)
                        for i in ring { a.append(Coordinate((points[i].x - originX) * scale, (points[i].y - originY) * scale)) }
                        Self.clip(a, into: &b, axis: 0, bound: low, keepAbove: true)
                        Self.clip(b, into: &a, axis: 0, bound: high, keepAbove: false)
                        Self.clip(a, into: &b, axis: 1, bound: low, keepAbove: true)
                        Self.clip(b, into: &a, axis: 1, bound: high, keepAbove: false)
                        for p in a { out.append(TilePoint(Int32(p.x.rounded()), Int32(p.y.rounded()))) }
                    }
                    // An exterior that collapsed takes its holes with it.
                    if !out.closeRing(exterior: r == rings.lowerBound) && r == rings.lowerBound { break }
                }
                out.closePolygon()
            }
        }
    }

    /// Sutherland–Hodgman against one side of the clip rectangle. Where a polygon leaves and
    /// comes back across the same side it leaves edges along the side that overlap: the
    /// validity check then sends the polygon to the robust path.
    static func clip(_ ring: [Coordinate], axis: Int, bound: Double, keepAbove: Bool) -> [Coordinate] {
        var out: [Coordinate] = []
        clip(ring, into: &out, axis: axis, bound: bound, keepAbove: keepAbove)
        return out
    }

    /// `clip` into a buffer that is emptied first (and keeps its memory).
    static func clip(_ ring: [Coordinate], into out: inout [Coordinate], axis: Int, bound: Double, keepAbove: Bool) {
        out.removeAll(keepingCapacity: true)
        guard let last = ring.last else { return }
        @inline(__always) func value(_ p: Coordinate) -> Double { axis == 0 ? p.x : p.y }
        @inline(__always) func inside(_ p: Coordinate) -> Bool { keepAbove ? value(p) >= bound : value(p) <= bound }
        out.reserveCapacity(ring.count + 4)
        var previous = last
        for current in ring {
            let inCurrent = inside(current), inPrevious = inside(previous)
            if inCurrent != inPrevious {
                let t = (bound - value(previous)) / (value(current) - value(previous))
                let cut = Coordinate(previous.x + t * (current.x - previous.x), previous.y + t * (current.y - previous.y))
                out.append(axis == 0 ? Coordinate(bound, cut.y) : Coordinate(cut.x, bound))
            }
            if inCurrent { out.append(current) }
            previous = current
        }
    }

    /// Twice the signed area by the surveyor's formula in tile coordinates (positive: clockwise
    /// on screen, an exterior ring in MVT).
    public static func surveyorArea(_ ring: [TilePoint]) -> Int64 {
        ring.withUnsafeBufferPointer { TilePolygonCheck.surveyorArea($0) }
    }
}

/// Buffers one tile's cutting reuses from feature to feature.
struct TileCutScratch: Sendable {
    var clipA: [Coordinate] = [], clipB: [Coordinate] = []
    var check = TilePolygonCheck.Scratch()
}

/// Cuts polygons, already scaled to tile units (doubles, y down), to the clip rectangle and
/// snaps them to the integer grid so that the result is valid: the part of tiling that needs a
/// robust geometry engine (GridwallGEOS provides `GeosTileCutter`). Returns polygons as
/// closed-or-open rings of integer points, any orientation.
public protocol TilePolygonCutter {
    func cut(_ polygons: [[[Coordinate]]], to rectangle: BoundingBox, whollyInside: Bool) throws -> [[[TilePoint]]]
    /// Only the clip, exact (valid polygons stay valid), in the same units.
    func clip(_ polygons: [[[Coordinate]]], to rectangle: BoundingBox) throws -> [[[Coordinate]]]
}
