// The quick validity verdict never calls valid what GEOS calls invalid: on random rings (most
// of them self-intersecting), on shapes valid by construction, on the sample district's grids,
// and on the classic invalid shapes; and it does call the ordinary valid shapes valid.
import Testing
import GridwallCore
import GridwallGEOS
import GridwallTestSupport

@Suite struct ClearValidityTests {
    @Test func neverCallsValidWhatGEOSCallsInvalid() throws {
        let geos = GeosContext()
        var rng = TestData.random("clearValidity")
        var clear = 0, geosValid = 0
        for _ in 0..<3000 {
            // Random points in a small box, joined in random order: mostly self-intersecting.
            let n = rng.int(3, 12)
            var ring = (0..<n).map { _ in Coordinate(120 + rng.uniform(0, 0.001), 30 + rng.uniform(0, 0.001)) }
            if rng.unit() < 0.2 { ring.insert(ring[rng.int(0, n - 1)], at: rng.int(0, n - 1)) }   // a repeated or touching point
            ring.append(ring[0])
            let g = Geometry.polygon(Polygon(exterior: ring))
            let valid = try geos.geometry(g).invalidity() == nil
            if valid { geosValid += 1 }
            if g.isClearlyValid {
                clear += 1
                #expect(valid, "\(ring)")
            }
        }
        #expect(clear > 0 && clear <= geosValid)
    }

    @Test func callsOrdinaryShapesValid() throws {
        var rng = TestData.random("clearValidityStars")
        var clear = 0
        for _ in 0..<500 {
            let ring = RandomShapes.star(center: Coordinate(120, 30), vertices: rng.int(5, 80), minRadius: 0.0005, maxRadius: 0.002, rng: &rng)
            if Geometry.polygon(Polygon(exterior: ring)).isClearlyValid { clear += 1 }
        }
        #expect(clear >= 495, "\(clear) of 500 star-shaped rings")
        let grids = try TestData.sampleAreas().filter { $0.level == .grid }
        #expect(grids.filter(\.geometry.isClearlyValid).count == grids.filter { $0.geometry.polygons.count == 1 && $0.geometry.polygons[0].rings.count == 1 }.count)
    }

    @Test func refusesTheClassicInvalidShapes() {
        func ring(_ points: [(Double, Double)]) -> Geometry {
            .polygon(Polygon(exterior: (points + [points[0]]).map { Coordinate(120 + $0.0 * 1e-4, 30 + $0.1 * 1e-4) }))
        }
        #expect(!ring([(0, 0), (1, 1), (1, 0), (0, 1)]).isClearlyValid)                       // bow tie
        #expect(!ring([(0, 0), (2, 0), (2, 2), (1, 2), (1, 3), (1, 2), (0, 2)]).isClearlyValid) // spike out and back
        #expect(!ring([(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 1)]).isClearlyValid)        // touches itself at a vertex
        #expect(!ring([(0, 0), (1, 0), (2, 0)]).isClearlyValid)                                // no area
        #expect(ring([(0, 0), (2, 0), (2, 2), (0, 2)]).isClearlyValid)
    }
}
