// The impact report against a brute-force reassignment: every building, camera and event of the
// sample district placed by GEOS (prepared `covers` against every grid whose box holds it, no
// edge index), every responder's home grid handed on by GEOS overlays with every new grid. The
// plan re-cuts one whole community into 250 m squares, so thousands of things move.
import Foundation
import Testing
import GridwallCore
import GridwallGEOS
import GridwallPlans
import GridwallSample
import GridwallTestSupport

@Suite struct PlanImpactTests {
    static let grids = PlanCheckTests.grids
    static let buildings: [BuildingRecord] = try! TestData.features(TestData.url("geodata/buildings.geojson")).map {
        BuildingRecord(id: $0.properties["id"]!.stringValue!, households: Int($0.properties["households"]?.doubleValue ?? 0),
                       residents: Int($0.properties["residents"]?.doubleValue ?? 0), geometry: $0.geometry)
    }
    static let cameras: [CameraRecord] = try! TestData.features(TestData.url("geodata/cameras.geojson")).map {
        guard case .point(let p) = $0.geometry else { fatalError("a camera is a point") }
        return CameraRecord(id: $0.properties["id"]!.stringValue!, position: p)
    }
    static let responders: [(id: String, grid: String?)] = try! TestData.features(TestData.url("geodata/responders.geojson")).map {
        ($0.properties["id"]!.stringValue!, $0.properties["grid_id"]?.stringValue)
    }
    /// The last 30 days of events (no grid recorded: the old layer places them).
    static let events: [CountedThing] = try! TestData.csv(TestData.url("geodata/events.csv")).compactMap { row in
        guard let time = row["time"], time >= "2026-10-21", let x = Double(row["lon"] ?? ""), let y = Double(row["lat"] ?? "") else { return nil }
        return CountedThing(id: row["id"]!, point: Coordinate(x, y))
    }

    /// The community with the most grids, cut into squares of `side` metres clipped to it.
    static func squarePlan(side: Double) throws -> (community: String, plan: [PlanArea]) {
        let counts = Dictionary(grouping: grids, by: { $0.parentID ?? "" }).mapValues(\.count)
        let community = PlanCheckTests.communities.max { (counts[$0.id] ?? 0, $1.id) < (counts[$1.id] ?? 0, $0.id) }!
        let squares = try SquareRedraw.grids(parents: [(community.id, community.geometry)], side: side)
        return (community.id, squares.map { PlanArea(id: $0.id, parentID: $0.parentID, geometry: $0.geometry, place: $0.id) })
    }

    @Test func aRedrawnCommunityMovesWhatBruteForceSays() throws {
        let (community, plan) = try Self.squarePlan(side: 250)
        let (impact, _) = try PlanImpactBuilder.impact(plan: plan, current: Self.grids, buildings: Self.buildings, cameras: Self.cameras,
                                                       responders: Self.responders, events: Self.events)
        let layer = PlanLayer.merged(plan: plan, current: Self.grids)
        let replaced = Self.grids.filter { $0.parentID == community }.count
        #expect(layer.count == Self.grids.count - replaced + plan.count)
        #expect(impact.grids.map(\.grid) == layer.map(\.id))

        let old = try BruteForce(Self.grids), new = try BruteForce(layer)
        var expected: [String: GridImpact] = [:]
        for id in layer.map(\.id) { expected[id] = GridImpact(grid: id) }
        var moves: [String: Set<String>] = [:]
        func record(_ kind: GridMove.Kind, _ id: String, from: String?, to: String?, _ add: (inout GridImpact) -> Void) {
            if let to { add(&expected[to]!) }
            if from != to { moves["\(kind.rawValue) \(from ?? "-") \(to ?? "-")", default: []].insert(id) }
        }
        let engineOld = GridLayer(ids: Self.grids.map(\.id), polygons: Self.grids.map(\.geometry.polygons))
        let engineNew = GridLayer(ids: layer.map(\.id), polygons: layer.map(\.geometry.polygons))
        for b in Self.buildings {
            let p = try #require(b.geometry.representativePoint)
            let from = try old.grid(at: p, engine: engineOld), to = try new.grid(at: p, engine: engineNew)
            record(.buildings, b.id, from: from, to: to) { $0.buildings += 1; $0.households += b.households; $0.population += b.residents }
        }
        for c in Self.cameras {
            record(.cameras, c.id, from: try old.grid(at: c.position, engine: engineOld), to: try new.grid(at: c.position, engine: engineNew)) { $0.cameras += 1 }
        }
        for e in Self.events {
            record(.events, e.id, from: try old.grid(at: e.point!, engine: engineOld), to: try new.grid(at: e.point!, engine: engineNew)) { $0.events += 1 }
        }
        let homes = Set(Self.responders.compactMap(\.grid))
        let successor = try new.largestShare(of: Self.grids.filter { homes.contains($0.id) })
        for r in Self.responders {
            let to = r.grid.flatMap { successor[$0] }
            record(.responders, r.id, from: r.grid, to: to) { $0.responders += 1 }
        }

        for g in impact.grids { #expect(g == expected[g.grid], "\(g) vs \(String(describing: expected[g.grid]))") }
        let found = Dictionary(uniqueKeysWithValues: impact.moves.map { ("\($0.kind.rawValue) \($0.from ?? "-") \($0.to ?? "-")", Set($0.ids)) })
        #expect(found == moves)
        // The re-cut community's buildings all move (no square keeps an old id); nothing else does.
        let inCommunity = Set(Self.grids.filter { $0.parentID == community }.map(\.id))
        #expect(impact.moves.allSatisfy { $0.from.map(inCommunity.contains) ?? false })
        #expect(impact.moved(.buildings) > 100 && impact.moved(.events) > 100, "\(impact.moves.count) moves")
        #expect(impact.outsideRange == impact.grids.filter { $0.households < 300 || $0.households > 500 })
    }

    @Test func theCurrentLayerAsAPlanMovesNothing() throws {
        let (impact, _) = try PlanImpactBuilder.impact(plan: Self.grids, current: Self.grids, buildings: Self.buildings, cameras: Self.cameras,
                                                       responders: Self.responders, events: Self.events)
        #expect(impact.moves.isEmpty, "\(impact.moves.prefix(3))")
        // The generator summed the households by the buildings' centres too (a few buildings lie
        // beyond the grids); grid by grid, centres within millimetres of a boundary may differ.
        let stored = PlanCheckTests.district.filter { $0.level == .grid }
        #expect(impact.grids.reduce(0) { $0 + $1.households } == stored.reduce(0) { $0 + $1.households })
        #expect(impact.grids.reduce(0) { $0 + $1.population } == stored.reduce(0) { $0 + $1.population })
        #expect(impact.grids.reduce(0) { $0 + $1.responders } == Self.responders.filter { $0.grid != nil }.count)
        #expect(impact.json["moved"]?["buildings"]?.doubleValue == 0)
        #expect(impact.json["grids"]?.arrayValue?.count == Self.grids.count)
    }

    /// Every building's representative point lies inside it (GEOS), including shapes whose
    /// centroid does not.
    @Test func representativePointsLieInsideTheirBuildings() throws {
        let geos = GeosContext()
        var outside: [String] = []
        for b in Self.buildings {
            let p = try #require(b.geometry.representativePoint)
            if try !geos.geometry(b.geometry).contains(try geos.geometry(.point(p))) { outside.append(b.id) }
        }
        #expect(outside.isEmpty, "\(outside.prefix(5))")
        // A U whose centroid falls in its notch, and a square with a hole at its centre.
        let u = Geometry.polygon(Polygon(rings: [[Coordinate(0, 0), Coordinate(30, 0), Coordinate(30, 30), Coordinate(20, 30), Coordinate(20, 10),
                                                  Coordinate(10, 10), Coordinate(10, 30), Coordinate(0, 30), Coordinate(0, 0)]]))
        let ring = Geometry.polygon(Polygon(rings: [[Coordinate(0, 0), Coordinate(10, 0), Coordinate(10, 10), Coordinate(0, 10), Coordinate(0, 0)],
                                                    [Coordinate(3, 3), Coordinate(7, 3), Coordinate(7, 7), Coordinate(3, 7), Coordinate(3, 3)]]))
        for shape in [u, ring] {
            let p = try #require(shape.representativePoint)
            #expect(try geos.geometry(shape).contains(try geos.geometry(.point(p))), "\(p)")
        }
        let centroid = try #require(ring.polygons[0].centroid)
        #expect(abs(centroid.x - 5) < 1e-12 && abs(centroid.y - 5) < 1e-12)
    }

    /// The bound that spares most home-grid overlays: a grid's area inside a box, against GEOS
    /// clipping the grid to the box, for every grid and a box over a corner of it.
    @Test func areaInsideABoxEqualsGEOSClipping() throws {
        let geos = GeosContext()
        var rng = TestData.random("areaInsideABox")
        for g in Self.grids {
            // In metres: in degrees the shoelace sums cancel to ~1e-12 of their size.
            let metric = g.geometry.mapCoordinates(LocalFrame(origin: g.geometry.boundingBox!.center).project)
            let b = metric.boundingBox!
            let box = BoundingBox(minX: b.minX + rng.uniform(-0.2, 0.6) * b.width, minY: b.minY + rng.uniform(-0.2, 0.6) * b.height,
                                  maxX: b.maxX - rng.uniform(-0.2, 0.3) * b.width, maxY: b.maxY - rng.uniform(-0.2, 0.3) * b.height)
            let ours = metric.polygons.reduce(0) { $0 + $1.planarArea(inside: box) }
            let reference = try geos.geometry(metric).clipped(to: box).area()
            #expect(abs(ours - reference) <= 1e-6 + 1e-9 * reference, "\(g.id): \(ours) vs \(reference) m²")
        }
    }

    @Test func aPlanNamingNoParentReplacesTheWholeLayer() {
        let plan = [PlanArea(id: "only", parentID: nil, geometry: Self.grids[0].geometry, place: "x")]
        #expect(PlanLayer.merged(plan: plan, current: Self.grids).map(\.id) == ["only"])
        let reused = [PlanArea(id: Self.grids[3].id, parentID: "elsewhere", geometry: Self.grids[3].geometry, place: "x")]
        #expect(PlanLayer.merged(plan: reused, current: Self.grids).count == Self.grids.count)
    }
}

/// GEOS, grid by grid: which grids cover a point, and which new grid holds most of an old one
/// (every grid whose box holds the point or meets the old grid's box; the boxes are bucketed only
/// so that the debug build does not spend its time comparing boxes).
private struct BruteForce {
    let areas: [PlanArea]
    let boxes: [BoundingBox]
    let buckets: BoxBuckets
    let prepared: [PreparedGeosGeometry]
    let shapes: [GeosGeometry]
    let geos = GeosContext()

    init(_ areas: [PlanArea]) throws {
        self.areas = areas
        boxes = areas.map { $0.geometry.boundingBox! }
        buckets = BoxBuckets(boxes)
        let geos = self.geos
        shapes = try areas.map { try geos.geometry($0.geometry) }
        prepared = try shapes.map { try $0.prepared() }
    }

    /// The grid covering `p`; on a boundary several do, and the engine's choice must be one of them.
    func grid(at p: Coordinate, engine: GridLayer) throws -> String? {
        let point = try geos.geometry(.point(p))
        let box = BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)
        let covering = try buckets.near(box).filter { boxes[$0].contains(p) }.filter { try prepared[$0].covers(point) }.map { areas[$0].id }
        guard covering.count > 1 else { return covering.first }
        let chosen = engine.grid(at: p)
        #expect(chosen.map(covering.contains) ?? false, "\(p): \(String(describing: chosen)) is not one of \(covering)")
        return chosen
    }

    /// For every old area, the area of this layer sharing the most of it (planar degrees, as only
    /// the order matters), compared with every area of the layer whose box meets it.
    func largestShare(of old: [PlanArea]) throws -> [String: String] {
        var out: [String: String] = [:]
        for a in old {
            let shape = try geos.geometry(a.geometry)
            let box = a.geometry.boundingBox!
            var best: (Double, String)?
            for i in buckets.near(box) where boxes[i].intersects(box) {
                let s = shapes[i]
                let share = try shape.intersection(s).area()
                if share > 0, share > (best?.0 ?? 0) { best = (share, areas[i].id) }
            }
            if let best { out[a.id] = best.1 }
        }
        return out
    }
}
