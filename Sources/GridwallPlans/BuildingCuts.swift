// Buildings a plan's boundaries cut: the areas that each hold a share of a building. A building
// already divided into the same pieces by the current layer is not news (real footprints often
// straddle today's grids), whatever the areas holding the pieces are called now; one the plan
// divides anew, or divides differently, is reported with its shares.
import GridwallCore
import GridwallGEOS

/// One layer of areas (planar metres), asked which of them share a building.
final class BuildingCuts {
    let ids: [String]
    let metric: [[Polygon]]
    let buckets: BoxBuckets
    private let boxes: [BoundingBox]
    private let geos: GeosContext
    private var shapes: [Int: GeosGeometry] = [:]
    private var prepared: [Int: PreparedGeosGeometry] = [:]

    init(ids: [String], metric: [[Polygon]], geos: GeosContext) {
        self.ids = ids
        self.metric = metric
        self.geos = geos
        boxes = metric.map { PlanarBox.of($0) }
        buckets = BoxBuckets(boxes)
    }

    private func shape(_ i: Int) throws -> GeosGeometry {
        if let g = shapes[i] { return g }
        let g = try geos.geometry(.multiPolygon(metric[i])); shapes[i] = g; return g
    }

    /// The areas holding at least `minimumShare` m² of the building, with those shares; empty
    /// when one area holds all of it. Most buildings lie in the box of one area only, or inside
    /// one area (a prepared covers), and need no overlay.
    func shares(of building: GeosGeometry, box: BoundingBox, minimumShare: Double) throws -> [(area: Int, share: Double)] {
        let near = buckets.near(box).filter { boxes[$0].intersects(box) }
        guard near.count > 1 else { return [] }
        for i in near {
            if prepared[i] == nil { prepared[i] = try shape(i).prepared() }
            if try prepared[i]!.covers(building) { return [] }
        }
        var out: [(Int, Double)] = []
        for i in near {
            let a = try shape(i).intersection(building).area()
            if a >= minimumShare { out.append((i, a)) }
        }
        return out.count >= 2 ? out : []
    }

    /// Buildings this layer cuts that `before` did not cut into the same shares (each within
    /// `minimumShare` m²); every cut one when there is no `before`.
    func newCuts(_ buildings: [(id: String, geometry: Geometry)], frame: LocalFrame, before: BuildingCuts?,
                 minimumShare: Double) throws -> [PlanFinding] {
        var findings: [PlanFinding] = []
        for b in buildings {
            let polygons = b.geometry.mapCoordinates(frame.project).polygons
            guard !polygons.isEmpty else { continue }
            let box = PlanarBox.of(polygons)
            let building = try geos.geometry(.multiPolygon(polygons))
            let now = try shares(of: building, box: box, minimumShare: minimumShare)
            guard !now.isEmpty else { continue }
            if let before {
                let then = try before.shares(of: building, box: box, minimumShare: minimumShare)
                // The same pieces (each within `minimumShare`), whatever the areas are called now:
                // a grid renamed or split elsewhere does not cut this building anew.
                let old = then.map(\.share).sorted(), new = now.map(\.share).sorted()
                if old.count == new.count && zip(old, new).allSatisfy({ abs($0 - $1) <= minimumShare }) { continue }
            }
            let total = try building.area()
            let text = now.map { "\(ids[$0.area]) \(PlanValidator.format($0.share)) m²" }.joined(separator: ", ")
            findings.append(PlanFinding(kind: .cutBuilding, areas: now.map { ids[$0.area] }, building: b.id, size: total,
                                        shares: Dictionary(now.map { (ids[$0.area], $0.share) }, uniquingKeysWith: +),
                                        geometry: b.geometry,
                                        message: "building \(b.id) (\(PlanValidator.format(total)) m²) is cut: \(text)"))
        }
        return findings
    }
}
