import ArgumentParser
import Foundation
import GridwallCore
import GridwallPROJ
import GridwallStore

struct Nearest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The nearest responders to a point, in metres on the WGS84 ellipsoid, with bearing and arrival estimate.")

    @Option(help: "Longitude.") var lon: Double
    @Option(help: "Latitude.") var lat: Double
    @Option(help: "How many.") var k = 5
    @Option(help: "Kinds, comma-separated (grid_worker, police, fire, medical, enforcement, volunteer).") var kind: String?
    @Option(help: "Statuses, comma-separated (available, busy, off_duty); default available.") var status = "available"
    @Option(help: "Required skills, comma-separated.") var skills: String?
    @Option(name: .customLong("max-age-s"), help: "Ignore positions older than this many seconds.") var maxAge: Double?
    @Option(name: .customLong("max-distance-m"), help: "Ignore responders farther than this many metres.") var maxDistance: Double?
    @Option(help: "Coordinate system of --lon/--lat and of the output: wgs84, gcj02 or bd09.") var crs = "wgs84"
    @Option(help: "Travel speeds in metres per second per kind, overriding the urban defaults, e.g. police=10,grid_worker=1.4,default=5.")
    var speeds: String?
    @Option(help: "The store.") var store = "gridwall.sqlite"
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
        guard (1...1000).contains(k) else { throw ValidationError("--k must be from 1 to 1000") }
    }

    func run() async throws {
        try await Terminal.reportingErrors {
            let system = try CoordinateSystem(parsing: crs)
            guard let p = system.toWGS84IfChinese(Coordinate(lon, lat)) else {
                throw GridwallError(.invalidParameter, "--crs must be wgs84, gcj02 or bd09", at: "--crs")
            }
            guard abs(p.x) <= 180, abs(p.y) <= 90 else {
                throw GridwallError(.invalidParameter, "(\(lon), \(lat)) is not a longitude/latitude", at: "--lon/--lat")
            }
            func list(_ s: String?) -> [String]? { s.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } }
            var filter = ResponderFilter()
            filter.kinds = list(kind).map(Set.init)
            filter.statuses = Set(try (list(status) ?? []).map { s in
                guard let st = ResponderStatus(rawValue: s) else {
                    throw GridwallError(.invalidParameter, "unknown status \"\(s)\"; use available, busy or off_duty", at: "--status")
                }
                return st
            })
            filter.skills = Set(list(skills) ?? [])
            filter.maxAge = maxAge
            filter.maxDistance = maxDistance
            let travel = try speeds.map { try TravelSpeeds.urban.overridden(by: $0) } ?? .urban
            let index = ResponderIndex(responders: try GeoStore(path: store).responders())
            // A kind or skill no responder has is a typo more often than an empty district.
            let knownKinds = Set(index.kinds).union(CategoryKinds.sample.kinds.values.joined()).sorted()
            try KnownNames.check(filter.kinds, known: knownKinds, "kind", plural: "kinds", at: "--kind")
            try KnownNames.check(filter.skills.isEmpty ? nil : filter.skills, known: index.skills.sorted(), "skill", plural: "skills", at: "--skills")
            let answers = NearestResponders.query(index, near: p, k: k, filter: filter, now: Date().timeIntervalSince1970,
                                                 speeds: travel)
            if json {
                let rows: [JSONValue] = answers.map { a in
                    let shown = system.fromWGS84IfChinese(a.responder.position)!
                    return .object(["id": .string(a.responder.id), "kind": .string(a.responder.kind), "status": .string(a.responder.status.rawValue),
                                    "lon": .number(shown.x), "lat": .number(shown.y), "distance_m": .number(a.distance),
                                    "bearing": .number(a.bearing), "eta_s": .number(a.eta)])
                }
                print(JSONValue.array(rows).serialized)
            } else {
                print("id       kind          status     distance_m  bearing  eta_s")
                for a in answers {
                    print([a.responder.id.padding(toLength: 8, withPad: " ", startingAt: 0),
                           a.responder.kind.padding(toLength: 13, withPad: " ", startingAt: 0),
                           a.responder.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
                           String(format: "%10.1f", a.distance), String(format: "%7.1f", a.bearing), String(format: "%6.0f", a.eta)].joined(separator: " "))
                }
                if answers.isEmpty { Terminal.note("no responder matches the filters") }
            }
        }
    }
}
