import Foundation
import PropertyBased
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct PolygonIndexTests {
    @Test func everyPointOfATilingHasExactlyOneTile() {
        var rng = TestData.random("tiling")
        let (features, vertices) = RandomShapes.quadTiling(columns: 12, rows: 9, cell: 0.002, rng: &rng)
        let index = PolygonIndex(features: features)
        var probes: [Coordinate] = []
        for _ in 0..<20_000 { probes.append(Coordinate(120 + rng.uniform(0, 0.024), 30 + rng.uniform(0, 0.018))) }
        // Exactly on shared vertices and on points of shared edges.
        probes += vertices
        for f in features {
            let r = f[0].exterior
            for i in 1..<r.count {
                let t = rng.unit()
                probes.append(Coordinate(r[i - 1].x + t * (r[i].x - r[i - 1].x), r[i - 1].y + t * (r[i].y - r[i - 1].y)))
                probes.append(Coordinate((r[i - 1].x + r[i].x) / 2, (r[i - 1].y + r[i].y) / 2))
            }
        }
        for p in probes {
            let claimed = features.indices.filter { RandomShapes.bruteForceContains(features[$0], x: p.x, y: p.y) }
            let located = index.locate(x: p.x, y: p.y).feature
            let onOuterTopOrRight = p.x >= 120 + 0.024 || p.y >= 30 + 0.018
            if onOuterTopOrRight {
                #expect(claimed.count <= 1)
            } else {
                #expect(claimed.count == 1, "\(p) claimed by \(claimed)")
            }
            #expect(located == (claimed.first.map(Int32.init) ?? -1), "\(p)")
        }
    }

    /// The batch lookup gives what one lookup per point gives: inside, on shared edges and
    /// vertices, outside the raster, and NaN.
    @Test func batchLocateEqualsOneByOne() {
        var rng = TestData.random("batch locate")
        let (tiles, vertices) = RandomShapes.quadTiling(columns: 12, rows: 9, cell: 0.002, rng: &rng)
        let features = tiles + RandomShapes.features(count: 20, rng: &rng)
        let index = PolygonIndex(features: features)
        var points = (0..<20_000).map { _ in Coordinate(rng.uniform(119.99, 120.04), rng.uniform(29.99, 30.03)) } + vertices
        points.append(Coordinate(.nan, 30.01))
        let xs = points.map(\.x), ys = points.map(\.y)
        var out = [Int32](repeating: 7, count: points.count)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in out.withUnsafeMutableBufferPointer { index.locate(xs: x, ys: y, into: $0) } } }
        let one = points.map { index.locate(x: $0.x, y: $0.y).feature }
        #expect(out == one)
        #expect(Set(one).count > 100 && one.contains(-1))
    }

    @Test func sharedVerticesAndEdgesAreBoundary() {
        var rng = TestData.random("boundary")
        let (features, vertices) = RandomShapes.quadTiling(columns: 5, rows: 5, cell: 0.002, rng: &rng)
        let index = PolygonIndex(features: features)
        for v in vertices where v.x < 120.01 && v.y < 30.01 {
            let (f, onBoundary) = index.locate(x: v.x, y: v.y)
            #expect(f >= 0 && onBoundary, "\(v)")
        }
        let centre = features[12][0].exterior
        let c = Coordinate(centre[0...3].map(\.x).reduce(0, +) / 4, centre[0...3].map(\.y).reduce(0, +) / 4)
        #expect(index.locate(x: c.x, y: c.y) == (12, false))
    }

    @Test func randomConcavePolygonsWithHolesMatchBruteForce() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = SeededRandom(seed: UInt64(seed))
            let features = RandomShapes.features(count: rng.int(1, 30), rng: &rng)
            let index = PolygonIndex(features: features)
            let box = index.bounds
            for _ in 0..<2_000 {
                let x = rng.uniform(box.minX - 0.001, box.maxX + 0.001), y = rng.uniform(box.minY - 0.001, box.maxY + 0.001)
                let expected = features.indices.first { RandomShapes.bruteForceContains(features[$0], x: x, y: y) }
                #expect(index.locate(x: x, y: y).feature == Int32(expected ?? -1), "seed \(seed) at (\(x), \(y))")
            }
        }
    }

    @Test func overlappingFeaturesGoToTheLowestIndex() {
        let big = Polygon(exterior: [.init(0, 0), .init(10, 0), .init(10, 10), .init(0, 10), .init(0, 0)])
        let small = Polygon(exterior: [.init(2, 2), .init(4, 2), .init(4, 4), .init(2, 4), .init(2, 2)])
        let index = PolygonIndex(features: [[small], [big]])
        #expect(index.locate(x: 3, y: 3).feature == 0)
        #expect(index.locate(x: 6, y: 6).feature == 1)
        let reversed = PolygonIndex(features: [[big], [small]])
        #expect(reversed.locate(x: 3, y: 3).feature == 0)
        #expect(index.locate(x: 11, y: 3).feature == -1)
        #expect(index.locate(x: .nan, y: 3).feature == -1)
    }

    @Test func nearestFeatureMatchesBruteForce() {
        var rng = TestData.random("nearest")
        let features = RandomShapes.features(count: 25, rng: &rng)
        let index = PolygonIndex(features: features)
        for _ in 0..<300 {
            let x = rng.uniform(index.bounds.minX - 0.02, index.bounds.maxX + 0.02)
            let y = rng.uniform(index.bounds.minY - 0.02, index.bounds.maxY + 0.02)
            guard index.locate(x: x, y: y).feature < 0, let (f, d) = index.nearestFeature(x: x, y: y) else { continue }
            let frame = LocalFrame(origin: Coordinate(x, y))
            var best = Double.infinity
            for polygons in features {
                for p in polygons {
                    for ring in p.rings {
                        for i in 1..<ring.count {
                            let a = frame.project(ring[i - 1]), b = frame.project(ring[i])
                            let dx = b.x - a.x, dy = b.y - a.y
                            let t = max(0, min(1, (-a.x * dx - a.y * dy) / (dx * dx + dy * dy)))
                            best = min(best, ((a.x + t * dx) * (a.x + t * dx) + (a.y + t * dy) * (a.y + t * dy)).squareRoot())
                        }
                    }
                }
            }
            #expect(abs(d - best) < 1e-6, "(\(x), \(y)): \(d) vs \(best)")
            #expect(f >= 0)
        }
    }
}

@Suite struct NearestOutsideTests {
    /// The unshared-edge search must give the same distance as the search over every feature
    /// (the feature may differ only where two are equally near).
    @Test func unsharedEdgeSearchEqualsFullSearch() {
        var rng = TestData.random("nearest outside")
        let (tiles, _) = RandomShapes.quadTiling(columns: 10, rows: 8, cell: 0.003, rng: &rng)
        var features = tiles
        features.remove(at: 35)   // a gap inside the tiling
        features += RandomShapes.features(count: 10, rng: &rng)
        let index = PolygonIndex(features: features)
        var checked = 0
        for _ in 0..<3_000 {
            let x = rng.uniform(index.bounds.minX - 0.05, index.bounds.maxX + 0.05)
            let y = rng.uniform(index.bounds.minY - 0.05, index.bounds.maxY + 0.05)
            guard index.locate(x: x, y: y).feature < 0 else { continue }
            let fast = index.nearestFeatureOutside(x: x, y: y)!, full = index.nearestFeature(x: x, y: y)!
            #expect(abs(fast.distance - full.distance) < 1e-6, "(\(x), \(y))")
            if abs(fast.distance - full.distance) < 1e-9 && fast.feature != full.feature {
                continue   // a tie between two features
            }
            #expect(fast.feature == full.feature, "(\(x), \(y))")
            checked += 1
        }
        #expect(checked > 1_000)
    }

    /// Without the unshared-edge index (buildings) there is no nearest feature, and locating is
    /// unchanged.
    @Test func theNearestSearchCanBeLeftOut() {
        var rng = TestData.random("nearest left out")
        let features = RandomShapes.features(count: 40, rng: &rng)
        var options = PolygonIndex.Options()
        options.findsNearest = false
        let without = PolygonIndex(features: features, options: options), with = PolygonIndex(features: features)
        var outside = 0
        for _ in 0..<2_000 {
            let x = rng.uniform(with.bounds.minX, with.bounds.maxX), y = rng.uniform(with.bounds.minY, with.bounds.maxY)
            #expect(without.locate(x: x, y: y) == with.locate(x: x, y: y))
            guard with.locate(x: x, y: y).feature < 0 else { continue }
            outside += 1
            #expect(without.nearestFeatureOutside(x: x, y: y) == nil)
            #expect(with.nearestFeatureOutside(x: x, y: y) != nil)
        }
        #expect(outside > 100)
    }
}
