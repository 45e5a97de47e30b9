// The answers of POST /events written straight into text. Building them as JSONValue
// dictionaries and serialising those (keys sorted per object) was most of a batch's time; here
// every area's and building's JSON is made once per assignment snapshot and each answer is
// appended in the same sorted-key form, so the text is byte for byte what `answer()` would give
// (EventAnswerTests checks that).
import GridwallCore
import GridwallPROJ
import GridwallStore

/// JSON fragments of one assignment snapshot's areas and buildings.
struct AnswerFragments: Sendable {
    /// Area id → {"id","level","name"}.
    let areas: [String: String]
    /// Grid number (in the engine's `grids`) → `,"community":…,"district":…,"grid":…`, the
    /// members that sit together in an answer: four lookups by id per event saved.
    let chains: [String]
    /// Grid number → `,"street":…`.
    let streets: [String]
    /// Building number → {"address","floors","height","id","name"}.
    let buildings: [String]
    /// Camera number → its members between "distance_m" and "visible" (which vary with the
    /// point): `,"fov":…,"heading":…,"id":…,"lat":…,"lon":…,"name":…,"range_m":…`.
    let cameras: [String]

    init(areas: [String: AreaRecord], grids: [GridChain], buildings: [BuildingRecord], cameras: [CameraRecord]) {
        let areas = areas.mapValues { a in
            JSONValue.object(["id": .string(a.id), "name": .string(a.name), "level": .string(a.level.rawValue)]).serialized
        }
        self.areas = areas
        func area(_ id: String?) -> String { id.flatMap { areas[$0] } ?? "null" }
        chains = grids.map { g in ",\"community\":\(area(g.communityID)),\"district\":\(area(g.districtID)),\"grid\":\(area(g.gridID))" }
        streets = grids.map { g in ",\"street\":\(area(g.streetID))" }
        self.buildings = buildings.map { b in
            JSONValue.object(["id": .string(b.id), "name": .string(b.name), "address": .string(b.address),
                              "height": .number(b.height), "floors": .number(Double(b.floors))]).serialized
        }
        self.cameras = cameras.map { c in
            var out = ",\"fov\":"; JSONValue.writeNumber(c.fieldOfView, into: &out)
            out += ",\"heading\":"; JSONValue.writeNumber(c.heading, into: &out)
            out += ",\"id\":"; JSONValue.writeString(c.id, into: &out)
            out += ",\"lat\":"; JSONValue.writeNumber(c.position.y, into: &out)
            out += ",\"lon\":"; JSONValue.writeNumber(c.position.x, into: &out)
            out += ",\"name\":"; JSONValue.writeString(c.name, into: &out)
            out += ",\"range_m\":"; JSONValue.writeNumber(c.range, into: &out)
            return out
        }
    }
}

enum EventAnswers {
    /// One stored event's answer: its assignment `a` (made with `s`'s engine; as GET /assign
    /// gives it) with id, time, category and status; `responders` (already JSON) when given.
    static func write(_ e: IngestEvent, _ a: PointAssignment, snapshot s: AssignmentSnapshot, responders: String? = nil, into out: inout String) {
        let x = e.position.x, y = e.position.y
        let chain = a.grid >= 0 ? s.engine.grids[Int(a.grid)] : nil
        func area(_ id: String?) { out += id.flatMap { s.fragments.areas[$0] } ?? "null" }
        out += "{\"building\":"
        out += a.building >= 0 ? s.fragments.buildings[Int(a.building)] : "null"
        out += ",\"cameras\":["
        for (i, sight) in s.visibility.sights(x: x, y: y, explain: false).enumerated() {
            if i > 0 { out += "," }
            out += "{\"distance_m\":"; JSONValue.writeNumber((sight.distance * 100).rounded() / 100, into: &out)
            out += s.fragments.cameras[Int(sight.camera)]
            out += sight.visible ? ",\"visible\":true}" : ",\"visible\":false}"
        }
        out += "],\"category\":"; JSONValue.writeString(e.category, into: &out)
        if chain != nil {
            out += s.fragments.chains[Int(a.grid)]
        } else {
            if a.nearestGrid >= 0 { out += ",\"distance_m\":"; JSONValue.writeNumber((a.distance * 100).rounded() / 100, into: &out) }
            out += ",\"grid\":null"
        }
        out += ",\"id\":"; JSONValue.writeString(e.id, into: &out)
        out += ",\"lat\":"; JSONValue.writeNumber(y, into: &out)
        out += ",\"lon\":"; JSONValue.writeNumber(x, into: &out)
        if chain == nil {
            out += ",\"message\":\"the point is outside every grid\""
            if a.nearestGrid >= 0 { out += ",\"nearest_grid\":"; area(s.engine.grids[Int(a.nearestGrid)].gridID) }
        }
        out += ",\"placement\":"; JSONValue.writeString(a.placement.name, into: &out)
        if let responders { out += ",\"responders\":"; out += responders }
        out += ",\"status\":"; JSONValue.writeString(e.status, into: &out)
        if chain != nil { out += s.fragments.streets[Int(a.grid)] }
        out += ",\"time\":"; JSONValue.writeString(ISOTime.format(e.time), into: &out)
        out += "}"
    }

    /// The nearest responders of a single event's answer, WGS84: the text of
    /// `ResponderRoutes.nearestJSON` for each, in its sorted-key form (a tenth of a single
    /// event's time went to building and sorting those dictionaries).
    static func writeResponders(_ list: [NearestResponder], into out: inout String) {
        out += "["
        for (i, a) in list.enumerated() {
            let r = a.responder
            if i > 0 { out += "," }
            out += "{\"bearing\":"; JSONValue.writeNumber((a.bearing * 100).rounded() / 100, into: &out)
            out += ",\"distance_m\":"; JSONValue.writeNumber((a.distance * 1000).rounded() / 1000, into: &out)
            out += ",\"eta_s\":"; JSONValue.writeNumber(a.eta.rounded(), into: &out)
            out += ",\"id\":"; JSONValue.writeString(r.id, into: &out)
            out += ",\"kind\":"; JSONValue.writeString(r.kind, into: &out)
            out += ",\"lat\":"; JSONValue.writeNumber(r.position.y, into: &out)
            out += ",\"lon\":"; JSONValue.writeNumber(r.position.x, into: &out)
            out += ",\"name\":"; JSONValue.writeString(r.name, into: &out)
            out += ",\"skills\":["
            for (k, skill) in r.skills.sorted().enumerated() { if k > 0 { out += "," }; JSONValue.writeString(skill, into: &out) }
            out += "],\"status\":"; JSONValue.writeString(r.status.rawValue, into: &out)
            out += ",\"updated_at\":"; JSONValue.writeString(ISOTime.format(Int64(r.updatedAt)), into: &out)
            out += "}"
        }
        out += "]"
    }

    /// The stream's summary of a stored event: ids of its areas, not their names.
    static func summary(_ e: IngestEvent, chain: GridChain?) -> String {
        var out = "{\"building\":"
        if let b = e.buildingID { JSONValue.writeString(b, into: &out) } else { out += "null" }
        out += ",\"category\":"; JSONValue.writeString(e.category, into: &out)
        out += ",\"community\":"
        if let c = chain?.communityID { JSONValue.writeString(c, into: &out) } else { out += "null" }
        out += ",\"grid\":"
        if let g = chain?.gridID { JSONValue.writeString(g, into: &out) } else { out += "null" }
        out += ",\"id\":"; JSONValue.writeString(e.id, into: &out)
        out += ",\"lat\":"; JSONValue.writeNumber(e.position.y, into: &out)
        out += ",\"lon\":"; JSONValue.writeNumber(e.position.x, into: &out)
        if let s = e.severity { out += ",\"severity\":"; JSONValue.writeNumber(Double(s), into: &out) }
        if let s = e.source { out += ",\"source\":"; JSONValue.writeString(s, into: &out) }
        out += ",\"status\":"; JSONValue.writeString(e.status, into: &out)
        out += ",\"street\":"
        if let s = chain?.streetID { JSONValue.writeString(s, into: &out) } else { out += "null" }
        out += ",\"time\":"; JSONValue.writeString(ISOTime.format(e.time), into: &out)
        out += "}"
        return out
    }
}
