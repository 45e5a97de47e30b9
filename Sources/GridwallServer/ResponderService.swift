// Responders for the server: the live registry (queries never wait for updates) in front of
// the store (every acknowledged position is on disk before the answer).
import Foundation
import GridwallCore
import GridwallPROJ
import GridwallStore

/// Responders for the server: the live registry in front of the store.
public final class ResponderService: Sendable {
    public let registry: ResponderRegistry
    public let speeds: TravelSpeeds
    let store: GeoStore

    /// Where positions are accepted: the areas' box plus `serviceMargin` metres (nil while the
    /// store has no areas).
    public let serviceArea: ServiceArea?

    /// Loads the responders; positions are accepted within `serviceMargin` metres of the areas.
    public init(store: GeoStore, speeds: TravelSpeeds = .urban, serviceMargin: Double = ResponderService.defaultServiceMargin) throws {
        self.store = store
        self.speeds = speeds
        let areas = try store.extent(of: .areas)
        serviceArea = areas.map { ServiceArea(district: BoundingBox(minX: $0[0], minY: $0[1], maxX: $0[2], maxY: $0[3]), margin: serviceMargin) }
        registry = ResponderRegistry(responders: try store.responders(), serviceArea: serviceArea?.box)
    }

    /// 20 km: a responder called in from a neighbouring district is still shown.
    public static let defaultServiceMargin = 20_000.0

    /// Saves, then publishes; returns the unknown ids (nothing is applied for those).
    func update(_ batch: [PositionUpdate]) throws -> (applied: Int, unknown: [String]) {
        let unknown = Set(try store.savePositions(batch))
        let known = batch.filter { !unknown.contains($0.id) }
        let result = registry.update(known)
        return (result.applied, unknown.sorted())
    }

    /// Dispatches on disk, then in the live index.
    func dispatch(event: String, responders ids: [String]) throws {
        try store.dispatch(event: event, responders: ids, at: Date().timeIntervalSince1970)
        for id in ids { _ = registry.setStatus(id, .busy) }
    }

    /// Resolves on disk, then frees the responders in the live index.
    func resolve(event: String) throws -> [String] {
        let freed = try store.resolve(event: event, at: Date().timeIntervalSince1970)
        for id in freed { _ = registry.setStatus(id, .available) }
        return freed
    }

    /// Stream messages for position reports the registry took.
    func moves(_ updates: [PositionUpdate]) -> [StreamMessage] {
        updates.map { u in
            StreamMessage(kind: .responder, data: JSONValue.object([
                "id": .string(u.id), "lon": .number(u.position.x), "lat": .number(u.position.y), "time": .string(ISOTime.format(Int64(u.time))),
            ]).serialized, position: u.position)
        }
    }

    /// Stream messages for responders whose status changed.
    func statusMessages(_ ids: [String], status: ResponderStatus) -> [StreamMessage] {
        let wanted = Set(ids)
        var positions: [String: Coordinate] = [:]
        for r in registry.snapshot.responders where wanted.contains(r.id) { positions[r.id] = r.position }
        return ids.map { id in
            let position = positions[id]
            var o: [String: JSONValue] = ["id": .string(id), "status": .string(status.rawValue)]
            if let p = position { o["lon"] = .number(p.x); o["lat"] = .number(p.y) }
            return StreamMessage(kind: .responder, data: JSONValue.object(o).serialized, position: position)
        }
    }

    func nearest(_ p: Coordinate, k: Int, filter: ResponderFilter) -> [NearestResponder] {
        NearestResponders.query(registry.snapshot, near: p, k: k, filter: filter, now: Date().timeIntervalSince1970, speeds: speeds)
    }
}
