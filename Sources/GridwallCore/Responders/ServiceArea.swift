import Foundation

// Where live positions may be: the district's box widened by a margin in metres. A report
// beyond it (a GPS fix at (0, 0), swapped coordinates that still parse) is refused with the
// distance, instead of being stored and shown on the wall in the Gulf of Guinea.

/// The district's WGS84 box and a margin around it.
///
/// ```swift
/// let area = ServiceArea(district: BoundingBox(minX: 120.1, minY: 30.2, maxX: 120.35, maxY: 30.4), margin: 20_000)
/// area.problem(with: Coordinate(0, 0))   // "(0.0, 0.0) is 12966 km from the service area …"
/// ```
public struct ServiceArea: Sendable, Hashable {
    public let district: BoundingBox
    /// Metres around the district that still count as inside.
    public let margin: Double
    /// The district widened by the margin, in degrees (what the responder index buckets).
    public let box: BoundingBox

    /// The district widened by `margin` metres.
    public init(district: BoundingBox, margin: Double) {
        self.district = district
        self.margin = max(0, margin)
        let frame = LocalFrame(origin: district.center)
        // Degrees of the margin at the district's most poleward edge, so the box holds it all.
        let poleward = min(89, max(abs(district.minY), abs(district.maxY)))
        let dx = self.margin / LocalFrame(origin: Coordinate(district.center.x, poleward)).metresPerDegreeX
        let dy = self.margin / frame.metresPerDegreeY
        box = BoundingBox(minX: max(-180, district.minX - dx), minY: max(-90, district.minY - dy),
                          maxX: min(180, district.maxX + dx), maxY: min(90, district.maxY + dy))
    }

    /// Nil when `p` is inside; otherwise why not, with the distance to the district's box.
    public func problem(with p: Coordinate) -> String? {
        guard !box.contains(p) else { return nil }
        let nearest = Coordinate(min(max(p.x, district.minX), district.maxX), min(max(p.y, district.minY), district.maxY))
        let km = Int((Self.haversine(p, nearest) / 1000).rounded())
        let bounds = "lon \(district.minX)…\(district.maxX), lat \(district.minY)…\(district.maxY)"
        // Swapped longitude and latitude is the commonest way to land far away.
        let swapped = box.contains(Coordinate(p.y, p.x)) ? "; with lon and lat swapped it would be inside" : ""
        return "(\(p.x), \(p.y)) is \(km) km from the service area (\(bounds)), beyond its \(Int(margin / 1000)) km margin" + swapped
    }

    /// Great-circle metres on a sphere of the mean Earth radius: for messages, not measurement.
    static func haversine(_ a: Coordinate, _ b: Coordinate) -> Double {
        let r = Double.pi / 180
        let dLat = (b.y - a.y) * r, dLon = (b.x - a.x) * r
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.y * r) * cos(b.y * r) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6_371_008.8 * asin(min(1, h.squareRoot()))
    }
}
