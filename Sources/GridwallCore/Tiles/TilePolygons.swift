// Polygons stored flat: the points of every ring one after another, and where each ring and
// each polygon ends. Why not nested arrays: a tile cuts thousands of features, and a
// `[[[Point]]]` per feature costs an allocation per ring and polygon and a retain per access;
// measured on `gridwall bench tiles`, that bookkeeping was a third of a tile's time. A source
// keeps its features' rings in one `WorldPolygonStore`; a tile cuts each into one reused
// `TilePolygons`, cleans and winds it in place, checks it and encodes it from there.

/// Every polygon feature of a source in world coordinates, in three flat arrays.
struct WorldPolygonStore: Sendable {
    /// Every ring's points, open (the first point not repeated at the end).
    private(set) var points: [Coordinate] = []
    /// The end (exclusive) in `points` of each ring.
    private(set) var ringEnds: [Int32] = []
    /// The end (exclusive) in `ringEnds` of each polygon.
    private(set) var polygonEnds: [Int32] = []
    /// The end (exclusive) in `polygonEnds` of each feature (a point feature holds none).
    private(set) var featureEnds: [Int32] = []
    /// Per feature, how far its outline keeps clear of touching itself (world units,
    /// `ClearValidity.clearance`): when a tile unit is well under half of it, the rounded
    /// outline is valid without a check. 0 for features of several rings (always checked).
    private(set) var clearances: [Double] = []
    /// Clearances are measured up to this (about 400 m; a tile unit is 40 m at zoom 8).
    static let clearanceCap = 1e-5

    /// Adds the next feature's polygons (nothing for points).
    mutating func append(_ shape: WorldShape) {
        var clearance = 0.0
        if case .polygons(let polygons) = shape {
            for polygon in polygons {
                for ring in polygon {
                    let n = ring.count > 1 && ring.first == ring.last ? ring.count - 1 : ring.count
                    points.append(contentsOf: ring.prefix(n))
                    ringEnds.append(Int32(points.count))
                }
                polygonEnds.append(Int32(ringEnds.count))
            }
            if polygons.count == 1, let ring = polygons[0].first, polygons[0].count == 1 {
                clearance = ClearValidity.clearance(ring.first == ring.last ? ring : ring + ring.prefix(1), upTo: Self.clearanceCap)
            }
        }
        featureEnds.append(Int32(polygonEnds.count))
        clearances.append(clearance)
    }

    /// The polygons (indices into `polygonEnds`) of feature `i`.
    func polygons(ofFeature i: Int) -> Range<Int> {
        (i == 0 ? 0 : Int(featureEnds[i - 1]))..<Int(featureEnds[i])
    }

    /// The rings (indices into `ringEnds`) of polygon `p`.
    func rings(ofPolygon p: Int) -> Range<Int> {
        (p == 0 ? 0 : Int(polygonEnds[p - 1]))..<Int(polygonEnds[p])
    }

    /// The points (indices into `points`) of ring `r`.
    func points(ofRing r: Int) -> Range<Int> {
        (r == 0 ? 0 : Int(ringEnds[r - 1]))..<Int(ringEnds[r])
    }
}

/// Polygons in integer tile units, flat: open rings, exteriors first in each polygon.
public struct TilePolygons: Sendable, Equatable {
    public private(set) var points: [TilePoint] = []
    /// The end (exclusive) in `points` of each ring.
    public private(set) var ringEnds: [Int] = []
    /// The end (exclusive) in `ringEnds` of each polygon.
    public private(set) var polygonEnds: [Int] = []

    public init() {}

    /// The same polygons, flat (rings as they are, closed or open).
    public init(_ nested: [[[TilePoint]]]) {
        for polygon in nested {
            for ring in polygon { points += ring; ringEnds.append(points.count) }
            polygonEnds.append(ringEnds.count)
        }
    }

    public var isEmpty: Bool { polygonEnds.isEmpty }

    /// The same polygons as nested arrays.
    public var nested: [[[TilePoint]]] {
        polygonEnds.indices.map { p in rings(ofPolygon: p).map { Array(points[self.points(ofRing: $0)]) } }
    }

    /// The rings (indices into `ringEnds`) of polygon `p`.
    public func rings(ofPolygon p: Int) -> Range<Int> {
        (p == 0 ? 0 : polygonEnds[p - 1])..<polygonEnds[p]
    }

    /// The points (indices into `points`) of ring `r`.
    public func points(ofRing r: Int) -> Range<Int> {
        (r == 0 ? 0 : ringEnds[r - 1])..<ringEnds[r]
    }

    /// Empties the buffers, keeping their memory for the next feature.
    public mutating func removeAll() {
        points.removeAll(keepingCapacity: true)
        ringEnds.removeAll(keepingCapacity: true)
        polygonEnds.removeAll(keepingCapacity: true)
    }

    /// Adds a point to the ring being built (the points after the last ring's end).
    @inline(__always)
    mutating func append(_ p: TilePoint) { points.append(p) }

    /// Ends the ring being built: cleaned (`TilePolygonCheck.clean`'s rules), wound as MVT
    /// wants for an exterior or a hole, and kept; or dropped, when nothing with an area is
    /// left, and false returned.
    mutating func closeRing(exterior: Bool) -> Bool {
        let start = ringEnds.last ?? 0
        let count = points.withUnsafeMutableBufferPointer { buffer in
            let ring = UnsafeMutableBufferPointer(rebasing: buffer[start...])
            let n = TilePolygonCheck.cleanInPlace(ring)
            guard n >= 3 else { return 0 }
            var cleaned = UnsafeMutableBufferPointer(rebasing: ring[..<n])
            let area = TilePolygonCheck.surveyorArea(UnsafeBufferPointer(cleaned))
            guard area != 0 else { return 0 }
            if (area > 0) != exterior { cleaned.reverse() }
            return n
        }
        points.removeLast(points.count - start - count)
        guard count > 0 else { return false }
        ringEnds.append(points.count)
        return true
    }

    /// Adds polygons after those already here, each ring cleaned and wound; a ring left without
    /// an area is dropped, and an exterior so dropped takes its holes with it.
    mutating func append(_ polygons: [[[TilePoint]]]) {
        for polygon in polygons {
            for (k, ring) in polygon.enumerated() {
                for p in ring { append(p) }
                if !closeRing(exterior: k == 0) && k == 0 { break }
            }
            closePolygon()
        }
    }

    /// Ends the polygon being built, when it kept any ring.
    mutating func closePolygon() {
        if ringEnds.count > (polygonEnds.last ?? 0) { polygonEnds.append(ringEnds.count) }
    }
}
