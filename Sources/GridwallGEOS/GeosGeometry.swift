// A GEOS geometry owned by Swift: created by its context, destroyed in deinit, never shared
// across threads (it keeps its context alive and, like it, is not Sendable).
import CGEOS
import GridwallCore

/// Why a geometry is invalid, and where (GEOSisValidDetail).
public struct Invalidity: Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var location: Coordinate?
    public var description: String {
        guard let location else { return reason }
        // Nine decimals (0.1 mm) hide the float noise of computed intersection points.
        return "\(reason) at (\(GeoJSON.formatFixed(location.x, decimals: 9)) \(GeoJSON.formatFixed(location.y, decimals: 9)))"
    }
}

/// A GEOS geometry owned by its context, freed when released.
public final class GeosGeometry {
    public let context: GeosContext
    let pointer: OpaquePointer
    private var handle: GEOSContextHandle_t { context.handle }

    init(context: GeosContext, pointer: OpaquePointer) {
        self.context = context
        self.pointer = pointer
    }

    deinit { GEOSGeom_destroy_r(context.handle, pointer) }

    // MARK: Out

    /// The geometry as WKB.
    public func wkb() throws -> [UInt8] { try context.wkb(of: pointer) }

    /// Back to a Gridwall value.
    public func value() throws -> Geometry { try WKB.decode(try wkb()) }

    /// The geometry as WKT with `precision` digits.
    public func wkt(precision: Int32 = 17) throws -> String {
        let writer = GEOSWKTWriter_create_r(handle)
        defer { GEOSWKTWriter_destroy_r(handle, writer) }
        GEOSWKTWriter_setRoundingPrecision_r(handle, writer, precision)
        GEOSWKTWriter_setTrim_r(handle, writer, 1)
        // returns NULL on exception
        return try context.string(GEOSWKTWriter_write_r(handle, writer, pointer), "writing WKT")
    }

    /// The geometry as GeoJSON.
    public func geoJSON() throws -> String {
        let writer = GEOSGeoJSONWriter_create_r(handle)
        defer { GEOSGeoJSONWriter_destroy_r(handle, writer) }
        // returns NULL on exception; indent -1 means compact
        return try context.string(GEOSGeoJSONWriter_writeGeometry_r(handle, writer, pointer, -1), "writing GeoJSON")
    }

    // MARK: Validity

    /// nil when valid; otherwise GEOS's reason and the location of the first problem.
    public func invalidity() throws -> Invalidity? {
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        // returns 1 if valid, 0 if invalid, 2 on exception; reason and location are ours to free
        let result = GEOSisValidDetail_r(handle, pointer, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(handle, reason) }
            if let location { GEOSGeom_destroy_r(handle, location) }
        }
        switch result {
        case 1: return nil
        case 0:
            var where_: Coordinate?
            if let location {
                var x = 0.0, y = 0.0
                // return 0 on exception
                if GEOSGeomGetX_r(handle, location, &x) == 1, GEOSGeomGetY_r(handle, location, &y) == 1 {
                    where_ = Coordinate(x, y)
                }
            }
            return Invalidity(reason: reason.map { String(cString: $0) } ?? "invalid", location: where_)
        default: throw context.failure("validity check")
        }
    }

    /// The part inside the rectangle (GEOSClipByRect: valid for valid input, no degenerate
    /// edges along the cut, unlike Sutherland–Hodgman).
    public func clipped(to box: BoundingBox) throws -> GeosGeometry {
        // returns NULL on exception
        try context.own(GEOSClipByRect_r(handle, pointer, box.minX, box.minY, box.maxX, box.maxY), "clip by rectangle")
    }

    /// The geometry snap-rounded to a grid of `gridSize` (GEOSGeom_setPrecision, OverlayNG
    /// noding in GEOS ≥ 3.10): every vertex on the grid and the result valid; parts that
    /// collapse below the grid are dropped.
    public func snapRounded(gridSize: Double) throws -> GeosGeometry {
        // returns NULL on exception
        try context.own(GEOSGeom_setPrecision_r(handle, pointer, gridSize, 0), "set precision")
    }

    /// A valid geometry covering the same points (GEOSMakeValid; collapsed parts may be dropped).
    public func makeValid() throws -> GeosGeometry {
        // returns NULL on exception
        try context.own(GEOSMakeValid_r(handle, pointer), "MakeValid")
    }

    // MARK: Measures

    /// The planar area, in the square units of the coordinates.
    public func area() throws -> Double {
        var a = 0.0
        // returns 0 on exception
        guard GEOSArea_r(handle, pointer, &a) == 1 else { throw context.failure("area") }
        return a
    }

    /// The planar length of the lines or boundaries.
    public func length() throws -> Double {
        var l = 0.0
        // returns 0 on exception
        guard GEOSLength_r(handle, pointer, &l) == 1 else { throw context.failure("length") }
        return l
    }

    /// The radius of the largest circle inside the polygon (GEOSMaximumInscribedCircle, to
    /// within `tolerance`): half the width of its widest place, so a part whose radius is below
    /// w/2 is nowhere as wide as w.
    public func inscribedRadius(tolerance: Double) throws -> Double {
        // returns NULL on exception; the result is a line from the centre to the nearest boundary point
        let line = try context.own(GEOSMaximumInscribedCircle_r(handle, pointer, tolerance), "maximum inscribed circle")
        return try line.length()
    }

    /// The planar distance to `other`.
    public func distance(to other: GeosGeometry) throws -> Double {
        var d = 0.0
        // returns 0 on exception
        guard GEOSDistance_r(handle, pointer, other.pointer, &d) == 1 else { throw context.failure("distance") }
        return d
    }

    public var isEmpty: Bool {
        // returns 2 on exception, which we treat as not empty
        GEOSisEmpty_r(handle, pointer) == 1
    }

    /// The OGC type name (Polygon, MultiPolygon, GeometryCollection, ...).
    public func typeName() throws -> String {
        try context.string(GEOSGeomType_r(handle, pointer), "geometry type")
    }

    // MARK: Overlay

    /// The union with `other`.
    public func union(_ other: GeosGeometry) throws -> GeosGeometry {
        try context.own(GEOSUnion_r(handle, pointer, other.pointer), "union")
    }
    /// The intersection with `other`.
    public func intersection(_ other: GeosGeometry) throws -> GeosGeometry {
        try context.own(GEOSIntersection_r(handle, pointer, other.pointer), "intersection")
    }
    /// This minus `other`.
    public func difference(_ other: GeosGeometry) throws -> GeosGeometry {
        try context.own(GEOSDifference_r(handle, pointer, other.pointer), "difference")
    }
    /// What lies in exactly one of the two.
    public func symmetricDifference(_ other: GeosGeometry) throws -> GeosGeometry {
        try context.own(GEOSSymDifference_r(handle, pointer, other.pointer), "symmetric difference")
    }
    /// The union of all parts of a collection.
    public func unaryUnion() throws -> GeosGeometry {
        try context.own(GEOSUnaryUnion_r(handle, pointer), "unary union")
    }
    /// The boundary (rings of a polygon as lines).
    public func boundary() throws -> GeosGeometry {
        try context.own(GEOSBoundary_r(handle, pointer), "boundary")
    }

    // MARK: Predicates

    private func predicate(_ name: String, _ result: CChar) throws -> Bool {
        // predicates return 1 for true, 0 for false, 2 on exception
        guard result != 2 else { throw context.failure(name) }
        return result == 1
    }
    /// Whether `o` lies in this and touches its interior (boundary points are not contained).
    public func contains(_ o: GeosGeometry) throws -> Bool { try predicate("contains", GEOSContains_r(handle, pointer, o.pointer)) }
    /// Whether no point of `o` lies outside this (boundary points count).
    public func covers(_ o: GeosGeometry) throws -> Bool { try predicate("covers", GEOSCovers_r(handle, pointer, o.pointer)) }
    /// Whether the two share a point.
    public func intersects(_ o: GeosGeometry) throws -> Bool { try predicate("intersects", GEOSIntersects_r(handle, pointer, o.pointer)) }
    /// Whether the two share some but not all interior, in the same dimension.
    public func overlaps(_ o: GeosGeometry) throws -> Bool { try predicate("overlaps", GEOSOverlaps_r(handle, pointer, o.pointer)) }
    /// Whether the two share boundary points but no interior.
    public func touches(_ o: GeosGeometry) throws -> Bool { try predicate("touches", GEOSTouches_r(handle, pointer, o.pointer)) }
    /// Whether the two are the same point set.
    public func equals(_ o: GeosGeometry) throws -> Bool { try predicate("equals", GEOSEquals_r(handle, pointer, o.pointer)) }
    /// DE-9IM pattern match, e.g. "2********" for interiors that share an area.
    public func relate(_ o: GeosGeometry, pattern: String) throws -> Bool {
        try predicate("relate", GEOSRelatePattern_r(handle, pointer, o.pointer, pattern))
    }

    /// A prepared copy for many predicate calls against this geometry.
    public func prepared() throws -> PreparedGeosGeometry {
        // returns NULL on exception; the prepared geometry references ours, so it keeps us alive
        guard let p = GEOSPrepare_r(handle, pointer) else { throw context.failure("prepare") }
        return PreparedGeosGeometry(base: self, pointer: p)
    }
}

/// A prepared geometry (GEOSPrepare): indexed edges for fast repeated predicates.
public final class PreparedGeosGeometry {
    public let base: GeosGeometry
    let pointer: OpaquePointer
    init(base: GeosGeometry, pointer: OpaquePointer) { self.base = base; self.pointer = pointer }
    deinit { GEOSPreparedGeom_destroy_r(base.context.handle, pointer) }

    /// Whether the geometry contains `g` (points on the boundary are not contained).
    public func contains(_ g: GeosGeometry) throws -> Bool {
        // returns 2 on exception
        let r = GEOSPreparedContains_r(base.context.handle, pointer, g.pointer)
        guard r != 2 else { throw base.context.failure("prepared contains") }
        return r == 1
    }

    /// Whether no point of `g` lies outside the geometry (prepared).
    public func covers(_ g: GeosGeometry) throws -> Bool {
        // returns 2 on exception
        let r = GEOSPreparedCovers_r(base.context.handle, pointer, g.pointer)
        guard r != 2 else { throw base.context.failure("prepared covers") }
        return r == 1
    }

    /// Whether `g` shares a point with the geometry (prepared).
    public func intersects(_ g: GeosGeometry) throws -> Bool {
        // returns 2 on exception
        let r = GEOSPreparedIntersects_r(base.context.handle, pointer, g.pointer)
        guard r != 2 else { throw base.context.failure("prepared intersects") }
        return r == 1
    }
}

extension GeosGeometry {
    /// Union of a collection of polygons that form a coverage (edges shared exactly, no overlaps);
    /// much faster than a general union and keeps every boundary vertex.
    public func coverageUnion() throws -> GeosGeometry {
        // returns NULL on exception
        try context.own(GEOSCoverageUnion_r(context.handle, pointer), "coverage union")
    }
}

extension GeosGeometry {
    /// The parts of a multi-geometry or collection (a single geometry is its own only part).
    public func parts() throws -> [GeosGeometry] {
        // returns -1 on exception
        let n = GEOSGetNumGeometries_r(context.handle, pointer)
        guard n >= 0 else { throw context.failure("counting parts") }
        let type = try typeName()
        guard type.hasPrefix("Multi") || type == "GeometryCollection" else { return [self] }
        return try (0..<n).map { i in
            // returns a pointer owned by the collection (NULL on exception): clone it to own it
            guard let part = GEOSGetGeometryN_r(context.handle, pointer, i) else { throw context.failure("reading part \(i)") }
            return try context.own(GEOSGeom_clone_r(context.handle, part), "cloning part \(i)")
        }
    }

    /// Only the polygons of this geometry (collections are flattened), as a Gridwall value;
    /// nil when nothing polygonal is left (for example a polygon repaired into a line).
    public func polygonalPart() throws -> Geometry? {
        var polygons: [Polygon] = []
        func collect(_ g: GeosGeometry) throws {
            let type = try g.typeName()
            if type == "Polygon" || type == "MultiPolygon" {
                if !g.isEmpty { polygons.append(contentsOf: try g.value().polygons) }
            } else if type == "GeometryCollection" {
                for p in try g.parts() { try collect(p) }
            }
        }
        try collect(self)
        switch polygons.count {
        case 0: return nil
        case 1: return .polygon(polygons[0])
        default: return .multiPolygon(polygons)
        }
    }
}
