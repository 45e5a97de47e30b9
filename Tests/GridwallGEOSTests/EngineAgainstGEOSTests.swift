// The assignment engine against GEOS prepared `contains` in an STRtree: wherever a point is more
// than 1e-9° from every boundary, both must name the same polygon (or none).
import Foundation
import PropertyBased
import Testing
import GridwallCore
import GridwallGEOS
import GridwallTestSupport

/// GEOS's answer for many points over one layer, and a check of our index against it.
struct GEOSReference {
    let geos = GeosContext()
    let tree: GeosSTRtree
    let prepared: [PreparedGeosGeometry]
    let boundaries: [GeosGeometry]

    init(features: [[Polygon]]) throws {
        tree = try GeosSTRtree(context: geos)
        var prepared: [PreparedGeosGeometry] = []
        var boundaries: [GeosGeometry] = []
        for (i, polygons) in features.enumerated() {
            let g = try geos.geometry(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
            // GEOS predicates are only defined on valid geometries: the fixtures must be valid.
            if let problem = try g.invalidity() { throw GridwallError(.invalidGeometry, "fixture feature \(i) is invalid: \(problem)") }
            tree.insert(g, id: i)
            prepared.append(try g.prepared())
            boundaries.append(try g.boundary())
        }
        self.prepared = prepared
        self.boundaries = boundaries
    }

    /// Compares; returns (points compared, points skipped as within 1e-9° of a boundary).
    func check(_ index: PolygonIndex, points: [Coordinate], label: String) throws -> (compared: Int, nearBoundary: Int) {
        var hits: [Int] = []
        var compared = 0, near = 0
        for p in points {
            let point = try geos.point(x: p.x, y: p.y)
            tree.query(point, into: &hits)
            hits.sort()
            let expected = try hits.first { try prepared[$0].contains(point) }
            let got = index.locate(x: p.x, y: p.y).feature
            if Int32(expected ?? -1) == got { compared += 1; continue }
            // Disagreement is only allowed right on a boundary of one of the two polygons.
            let involved = [expected, got >= 0 ? Int(got) : nil].compactMap { $0 }
            let distance = try involved.map { try boundaries[$0].distance(to: point) }.min() ?? .infinity
            #expect(distance <= 1e-9, "\(label): (\(p.x), \(p.y)) GEOS says \(expected ?? -1), index says \(got), \(distance)° from a boundary")
            near += 1
        }
        return (compared, near)
    }
}

@Suite struct EngineAgainstGEOSTests {
    static func randomPoints(in box: BoundingBox, count: Int, rng: inout SeededRandom) -> [Coordinate] {
        (0..<count).map { _ in Coordinate(rng.uniform(box.minX, box.maxX), rng.uniform(box.minY, box.maxY)) }
    }

    @Test func sampleDistrictGrids() throws {
        let grids = try TestData.sampleAreas().filter { $0.level == .grid }.map(\.geometry.polygons)
        #expect(grids.count >= 500)
        let index = PolygonIndex(features: grids)
        var rng = TestData.random("sample district")
        var points = Self.randomPoints(in: index.bounds.expanded(by: 0.002), count: 30_000, rng: &rng)
        // Plus every grid vertex nudged by 1e-8° in each direction: the hardest non-boundary points.
        for g in grids.prefix(60) { for v in g[0].exterior { points += [Coordinate(v.x + 1e-8, v.y + 3e-9), Coordinate(v.x - 2e-8, v.y - 1e-8)] } }
        let (compared, near) = try GEOSReference(features: grids).check(index, points: points, label: "sample")
        #expect(compared > 30_000)
        print("sample district: \(compared) points agree with GEOS, \(near) on a boundary")
    }

    @Test(arguments: ["olinda_census_tracts/olinda_tracts.geojson", "boston_tracts/boston_tracts.geojson",
                      "tokyo_municipalities/tokyo_municipalities.geojson", "helsinki_osm/buildings.geojson",
                      "olinda_census_tracts/olinda_bairros.geojson"])
    func realPolygons(_ file: String) throws {
        let realdata = TestData.realdata
        let geos = GeosContext()
        // GEOS's predicates are only defined on valid input: compare on the valid features.
        let features = try TestData.features(realdata.appendingPathComponent(file)).map(\.geometry.polygons)
            .filter { !$0.isEmpty }
            .filter { try geos.geometry(.multiPolygon($0)).invalidity() == nil }
        #expect(features.count > 20)
        let index = PolygonIndex(features: features)
        var rng = TestData.random(file)
        let points = Self.randomPoints(in: index.bounds, count: 20_000, rng: &rng)
        let (compared, _) = try GEOSReference(features: features).check(index, points: points, label: file)
        #expect(compared > 19_000)
    }

    @Test func randomConcavePolygonsWithHoles() async {
        await propertyCheck(count: 25, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = SeededRandom(seed: UInt64(seed))
            let features = RandomShapes.features(count: rng.int(1, 25), rng: &rng)
            let index = PolygonIndex(features: features)
            let points = Self.randomPoints(in: index.bounds.expanded(by: 0.001), count: 1_500, rng: &rng)
            do {
                _ = try GEOSReference(features: features).check(index, points: points, label: "seed \(seed)")
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }
}
