// Overlap areas by convex clipping against GEOS overlays: random concave polygons (half with a
// hole) and the sample district's grids, each against random convex polygons, and against
// concave ones cut into triangles, that cover all, part or none of them; the triangles of a
// ring cover exactly its area; and the convexity verdict on shapes whose answer is known.
import Foundation
import Testing
import GridwallCore
import GridwallGEOS
import GridwallTestSupport

@Suite struct ConvexClipTests {
    /// A convex ring: points on a circle, no angular gap of 180° or more.
    static func convex(center: Coordinate, radius: Double, rng: inout SeededRandom) -> Polygon {
        Polygon(exterior: RandomShapes.star(center: center, vertices: rng.int(3, 12), minRadius: radius, maxRadius: radius, rng: &rng))
    }

    /// For each subject, a polygon `place` puts somewhere over it (its centre within the
    /// subject's box widened by 30 %, its size relative to the box's) and our overlap area, which
    /// must equal GEOS's intersection area; enough overlaps must be partial that a clipping error
    /// would show.
    func expectAreasMatchGEOS(_ subjects: [Polygon], rng: inout SeededRandom,
                              place: (_ k: Int, _ subject: Polygon, _ centre: Coordinate, _ span: Double, _ rng: inout SeededRandom) throws -> (Polygon, Double)) throws {
        let geos = GeosContext()
        var partial = 0
        for (k, subject) in subjects.enumerated() {
            let b = Geometry.polygon(subject).boundingBox!
            let centre = Coordinate(b.minX + rng.uniform(-0.3, 1.3) * b.width, b.minY + rng.uniform(-0.3, 1.3) * b.height)
            let (other, ours) = try place(k, subject, centre, max(b.width, b.height), &rng)
            let reference = try geos.geometry(.polygon(subject)).intersection(geos.geometry(.polygon(other))).area()
            #expect(abs(ours - reference) <= 1e-6 + 1e-9 * subject.planarArea, "\(ours) vs \(reference) m²")
            if reference > 0 && reference < subject.planarArea * 0.99 { partial += 1 }
        }
        #expect(partial > subjects.count / 4, "only \(partial) partial overlaps: the test would not see a clipping error")
    }

    /// Grids of the sample district in planar metres.
    static func metricGrids(_ count: Int) throws -> [Polygon] {
        try TestData.sampleAreas().filter { $0.level == .grid }.prefix(count).flatMap { g in
            g.geometry.mapCoordinates(LocalFrame(origin: g.geometry.boundingBox!.center).project).polygons
        }
    }

    @Test func overlapAreasMatchGEOS() throws {
        var rng = TestData.random("convexClip")
        let subjects = (0..<300).map { _ in RandomShapes.polygon(center: Coordinate(0, 0), size: 500, rng: &rng) } + (try Self.metricGrids(200))
        try expectAreasMatchGEOS(subjects, rng: &rng) { _, subject, centre, span, rng in
            let clip = Self.convex(center: centre, radius: rng.uniform(0.1, 1.2) * span, rng: &rng)
            return (clip, subject.planarArea(insideConvex: try #require(clip.convexRing)))
        }
    }

    @Test func overlapAreasWithTrianglesOfConcavePolygonsMatchGEOS() throws {
        var rng = TestData.random("earClipping")
        let grids = try Self.metricGrids(150)
        try expectAreasMatchGEOS(grids, rng: &rng) { k, subject, centre, span, rng in
            // Half the time the cut polygon is a random concave star, half the time another grid.
            let other: Polygon
            if k % 2 == 0 {
                let size = rng.uniform(0.2, 1.0) * span
                other = Polygon(exterior: RandomShapes.star(center: centre, vertices: rng.int(5, 60), minRadius: 0.3 * size, maxRadius: size, rng: &rng))
            } else {
                let next = grids[(k + 1) % grids.count], corner = next.exterior[0]
                other = Geometry.polygon(next).mapCoordinates { Coordinate($0.x - corner.x + centre.x, $0.y - corner.y + centre.y) }.polygons[0]
            }
            let pieces = try #require(other.convexPieces, "\(other.exterior)")
            return (other, subject.planarArea(insidePieces: pieces))
        }
    }

    @Test func trianglesCoverTheRingExactly() throws {
        var rng = TestData.random("earClippingArea")
        var rings = (0..<300).map { _ in RandomShapes.star(center: Coordinate(0, 0), vertices: rng.int(3, 200), minRadius: 10, maxRadius: 500, rng: &rng) }
        rings.append([Coordinate(0, 0), Coordinate(1, 0), Coordinate(2, 0), Coordinate(2, 2), Coordinate(1, 1), Coordinate(0, 2), Coordinate(0, 0)])
        for ring in rings {
            let triangles = try #require(EarClipping.triangles(ring))
            let area = Polygon(exterior: ring).planarArea
            let sum = triangles.reduce(0) { $0 + Orientation.signedArea2($1 + [$1[0]]) / 2 }
            #expect(abs(sum - area) <= 1e-9 * area, "\(sum) vs \(area)")
            #expect(triangles.allSatisfy { Orientation.signedArea2($0 + [$0[0]]) > 0 })
        }
        #expect(EarClipping.triangles([Coordinate(0, 0), Coordinate(1, 0), Coordinate(2, 0), Coordinate(0, 0)]) == nil)
    }

    @Test func knowsConvexFromNot() {
        func polygon(_ points: [(Double, Double)], holes: [[(Double, Double)]] = []) -> Polygon {
            let close = { (ps: [(Double, Double)]) in (ps + [ps[0]]).map { Coordinate($0.0, $0.1) } }
            return Polygon(exterior: close(points), holes: holes.map(close))
        }
        let square = [(0.0, 0.0), (2, 0), (2, 2), (0, 2)]
        #expect(polygon(square).convexRing?.count == 4)
        #expect(polygon(square.reversed()).convexRing.map { Orientation.signedArea2($0 + [$0[0]]) > 0 } == true)
        #expect(polygon([(0, 0), (1, 0), (2, 0), (2, 2), (2, 2), (0, 2)]).convexRing != nil)            // straight run, repeated point
        #expect(polygon([(0, 0), (2, 0), (1, 1), (2, 2), (0, 2)]).convexRing == nil)                      // a notch
        #expect(polygon([(0, 0), (2, 0), (2, 2), (1, 2), (1, 3), (1, 2), (0, 2)]).convexRing == nil)      // spike out and back
        #expect(polygon([(0, 0), (1, 1), (1, 0), (0, 1)]).convexRing == nil)                              // bow tie
        let pentagram = (0..<5).map { k in (cos(Double(2 * k) * 2 * .pi / 5), sin(Double(2 * k) * 2 * .pi / 5)) }
        #expect(polygon(pentagram).convexRing == nil)                                                     // left turns, round twice
        #expect(polygon(square, holes: [[(0.5, 0.5), (0.5, 1), (1, 1)]]).convexRing == nil)
        #expect(polygon([(0, 0), (1, 0), (2, 0)]).convexRing == nil)                                      // no area
    }
}
