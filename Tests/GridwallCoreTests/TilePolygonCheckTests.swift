// The exact validity check that lets tile polygons skip the robust path, against GEOS's
// judgement on hand-made cases (the tile tests check whole tiles with GEOS and GDAL).
import Testing
import GridwallCore

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
}
