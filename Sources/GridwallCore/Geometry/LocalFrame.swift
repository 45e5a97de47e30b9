// A local equirectangular frame: metres east and north of an origin, scaled by the cosine of the
// origin's latitude. Within a few kilometres it is within 0.1 % of geodesic distance, and it
// costs two multiplications, which is what the generator and outside-point distances need.
// Precise metric work goes through PROJ (GridwallPROJ) instead.
import Foundation

/// Metres east and north of an origin, for short distances without PROJ.
public struct LocalFrame: Sendable, Hashable {
    public let origin: Coordinate
    /// Metres per degree of longitude and of latitude at the origin (WGS84 radii of curvature).
    public let metresPerDegreeX: Double
    public let metresPerDegreeY: Double

    /// A frame at `origin` (WGS84), scaled by the ellipsoid's radii there.
    public init(origin: Coordinate) {
        self.origin = origin
        let a = 6378137.0, e2 = 0.00669437999014
        let phi = origin.y * .pi / 180
        let s = sin(phi)
        let w = (1 - e2 * s * s).squareRoot()
        let n = a / w                       // prime vertical radius
        let m = a * (1 - e2) / (w * w * w)  // meridian radius
        metresPerDegreeX = n * cos(phi) * .pi / 180
        metresPerDegreeY = m * .pi / 180
    }

    /// Metres (east, north) of a WGS84 position.
    @inline(__always)
    public func project(_ c: Coordinate) -> Coordinate {
        Coordinate((c.x - origin.x) * metresPerDegreeX, (c.y - origin.y) * metresPerDegreeY)
    }

    /// The WGS84 position of a local (east, north) position in metres.
    @inline(__always)
    public func unproject(_ p: Coordinate) -> Coordinate {
        Coordinate(origin.x + p.x / metresPerDegreeX, origin.y + p.y / metresPerDegreeY)
    }
}
