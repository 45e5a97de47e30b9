// Everything a plan's impact report needs, from the store's records: the layer the plan would
// make, the buildings' representative points, the responders' new home grids (GridSuccession),
// then the tally (PlanImpact, pure).
import Foundation
import GridwallCore

public enum PlanImpactBuilder {
    /// The impact of replacing `current` grids by `plan` (merged as PlanLayer says) on the
    /// buildings, cameras, responders' home grids and `events` (with the grid each was assigned).
    public static func impact(plan: [PlanArea], current: [PlanArea], buildings: [BuildingRecord], cameras: [CameraRecord],
                              responders: [(id: String, grid: String?)], events: [CountedThing],
                              householdRange: ClosedRange<Int> = 300...500) throws -> (impact: PlanImpact, seconds: Double) {
        let started = Date()
        let layer = PlanLayer.merged(plan: plan, current: current)
        // A coarser raster than the live index's: an impact asks each layer ~10⁵ points once, so
        // building a 4-million-cell raster (~50 ms) would cost more than the finer cells save.
        var coarse = PolygonIndex.Options()
        coarse.maxCells = 1 << 16
        let options = coarse
        // The two layers are indexed at once, on two threads.
        let layers = Locked<[Int: GridLayer]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let areas = k == 0 ? current : layer
            let built = GridLayer(ids: areas.map(\.id), polygons: areas.map(\.geometry.polygons), options: options)
            layers.withLock { $0[k] = built }
        }
        let old = layers.withLock { $0[0]! }, new = layers.withLock { $0[1]! }
        let buildingThings = buildings.map {
            CountedThing(id: $0.id, point: $0.geometry.representativePoint, households: $0.households, residents: $0.residents)
        }
        let cameraThings = cameras.map { CountedThing(id: $0.id, point: $0.position) }
        let responderThings = responders.map { CountedThing(id: $0.id, point: nil, grid: $0.grid) }
        let successor = try GridSuccession.successors(of: Set(responders.compactMap(\.grid)), old: current, new: layer)
        let impact = PlanImpact.compute(old: old, new: new, buildings: buildingThings, cameras: cameraThings, events: events,
                                        responders: responderThings, successor: successor, householdRange: householdRange)
        return (impact, Date().timeIntervalSince(started))
    }
}
