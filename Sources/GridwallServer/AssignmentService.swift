// The assignment engine as the server uses it: built from the store, swapped whole when a layer
// changes (readers take a reference under a lock held for a pointer copy, never across a query).
import GridwallCore
import GridwallStore

/// What the server needs to name things in answers.
struct AssignmentSnapshot: Sendable {
    let engine: AssignmentEngine
    /// The areas the engine was built from, in store order (the event analysis builds on them).
    let areaRecords: [AreaRecord]
    /// The store's layer version they were read at.
    let version: String
    let areas: [String: AreaRecord]
    let buildings: [BuildingRecord]
    let visibility: CameraVisibility
    /// Grid id → its number in `engine.grids`.
    let gridNumbers: [String: Int]
    /// The areas' and buildings' JSON, for answers written as text (EventAnswers).
    let fragments: AnswerFragments
}

/// The assignment engine as the server uses it: built from the store, swapped whole when a layer changes.
public final class AssignmentService: Sendable {
    private let current: Locked<AssignmentSnapshot>

    /// Builds the engine from the store's areas, buildings and cameras.
    public init(store: GeoStore) throws {
        current = Locked(try Self.snapshot(store))
    }

    /// Rebuilds when areas, buildings or cameras changed since the last build (for example by
    /// `gridwall import` in another process); returns whether it did.
    public func reloadIfChanged(from store: GeoStore) throws -> Bool {
        let version = try store.assignmentLayersVersion()
        guard version != snapshot.version else { return false }
        try reload(from: store)
        return true
    }

    /// The engine and the areas it was built from, with the store's layer version then: what
    /// the event analysis shares instead of reading and indexing the grids a second time.
    public var engineAndAreas: (engine: AssignmentEngine, areas: [AreaRecord], version: String) {
        let s = snapshot
        return (s.engine, s.areaRecords, s.version)
    }

    static func snapshot(_ store: GeoStore) throws -> AssignmentSnapshot {
        let version = try store.assignmentLayersVersion()
        let areas = try store.areas()
        let buildings = try store.buildings()
        let cameras = try store.cameras()
        let engine = AssignmentEngine(areas: areas, buildings: buildings, cameras: cameras)
        var byID: [String: AreaRecord] = [:]
        for a in areas { byID[a.id] = a }
        let visibility = CameraVisibility(cameras: cameras, buildings: buildings, buildingIndex: engine.buildingIndex,
                                          cameraIndex: engine.cameraIndex)
        var gridNumbers: [String: Int] = [:]
        for (n, g) in engine.grids.enumerated() { gridNumbers[g.gridID] = n }
        return AssignmentSnapshot(engine: engine, areaRecords: areas, version: version, areas: byID, buildings: buildings,
                                  visibility: visibility, gridNumbers: gridNumbers,
                                  fragments: AnswerFragments(areas: byID, grids: engine.grids, buildings: buildings, cameras: visibility.cameras))
    }

    /// Rebuilds from the store and swaps the new engine in.
    public func reload(from store: GeoStore) throws {
        let next = try Self.snapshot(store)
        current.withLock { $0 = next }
    }

    var snapshot: AssignmentSnapshot { current.withLock { $0 } }

    /// The /assign answer for one WGS84 point.
    func answer(x: Double, y: Double, snapshot given: AssignmentSnapshot? = nil) -> JSONValue {
        let s = given ?? snapshot
        let a = s.engine.assign(x: x, y: y)
        var out: [String: JSONValue] = ["lon": .number(x), "lat": .number(y), "placement": .string(a.placement.name)]
        func area(_ id: String?) -> JSONValue {
            guard let id, let area = s.areas[id] else { return .null }
            return .object(["id": .string(area.id), "name": .string(area.name), "level": .string(area.level.rawValue)])
        }
        if a.grid >= 0 {
            let chain = s.engine.grids[Int(a.grid)]
            out["grid"] = area(chain.gridID)
            out["community"] = area(chain.communityID)
            out["street"] = area(chain.streetID)
            out["district"] = area(chain.districtID)
        } else {
            out["grid"] = .null
            if a.nearestGrid >= 0 {
                out["nearest_grid"] = area(s.engine.grids[Int(a.nearestGrid)].gridID)
                out["distance_m"] = .number((a.distance * 100).rounded() / 100)
            }
            out["message"] = .string("the point is outside every grid")
        }
        if a.building >= 0 {
            let b = s.buildings[Int(a.building)]
            out["building"] = .object(["id": .string(b.id), "name": .string(b.name), "address": .string(b.address),
                                       "height": .number(b.height), "floors": .number(Double(b.floors))])
        } else {
            out["building"] = .null
        }
        out["cameras"] = .array(visibleCameras(x: x, y: y, explain: false, snapshot: s))
        return .object(out)
    }

    /// The cameras that see the point (occlusion included), nearest first; with `explain`, also
    /// those in range that do not, with the reason.
    func visibleCameras(x: Double, y: Double, explain: Bool, snapshot s: AssignmentSnapshot? = nil) -> [JSONValue] {
        let s = s ?? snapshot
        return s.visibility.sights(x: x, y: y, explain: explain).map { sight in
            let c = s.visibility.cameras[Int(sight.camera)]
            var o: [String: JSONValue] = ["id": .string(c.id), "name": .string(c.name), "heading": .number(c.heading),
                                          "fov": .number(c.fieldOfView), "range_m": .number(c.range), "lon": .number(c.position.x), "lat": .number(c.position.y),
                                          "distance_m": .number((sight.distance * 100).rounded() / 100), "visible": .bool(sight.visible)]
            if let r = sight.rejection {
                o["reason"] = .string(r.reason)
                if case .blocked(let b, let height, let line) = r {
                    o["blocked_by"] = .object(["id": .string(s.visibility.buildingIDs[Int(b)]), "height": .number(height),
                                               "sight_line_m": .number((line * 100).rounded() / 100)])
                }
            }
            return .object(o)
        }
    }
}
