// Geometry values: plain Sendable structs over contiguous coordinate arrays.
//
// Coordinates are (x, y) = (longitude, latitude) in degrees unless a caller says otherwise;
// rings are closed (first coordinate repeated last), as in GeoJSON, WKB and GEOS.

/// One position: `x` is longitude (or easting), `y` latitude (or northing).
///
///     let p = Coordinate(x: 120.2, y: 30.27)
public struct Coordinate: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    /// A coordinate (longitude, latitude in WGS84; metres in a projected CRS).
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    /// A coordinate, unlabelled.
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    /// Whether both ordinates are finite numbers (no NaN, no infinity).
    public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// A polygon: the exterior ring first, then its holes; each ring closed.
///
///     let square = Polygon(exterior: [.init(0,0), .init(1,0), .init(1,1), .init(0,1), .init(0,0)])
public struct Polygon: Sendable, Hashable {
    public var rings: [[Coordinate]]
    /// A polygon from its rings, exterior first, each closed.
    public init(rings: [[Coordinate]]) { self.rings = rings }
    /// A polygon from its exterior and holes, each closed.
    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) { self.rings = [exterior] + holes }
    public var exterior: [Coordinate] { rings.first ?? [] }
    public var holes: ArraySlice<[Coordinate]> { rings.dropFirst() }
}

/// The geometry kinds Gridwall stores and exchanges (the OGC simple features it needs).
public enum Geometry: Sendable, Hashable {
    case point(Coordinate)
    case multiPoint([Coordinate])
    case lineString([Coordinate])
    case multiLineString([[Coordinate]])
    case polygon(Polygon)
    case multiPolygon([Polygon])

    /// The OGC type name, as WKT and GeoPackage spell it.
    public var typeName: String {
        switch self {
        case .point: "POINT"
        case .multiPoint: "MULTIPOINT"
        case .lineString: "LINESTRING"
        case .multiLineString: "MULTILINESTRING"
        case .polygon: "POLYGON"
        case .multiPolygon: "MULTIPOLYGON"
        }
    }

    /// The polygons of a polygonal geometry (empty for points and lines).
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): [p]
        case .multiPolygon(let ps): ps
        default: []
        }
    }

    /// Calls `body` with every coordinate, in storage order.
    public func forEachCoordinate(_ body: (Coordinate) -> Void) {
        switch self {
        case .point(let c): body(c)
        case .multiPoint(let cs), .lineString(let cs): cs.forEach(body)
        case .multiLineString(let lines): lines.forEach { $0.forEach(body) }
        case .polygon(let p): p.rings.forEach { $0.forEach(body) }
        case .multiPolygon(let ps): ps.forEach { $0.rings.forEach { $0.forEach(body) } }
        }
    }

    /// The same geometry with every coordinate replaced by `transform(coordinate)`.
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> Geometry {
        func ring(_ r: [Coordinate]) throws -> [Coordinate] { try r.map(transform) }
        func poly(_ p: Polygon) throws -> Polygon { Polygon(rings: try p.rings.map(ring)) }
        switch self {
        case .point(let c): return .point(try transform(c))
        case .multiPoint(let cs): return .multiPoint(try ring(cs))
        case .lineString(let cs): return .lineString(try ring(cs))
        case .multiLineString(let ls): return .multiLineString(try ls.map(ring))
        case .polygon(let p): return .polygon(try poly(p))
        case .multiPolygon(let ps): return .multiPolygon(try ps.map(poly))
        }
    }

    /// The smallest axis-aligned box holding every coordinate, or nil for an empty geometry.
    public var boundingBox: BoundingBox? {
        var box = BoundingBox.empty
        forEachCoordinate { box.extend($0) }
        return box.isEmpty ? nil : box
    }

    /// Why the first coordinate that is not a WGS84 longitude/latitude is not one (see
    /// `Coordinate.lonLatProblem`), or nil when every coordinate is one.
    public var firstLonLatProblem: String? {
        var problem: String?
        forEachCoordinate { c in if problem == nil { problem = c.lonLatProblem } }
        return problem
    }

    /// The first coordinate that is NaN or infinite, with its index in storage order.
    public var firstNonFiniteCoordinate: (index: Int, coordinate: Coordinate)? {
        var found: (Int, Coordinate)?
        var i = 0
        forEachCoordinate { c in
            if found == nil && !c.isFinite { found = (i, c) }
            i += 1
        }
        return found
    }
}

extension Coordinate {
    /// Why this is not a WGS84 longitude/latitude, or nil when it is one; says so when the two
    /// look swapped (latitude out of range, longitude small enough to be a latitude).
    ///
    ///     Coordinate(30.3, 120.2).lonLatProblem   // "(30.3, 120.2) is not a longitude/latitude; longitude and latitude look swapped …"
    public var lonLatProblem: String? {
        guard abs(x) > 180 || abs(y) > 90 else { return nil }
        let swapped = abs(y) > 90 && abs(x) <= 90
        return "(\(x), \(y)) is not a longitude/latitude"
            + (swapped ? "; longitude and latitude look swapped (GeoJSON and Gridwall use longitude first)" : "")
    }
}
