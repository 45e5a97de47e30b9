// The answers of POST /events written straight into JSON text. Building them as JSONValue
// dictionaries and serialising those (keys sorted per object) was most of a batch's time; here
// every area's and building's JSON is made once per assignment snapshot and each answer is
// appended as bytes in the same sorted-key form, so the text is byte for byte what `answer()`
// would give (EventAnswerTests checks that).
import GridwallCore
import GridwallPROJ
import GridwallStore

/// JSON fragments of one assignment snapshot's areas and buildings, UTF-8.
struct AnswerFragments: Sendable {
    /// Area id → {"id","level","name"}.
    let areas: [String: [UInt8]]
    /// Grid number (in the engine's `grids`) → `,"community":…,"district":…,"grid":…`, the
    /// members that sit together in an answer: four lookups by id per event saved.
    let chains: [[UInt8]]
    /// Grid number → `,"street":…`.
    let streets: [[UInt8]]
    /// Building number → {"address","floors","height","id","name"}.
    let buildings: [[UInt8]]
    /// Camera number → its members between "distance_m" and "visible" (which vary with the
    /// point): `,"fov":…,"heading":…,"id":…,"lat":…,"lon":…,"name":…,"range_m":…`.
    let cameras: [[UInt8]]
    /// Grid number → the stream summary's `,"community":…,"grid":…` (ids, not objects).
    let summaryChains: [[UInt8]]
    /// Grid number → the stream summary's `,"street":…`.
    let summaryStreets: [[UInt8]]
    /// Grid number → the ids a stream client's `area` filter matches (`GridChain.streamAreas`).
    let streamAreas: [[String]]

    init(areas: [String: AreaRecord], grids: [GridChain], buildings: [BuildingRecord], cameras: [CameraRecord]) {
        let areas = areas.mapValues { a in
            Array(JSONValue.object(["id": .string(a.id), "name": .string(a.name), "level": .string(a.level.rawValue)]).serialized.utf8)
        }
        self.areas = areas
        let null = Array("null".utf8)
        func area(_ id: String?) -> [UInt8] { id.flatMap { areas[$0] } ?? null }
        func id(_ id: String?) -> [UInt8] { Array((id.map { JSONValue.string($0) } ?? .null).serialized.utf8) }
        chains = grids.map { g in
            Array(",\"community\":".utf8) + area(g.communityID) + Array(",\"district\":".utf8) + area(g.districtID)
                + Array(",\"grid\":".utf8) + area(g.gridID)
        }
        streets = grids.map { g in Array(",\"street\":".utf8) + area(g.streetID) }
        summaryChains = grids.map { g in Array(",\"community\":".utf8) + id(g.communityID) + Array(",\"grid\":".utf8) + id(g.gridID) }
        summaryStreets = grids.map { g in Array(",\"street\":".utf8) + id(g.streetID) }
        streamAreas = grids.map(\.streamAreas)
        self.buildings = buildings.map { b in
            Array(JSONValue.object(["id": .string(b.id), "name": .string(b.name), "address": .string(b.address),
                                    "height": .number(b.height), "floors": .number(Double(b.floors))]).serialized.utf8)
        }
        self.cameras = cameras.map { c in
            var out = JSONText()
            out.raw(",\"fov\":"); out.number(c.fieldOfView)
            out.raw(",\"heading\":"); out.number(c.heading)
            out.raw(",\"id\":"); out.string(c.id)
            out.raw(",\"lat\":"); out.number(c.position.y)
            out.raw(",\"lon\":"); out.number(c.position.x)
            out.raw(",\"name\":"); out.string(c.name)
            out.raw(",\"range_m\":"); out.number(c.range)
            return out.bytes
        }
    }
}

enum EventAnswers {
    /// One stored event's answer: its assignment `a` (made with `s`'s engine; as GET /assign
    /// gives it) with id, time, category and status; `responders` (already JSON) when given.
    static func write(_ e: IngestEvent, _ a: PointAssignment, snapshot s: AssignmentSnapshot, responders: [UInt8]? = nil, into out: inout JSONText) {
        let x = e.position.x, y = e.position.y
        let inGrid = a.grid >= 0
        out.raw("{\"building\":")
        if a.building >= 0 { out.raw(s.fragments.buildings[Int(a.building)]) } else { out.raw("null") }
        out.raw(",\"cameras\":[")
        for (i, sight) in s.visibility.sights(x: x, y: y, explain: false, holder: a.building).enumerated() {
            out.raw(i > 0 ? ",{\"distance_m\":" : "{\"distance_m\":")
            out.number((sight.distance * 100).rounded() / 100)
            out.raw(s.fragments.cameras[Int(sight.camera)])
            out.raw(sight.visible ? ",\"visible\":true}" : ",\"visible\":false}")
        }
        out.raw("],\"category\":"); out.string(e.category)
        if inGrid {
            out.raw(s.fragments.chains[Int(a.grid)])
        } else {
            if a.nearestGrid >= 0 { out.raw(",\"distance_m\":"); out.number((a.distance * 100).rounded() / 100) }
            out.raw(",\"grid\":null")
        }
        out.raw(",\"id\":"); out.string(e.id)
        out.raw(",\"lat\":"); out.number(y)
        out.raw(",\"lon\":"); out.number(x)
        if !inGrid {
            out.raw(",\"message\":\"the point is outside every grid\"")
            if a.nearestGrid >= 0 {
                out.raw(",\"nearest_grid\":")
                if let nearest = s.fragments.areas[s.engine.grids[Int(a.nearestGrid)].gridID] { out.raw(nearest) } else { out.raw("null") }
            }
        }
        out.raw(",\"placement\":"); out.string(a.placement.name)
        if let responders { out.raw(",\"responders\":"); out.raw(responders) }
        out.raw(",\"status\":"); out.string(e.status)
        if inGrid { out.raw(s.fragments.streets[Int(a.grid)]) }
        out.raw(",\"time\":"); out.string(ISOTime.format(e.time))
        out.raw("}")
    }

    /// The nearest responders of a single event's answer, WGS84: the text of
    /// `ResponderRoutes.nearestJSON` for each, in its sorted-key form (a tenth of a single
    /// event's time went to building and sorting those dictionaries).
    static func writeResponders(_ list: [NearestResponder], into out: inout JSONText) {
        out.raw("[")
        for (i, a) in list.enumerated() {
            let r = a.responder
            out.raw(i > 0 ? ",{\"bearing\":" : "{\"bearing\":"); out.number((a.bearing * 100).rounded() / 100)
            out.raw(",\"distance_m\":"); out.number((a.distance * 1000).rounded() / 1000)
            out.raw(",\"eta_s\":"); out.number(a.eta.rounded())
            out.raw(",\"id\":"); out.string(r.id)
            out.raw(",\"kind\":"); out.string(r.kind)
            out.raw(",\"lat\":"); out.number(r.position.y)
            out.raw(",\"lon\":"); out.number(r.position.x)
            out.raw(",\"name\":"); out.string(r.name)
            out.raw(",\"skills\":[")
            for (k, skill) in r.skills.sorted().enumerated() { if k > 0 { out.raw(",") }; out.string(skill) }
            out.raw("],\"status\":"); out.string(r.status.rawValue)
            out.raw(",\"updated_at\":"); out.string(ISOTime.format(Int64(r.updatedAt)))
            out.raw("}")
        }
        out.raw("]")
    }

    /// The stream's summary of a stored event: ids of its areas, not their names; `grid` is
    /// the number (in `fragments`' snapshot) of the grid the event is in, nil outside.
    static func summary(_ e: IngestEvent, grid: Int?, fragments: AnswerFragments) -> String {
        var out = JSONText(capacity: 320)
        out.raw("{\"building\":")
        if let b = e.buildingID { out.string(b) } else { out.raw("null") }
        out.raw(",\"category\":"); out.string(e.category)
        if let grid { out.raw(fragments.summaryChains[grid]) } else { out.raw(",\"community\":null,\"grid\":null") }
        out.raw(",\"id\":"); out.string(e.id)
        out.raw(",\"lat\":"); out.number(e.position.y)
        out.raw(",\"lon\":"); out.number(e.position.x)
        if let s = e.severity { out.raw(",\"severity\":"); out.number(Double(s)) }
        if let s = e.source { out.raw(",\"source\":"); out.string(s) }
        out.raw(",\"status\":"); out.string(e.status)
        if let grid { out.raw(fragments.summaryStreets[grid]) } else { out.raw(",\"street\":null") }
        out.raw(",\"time\":"); out.string(ISOTime.format(e.time))
        out.raw("}")
        return out.text
    }
}
