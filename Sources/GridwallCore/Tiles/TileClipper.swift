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

    /// The shape in this tile, or nil when nothing of it is left. Polygons go through `cutter`
    /// (clip and snap-round to a valid result), then are cleaned and wound here.
    public func cut(_ shape: WorldShape, cutter: TilePolygonCutter) throws -> TileShape? {
        switch shape {
        case .points(let points):
            var out: [TilePoint] = []
            for p in points where worldBox.contains(p) {
                out.append(TilePoint(Int32(((p.x - originX) * scale).rounded()), Int32(((p.y - originY) * scale).rounded())))
            }
            return out.isEmpty ? nil : .points(out)
        case .polygons(let polygons):
            var box = BoundingBox.empty
            for polygon in polygons { for p in polygon.first ?? [] { box.extend(p) } }
            guard box.intersects(worldBox) else { return nil }
            let inside = box.minX >= worldBox.minX && box.maxX <= worldBox.maxX && box.minY >= worldBox.minY && box.maxY <= worldBox.maxY
            // The fast path: clip by Sutherland–Hodgman, round each vertex, clean, and keep the
            // result when an exact check finds it valid (nearly always). Otherwise the cutter's
            // robust clip and snap-rounding decide.
            if let quick = quickCut(polygons, whollyInside: inside) { return quick.isEmpty ? nil : .polygons(quick) }
            let local = polygons.map { $0.map { ring in ring.map { Coordinate(($0.x - originX) * scale, ($0.y - originY) * scale) } } }
            let cut = try cutter.cut(local, to: BoundingBox(minX: low, minY: low, maxX: high, maxY: high), whollyInside: inside)
            var out: [[[TilePoint]]] = []
            for polygon in cut {
                guard let exterior = polygon.first, let outer = Self.wound(exterior, exterior: true) else { continue }
                out.append([outer] + polygon.dropFirst().compactMap { Self.wound($0, exterior: false) })
            }
            return out.isEmpty ? nil : .polygons(out)
        }
    }

    /// Clipped, rounded, cleaned and wound polygons when the result is certainly valid
    /// (`TilePolygonCheck`), nil when the robust path must decide.
    func quickCut(_ polygons: [[[Coordinate]]], whollyInside: Bool) -> [[[TilePoint]]]? {
        var out: [[[TilePoint]]] = []
        out.reserveCapacity(polygons.count)
        for polygon in polygons {
            var rings: [[TilePoint]] = []
            rings.reserveCapacity(polygon.count)
            for (k, ring) in polygon.enumerated() {
                let n = ring.count > 1 && ring.first == ring.last ? ring.count - 1 : ring.count
                var snapped: [TilePoint]
                if whollyInside {
                    // World to tile units and rounding in one pass (most features at high zoom).
                    snapped = [TilePoint](unsafeUninitializedCapacity: n) { buffer, count in
                        for i in 0..<n {
                            buffer[i] = TilePoint(Int32(((ring[i].x - originX) * scale).rounded()), Int32(((ring[i].y - originY) * scale).rounded()))
                        }
                        count = n
                    }
                } else {
                    var r = ring.prefix(n).map { Coordinate(($0.x - originX) * scale, ($0.y - originY) * scale) }
                    r = Self.clip(r, axis: 0, bound: low, keepAbove: true)
                    r = Self.clip(r, axis: 0, bound: high, keepAbove: false)
                    r = Self.clip(r, axis: 1, bound: low, keepAbove: true)
                    r = Self.clip(r, axis: 1, bound: high, keepAbove: false)
                    snapped = r.map { TilePoint(Int32($0.x.rounded()), Int32($0.y.rounded())) }
                }
                guard let w = Self.wound(TilePolygonCheck.clean(snapped), exterior: k == 0) else {
                    if k == 0 { break } else { continue }   // an exterior that collapsed takes its holes with it
                }
                rings.append(w)
            }
            if !rings.isEmpty { out.append(rings) }
        }
        return TilePolygonCheck.isValid(out) ? out : nil
    }

    /// Sutherland–Hodgman against one side of the clip rectangle. Where a polygon leaves and
    /// comes back across the same side it leaves edges along the side that overlap: the
    /// validity check then sends the polygon to the robust path.
    static func clip(_ ring: [Coordinate], axis: Int, bound: Double, keepAbove: Bool) -> [Coordinate] {
        guard !ring.isEmpty else { return ring }
        @inline(__always) func value(_ p: Coordinate) -> Double { axis == 0 ? p.x : p.y }
        @inline(__always) func inside(_ p: Coordinate) -> Bool { keepAbove ? value(p) >= bound : value(p) <= bound }
        var out: [Coordinate] = []
        out.reserveCapacity(ring.count + 4)
        var previous = ring[ring.count - 1]
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
        return out
    }

    /// A ring open, without repeated points, wound as MVT wants; nil when it has no area.
    static func wound(_ ring: [TilePoint], exterior: Bool) -> [TilePoint]? {
        var r = ring
        if !TilePolygonCheck.hasNoRepeats(r) {
            r = []
            r.reserveCapacity(ring.count)
            for p in ring where r.last != p { r.append(p) }
        }
        while r.count > 1, r.first == r.last { r.removeLast() }
        guard r.count >= 3 else { return nil }
        let area = surveyorArea(r)
        guard area != 0 else { return nil }
        if (area > 0) != exterior { r.reverse() }
        return r
    }

    /// Twice the signed area by the surveyor's formula in tile coordinates (positive: clockwise
    /// on screen, an exterior ring in MVT).
    public static func surveyorArea(_ ring: [TilePoint]) -> Int64 {
        var sum: Int64 = 0
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            sum += Int64(a.x) * Int64(b.y) - Int64(b.x) * Int64(a.y)
        }
        return sum
    }
}

/// Cuts polygons, already scaled to tile units (doubles, y down), to the clip rectangle and
/// snaps them to the integer grid so that the result is valid: the part of tiling that needs a
/// robust geometry engine (GridwallGEOS provides `GeosTileCutter`). Returns polygons as
/// closed-or-open rings of integer points, any orientation.
public protocol TilePolygonCutter {
    func cut(_ polygons: [[[Coordinate]]], to rectangle: BoundingBox, whollyInside: Bool) throws -> [[[TilePoint]]]
}
