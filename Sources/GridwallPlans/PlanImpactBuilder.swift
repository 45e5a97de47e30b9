// Everything a plan's impact report needs, from the store's records: the layer the plan would
// make, the buildings' representative points, the responders' new home grids (GridSuccession),
// then the tally (PlanImpact, pure).
import Foundation
import GridwallCore

public enum PlanImpactBuilder {
    /// Where an impact report's time went, in seconds (for `gridwall bench plan`).
    public struct Phases: Sendable {
        /// Both layers indexed (at once, on two threads).
        public var layers = 0.0
        /// The buildings' representative points.
        public var points = 0.0
        /// The responders' home grids handed on (GridSuccession).
        public var successors = 0.0
        /// Everything placed in both layers and tallied.
        public var tally = 0.0
        public var total: Double { layers + points + successors + tally }
    }

    /// The impact of replacing `current` grids by `plan` (merged as PlanLayer says) on the
    /// buildings, cameras, responders' home grids and `events` (with the grid each was assigned).
    public static func impact(plan: [PlanArea], current: [PlanArea], buildings: [BuildingRecord], cameras: [CameraRecord],
                              responders: [(id: String, grid: String?)], events: [CountedThing],
                              householdRange: ClosedRange<Int> = 300...500) throws -> (impact: PlanImpact, seconds: Double) {
        let run = try timedImpact(plan: plan, current: current, buildings: buildings, cameras: cameras, responders: responders,
                                  events: events, householdRange: householdRange)
        return (run.impact, run.phases.total)
    }

    /// `impact`, with the time of each phase.
    public static func timedImpact(plan: [PlanArea], current: [PlanArea], buildings: [BuildingRecord], cameras: [CameraRecord],
                                   responders: [(id: String, grid: String?)], events: [CountedThing],
                                   householdRange: ClosedRange<Int> = 300...500) throws -> (impact: PlanImpact, phases: Phases) {
        var phases = Phases()
        var lap = DispatchTime.now().uptimeNanoseconds
        func time(_ phase: WritableKeyPath<Phases, Double>) {
            let now = DispatchTime.now().uptimeNanoseconds
            phases[keyPath: phase] = Double(now - lap) / 1e9
            lap = now
        }
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
        time(\.layers)
        let buildingThings = buildings.map {
            CountedThing(id: $0.id, point: $0.geometry.representativePoint, households: $0.households, residents: $0.residents)
        }
        time(\.points)
        let cameraThings = cameras.map { CountedThing(id: $0.id, point: $0.position) }
        let responderThings = responders.map { CountedThing(id: $0.id, point: nil, grid: $0.grid) }
        let successor = try GridSuccession.successors(of: Set(responders.compactMap(\.grid)), old: current, new: layer)
        time(\.successors)
        let impact = PlanImpact.compute(old: old, new: new, buildings: buildingThings, cameras: cameraThings, events: events,
                                        responders: responderThings, successor: successor, householdRange: householdRange)
        time(\.tally)
        return (impact, phases)
    }
}
