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
        var scratch = TilePolygonCheck.Scratch()
        for _ in 0..<20_000 {
            let n = rng.int(3, 12)
            var r = (0..<n).map { _ in TilePoint(Int32(rng.int(0, 9)), Int32(rng.int(0, 9))) }
            if rng.unit() < 0.3 { r.insert(contentsOf: [TilePoint(20, Int32(rng.int(-50, 50))), TilePoint(21, 60)], at: rng.int(0, n)) }
            let expected = r.withUnsafeBufferPointer { TilePolygonCheck.isSimpleByEveryPair($0) }
            #expect(r.withUnsafeBufferPointer { TilePolygonCheck.isSimpleBySweep($0, scratch: &scratch) } == expected, "\(r)")
            if expected { simple += 1 } else { crossed += 1 }
        }
        #expect(simple > 1_000 && crossed > 1_000)
        // Two vertices meeting where every edge of one lies below and every edge of the other
        // above: only an edge starting exactly where another ends can find it.
        let pinched = ring([(0, 0), (2, 2), (4, 0), (4, 6), (2, 2), (0, 6)])
        pinched.withUnsafeBufferPointer { ring in
            #expect(!TilePolygonCheck.isSimpleByEveryPair(ring) && !TilePolygonCheck.isSimpleBySweep(ring, scratch: &scratch))
        }
    }

    /// The one-pass clean keeps what dropping repeats and straight points until none is left
    /// keeps (the pass the encoder used before): random rings on a small grid, full of repeats,
    /// spikes and straight runs; equal up to where the ring starts.
    @Test func theOnePassCleanAgreesWithRepeatedPasses() {
        var rng = TestData.random("clean rings")
        var changed = 0
        for _ in 0..<20_000 {
            let n = rng.int(1, 14)
            let r = (0..<n).map { _ in TilePoint(Int32(rng.int(0, 4)), Int32(rng.int(0, 4))) }
            let expected = Self.cleanByRepeatedPasses(r), cleaned = TilePolygonCheck.clean(r)
            if cleaned.count != r.count { changed += 1 }
            if expected.count < 3 {
                #expect(cleaned.count < 3, "\(r)")
            } else {
                #expect(cleaned.count == expected.count && (0..<cleaned.count).contains { k in
                    Array(cleaned[k...] + cleaned[..<k]) == expected
                }, "\(r): \(cleaned) against \(expected)")
            }
        }
        #expect(changed > 10_000)
    }

    /// Repeats dropped, then points on a straight line between their neighbours, pass after pass.
    static func cleanByRepeatedPasses(_ ring: [TilePoint]) -> [TilePoint] {
        var r = ring
        while true {
            var out: [TilePoint] = []
            for p in r where out.last != p { out.append(p) }
            while out.count > 1, out.first == out.last { out.removeLast() }
            var i = 0
            while out.count >= 3 && i < out.count {
                let a = out[(i + out.count - 1) % out.count], b = out[i], c = out[(i + 1) % out.count]
                if TilePolygonCheck.orientation(a, b, c) == 0 { out.remove(at: i) } else { i += 1 }
            }
            if out.count == r.count || out.count < 3 { return out }
            r = out
        }
    }

    /// The encoder skips the check for an uncut outline whose clearance is over 1.5 tile units:
    /// on random star-shaped rings of a few dozen units, every such ring rounds to a valid one,
    /// while rings below the bar often do not (so the bar is what keeps them valid).
    @Test func clearOutlinesRoundToValidRings() throws {
        var rng = TestData.random("clear outlines")
        let tile = try TileID(z: 14, x: 13_663, y: 6_743)
        let clipper = TileClipper(tile: tile)
        let centre = Coordinate((clipper.worldBox.minX + clipper.worldBox.maxX) / 2, (clipper.worldBox.minY + clipper.worldBox.maxY) / 2)
        var store = WorldPolygonStore()
        for _ in 0..<4_000 {
            let radius = rng.uniform(1.5, 30) / clipper.scale
            store.append(.polygons([[RandomShapes.star(center: centre, vertices: rng.int(6, 60), minRadius: radius / 3, maxRadius: radius, rng: &rng)]]))
        }
        var clear = 0, unclearInvalid = 0
        var out = TilePolygons(), scratch = TileCutScratch(), check = TilePolygonCheck.Scratch()
        for i in 0..<4_000 {
            out.removeAll()
            clipper.quickCut(store, feature: i, whollyInside: true, into: &out, scratch: &scratch)
            let valid = TilePolygonCheck.isValid(out, scratch: &check)
            if clipper.roundsValid(clearance: store.clearances[i]) {
                clear += 1
                #expect(valid, "feature \(i): \(out.nested)")
            } else if !valid {
                unclearInvalid += 1
            }
        }
        #expect(clear > 500, "\(clear) clear")
        #expect(unclearInvalid > 100, "\(unclearInvalid) invalid below the bar")
    }
}
