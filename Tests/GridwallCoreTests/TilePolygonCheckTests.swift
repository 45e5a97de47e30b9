// The exact validity check that lets tile polygons skip the robust path, against GEOS's
// judgement on hand-made cases (the tile tests check whole tiles with GEOS and GDAL).
import Testing
@testable import GridwallCore
import GridwallTestSupport

@Suite struct TilePolygonCheckTests {
    func ring(_ points: [(Int32, Int32)]) -> [TilePoint] { points.map { TilePoint($0.0, $0.1) } }

    @Test func validAndInvalidShapes() {
        let square = ring([(0, 0), (10, 0), (10, 10), (0, 10)])
        let hole = ring([(2, 2), (2, 4), (4, 4), (4, 2)])
        #expect(TilePolygonCheck.isValid([[square]]))
        #expect(TilePolygonCheck.isValid([[square, hole]]))
        // A bow tie crosses itself.
        #expect(!TilePolygonCheck.isValid([[ring([(0, 0), (10, 10), (10, 0), (0, 10)])]]))
        // A hole touching its exterior, a hole outside it, two overlapping parts, nested parts.
        #expect(!TilePolygonCheck.isValid([[square, ring([(0, 5), (3, 7), (3, 3)])]]))
        #expect(!TilePolygonCheck.isValid([[square, ring([(20, 20), (20, 22), (22, 22), (22, 20)])]]))
        #expect(!TilePolygonCheck.isValid([[square], [ring([(5, 5), (15, 5), (15, 15), (5, 15)])]]))
        #expect(!TilePolygonCheck.isValid([[square], [hole]]))
        // Two parts side by side, apart.
        #expect(TilePolygonCheck.isValid([[square], [ring([(11, 0), (20, 0), (20, 10), (11, 10)])]]))
        // Edges overlapping along a line (what Sutherland–Hodgman leaves) are not valid.
        #expect(!TilePolygonCheck.isValid([[ring([(0, 0), (6, 0), (6, 4), (4, 4), (4, 0), (2, 0), (2, 4), (0, 4)])]]))
    }

    @Test func cleaningRemovesRepeatsSpikesAndStraightPoints() {
        let cleaned = TilePolygonCheck.clean(ring([(0, 0), (5, 0), (10, 0), (10, 0), (10, 10), (10, 15), (10, 10), (0, 10), (0, 0)]))
        #expect(cleaned == ring([(0, 0), (10, 0), (10, 10), (0, 10)]))
    }

    /// The sweep finds the same contacts as testing every pair of edges: random rings on a small
    /// grid (most cross themselves, touch at a vertex or run along each other), and the same
    /// rings with a far-away detour so that the sweep's early stop matters.
    @Test func theSweepAgreesWithEveryPair() {
        var rng = TestData.random("simple rings")
        var simple = 0, crossed = 0
        for _ in 0..<20_000 {
            let n = rng.int(3, 12)
            var r = (0..<n).map { _ in TilePoint(Int32(rng.int(0, 9)), Int32(rng.int(0, 9))) }
            if rng.unit() < 0.3 { r.insert(contentsOf: [TilePoint(20, Int32(rng.int(-50, 50))), TilePoint(21, 60)], at: rng.int(0, n)) }
            let expected = TilePolygonCheck.isSimpleByEveryPair(r)
            #expect(TilePolygonCheck.isSimple(r) == expected, "\(r)")
            if expected { simple += 1 } else { crossed += 1 }
        }
        #expect(simple > 1_000 && crossed > 1_000)
        // Two vertices meeting where every edge of one lies below and every edge of the other
        // above: only an edge starting exactly where another ends can find it.
        let pinched = ring([(0, 0), (2, 2), (4, 0), (4, 6), (2, 2), (0, 6)])
        #expect(!TilePolygonCheck.isSimpleByEveryPair(pinched) && !TilePolygonCheck.isSimple(pinched))
    }
}
