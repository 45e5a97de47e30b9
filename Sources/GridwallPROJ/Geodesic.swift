// Geodesics on the WGS84 ellipsoid with PROJ's implementation of Karney's algorithms
// (C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 2013): accurate to nanometres.
import CPROJ
import GridwallCore

/// Distance and azimuths between two WGS84 positions.
public struct GeodesicLine: Sendable, Hashable {
    /// Metres along the ellipsoid.
    public var distance: Double
    /// Degrees clockwise from north at the start, in [0, 360).
    public var initialBearing: Double
    /// Degrees clockwise from north at the end, in [0, 360).
    public var finalBearing: Double
}

/// WGS84 geodesics (Karney, through PROJ): distance and bearings between points, and the point at a distance.
public enum Geodesic {
    /// The inverse geodesic problem on WGS84.
    ///
    ///     Geodesic.inverse(Coordinate(120.2, 30.27), Coordinate(120.21, 30.27)).distance   // ≈ 962.0 m
    public static func inverse(_ a: Coordinate, _ b: Coordinate) -> GeodesicLine {
        var g = geod_geodesic()
        geod_init(&g, 6378137, 1 / 298.257223563)
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        geod_inverse(&g, a.y, a.x, b.y, b.x, &s12, &azi1, &azi2)
        func normalized(_ d: Double) -> Double { let r = d.truncatingRemainder(dividingBy: 360); return r < 0 ? r + 360 : r }
        return GeodesicLine(distance: s12, initialBearing: normalized(azi1), finalBearing: normalized(azi2))
    }

    /// The position reached from `start` after `distance` metres on `bearing` degrees.
    public static func direct(from start: Coordinate, bearing: Double, distance: Double) -> Coordinate {
        var g = geod_geodesic()
        geod_init(&g, 6378137, 1 / 298.257223563)
        var lat2 = 0.0, lon2 = 0.0, azi2 = 0.0
        geod_direct(&g, start.y, start.x, bearing, distance, &lat2, &lon2, &azi2)
        return Coordinate(lon2, lat2)
    }

    /// The area in square metres enclosed by a ring of WGS84 positions on the ellipsoid (either
    /// orientation; a closing repeat of the first position is ignored).
    public static func polygonArea(_ ring: [Coordinate]) -> Double {
        var g = geod_geodesic()
        geod_init(&g, 6378137, 1 / 298.257223563)
        var points = ring
        if points.count > 1, points.first == points.last { points.removeLast() }
        var lats = points.map(\.y), lons = points.map(\.x)
        var area = 0.0, perimeter = 0.0
        geod_polygonarea(&g, &lats, &lons, Int32(points.count), &area, &perimeter)
        return abs(area)
    }
}
