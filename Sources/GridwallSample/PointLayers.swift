// Cameras, responders and the event history of the sample district.
import Foundation
import GridwallCore

struct GeneratedCamera {
    var kind: String       // fixed or dome
    var position: Coordinate
    var heading: Double    // degrees clockwise from north
    var fieldOfView: Double
    var range: Double
    var mountHeight: Double
}

struct GeneratedResponder {
    var kind: String
    var position: Coordinate
    var status: String
    var skills: [String]
    var gridIndex: Int?
    var updatedAgo: Int    // seconds before the history's end
}

struct GeneratedEvent {
    var time: Int64
    var category: Int
    var position: Coordinate
    var status: String
    var severity: Int
    var source: String
}

enum PointLayers {
    static func cameras(shape: DistrictShape, buildings: BuildingGenerator, density: Double, rng: inout SeededRandom) -> [GeneratedCamera] {
        var out: [GeneratedCamera] = []
        func bearing(_ dx: Double, _ dy: Double) -> Double {
            let b = atan2(dx, dy) * 180 / .pi
            return b < 0 ? b + 360 : b
        }
        func fixed(_ p: Coordinate, heading: Double) {
            guard shape.contains(p) else { return }
            let normalized = (heading.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)
            out.append(GeneratedCamera(kind: "fixed", position: p, heading: (normalized * 10).rounded() / 10 == 360 ? 0 : (normalized * 10).rounded() / 10,
                                       fieldOfView: Double(rng.int(5, 9) * 10), range: Double(rng.int(6, 12) * 10),
                                       mountHeight: Double(rng.int(8, 16)) / 2))
        }
        func dome(_ p: Coordinate) {
            guard shape.contains(p) else { return }
            out.append(GeneratedCamera(kind: "dome", position: p, heading: 0, fieldOfView: 360,
                                       range: Double(rng.int(6, 15) * 10), mountHeight: Double(rng.int(8, 20)) / 2))
        }
        // Along the main roads, alternating sides, looking along the road.
        for road in shape.roads {
            for i in 1..<road.count {
                let a = road[i - 1], b = road[i]
                let len = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                var t = rng.uniform(0, 60)
                while t < len {
                    let f = t / len
                    let side = rng.unit() < 0.5 ? -1.0 : 1.0
                    let nx = -(b.y - a.y) / len * 12 * side, ny = (b.x - a.x) / len * 12 * side
                    let p = Coordinate(a.x + (b.x - a.x) * f + nx, a.y + (b.y - a.y) * f + ny)
                    if rng.unit() < 0.2 { dome(p) } else {
                        fixed(p, heading: bearing((b.x - a.x) * side, (b.y - a.y) * side))
                    }
                    t += rng.uniform(70, 110) / density.squareRoot()
                }
            }
        }
        // Developments: gates and interiors.
        for d in buildings.developments {
            let n = d.kind == "cbd" ? 60 : (d.kind == "compound" ? rng.int(4, 8) : rng.int(3, 6))
            for _ in 0..<n {
                let a = rng.uniform(0, 2 * .pi), r = d.radius * rng.uniform(0.3, 1.0)
                let p = Coordinate(d.center.x + r * cos(a), d.center.y + r * sin(a))
                if rng.unit() < 0.35 { dome(p) } else { fixed(p, heading: bearing(d.center.x - p.x, d.center.y - p.y) + rng.uniform(-30, 30)) }
            }
        }
        // Shops and public buildings: one camera at the door for about a third of them.
        for b in buildings.buildings where b.kind == "commercial" && rng.unit() < 0.33 {
            let corner = b.footprint[rng.int(0, 3)]
            fixed(Coordinate(corner.x + rng.uniform(-3, 3), corner.y + rng.uniform(-3, 3)), heading: rng.uniform(0, 360))
        }
        return out
    }

    static let responderKinds: [(kind: String, share: Double, skills: [String])] = [
        ("police", 0.30, ["patrol", "traffic", "first_aid", "negotiation"]),
        ("fire", 0.12, ["firefighting", "rescue", "hazmat", "first_aid"]),
        ("medical", 0.14, ["first_aid", "paramedic", "ambulance"]),
        ("enforcement", 0.26, ["vending", "parking", "construction", "market"]),
        ("volunteer", 0.18, ["first_aid", "elderly_care", "translation", "patrol"]),
    ]

    static func responders(count: Int, gridSamples: [[Coordinate]], shape: DistrictShape, rng: inout SeededRandom) -> [GeneratedResponder] {
        var out: [GeneratedResponder] = []
        func status() -> String {
            let u = rng.unit()
            return u < 0.7 ? "available" : (u < 0.9 ? "busy" : "off_duty")
        }
        // One grid worker per grid while the budget lasts, standing somewhere in their grid.
        let workers = min(gridSamples.count, count * 3 / 4)
        for g in 0..<workers {
            let p = gridSamples[g][rng.int(0, gridSamples[g].count - 1)]
            out.append(GeneratedResponder(kind: "grid_worker", position: p, status: status(),
                                          skills: ["inspection", "mediation"] + (rng.unit() < 0.3 ? ["first_aid"] : []),
                                          gridIndex: g, updatedAgo: rng.int(0, 600)))
        }
        let rest = count - workers
        let perKind = apportion(rest, weights: responderKinds.map(\.share), minimum: 1)
        for (k, kind) in responderKinds.enumerated() {
            for _ in 0..<perKind[k] {
                var p: Coordinate
                repeat { p = Coordinate(rng.uniform(-shape.maxRadius, shape.maxRadius), rng.uniform(-shape.maxRadius, shape.maxRadius)) } while !shape.contains(p)
                var skills = [kind.skills[0]]
                for s in kind.skills.dropFirst() where rng.unit() < 0.4 { skills.append(s) }
                out.append(GeneratedResponder(kind: kind.kind, position: p, status: status(), skills: skills,
                                              gridIndex: nil, updatedAgo: rng.int(0, 900)))
            }
        }
        return out
    }

    static func events(options: SampleOptions, shape: DistrictShape, buildings: BuildingGenerator, rng: inout SeededRandom) -> [GeneratedEvent] {
        let residential = buildings.buildings.filter { $0.kind == "residential" }.map(\.center)
        let village = buildings.buildings.filter { $0.kind == "village" }.map(\.center)
        let commercial = buildings.buildings.filter { $0.kind == "commercial" || $0.kind == "tower" }.map(\.center)
        // Hot spots: places where some categories concentrate (a night market, an old compound...).
        struct HotSpot { var center: Coordinate; var sigma: Double; var categories: Set<Int>; var fromDay: Int }
        var hotSpots: [HotSpot] = []
        for h in 0..<32 {
            let pool = [residential, village, commercial][h % 3]
            guard !pool.isEmpty else { continue }
            let c = pool[rng.int(0, pool.count - 1)]
            var cats = Set<Int>()
            for _ in 0..<rng.int(2, 5) { cats.insert(rng.int(0, eventCategories.count - 1)) }
            // A few hot spots are new: they only appear in the last month.
            hotSpots.append(HotSpot(center: c, sigma: rng.uniform(60, 260), categories: cats,
                                    fromDay: h % 5 == 0 ? options.historyDays - 30 : 0))
        }
        let start = Int64(options.historyEndEpoch) - Int64(options.historyDays) * 86400
        let weights = eventCategories.map(\.weight)
        var out: [GeneratedEvent] = []
        out.reserveCapacity(options.events)
        while out.count < options.events {
            let ci = rng.weightedIndex(weights)
            let cat = eventCategories[ci]
            // Day: weekly cycle and trend by rejection; hour from the category's daily profile.
            let day = rng.int(0, options.historyDays - 1)
            let secondsOfDay0 = start + Int64(day) * 86400
            // Local (UTC+8) weekday: 1970-01-01 was a Thursday.
            let weekday = Int(((secondsOfDay0 + 8 * 3600) / 86400 + 3) % 7)   // 0 = Monday
            let dayWeight = (weekday >= 5 ? cat.weekendFactor : 1) * (1 + cat.trend * Double(day) / Double(options.historyDays))
            guard rng.unit() < dayWeight / 2 else { continue }
            let hour = rng.weightedIndex(cat.hours)
            // Local hour h is UTC hour h - 8 of the same local day.
            let time = secondsOfDay0 - 8 * 3600 + Int64(hour * 3600 + rng.int(0, 3599))
            var p: Coordinate
            let spots = hotSpots.filter { $0.categories.contains(ci) && day >= $0.fromDay }
            if !spots.isEmpty && rng.unit() < 0.45 {
                let s = spots[rng.int(0, spots.count - 1)]
                p = Coordinate(s.center.x + rng.normal() * s.sigma, s.center.y + rng.normal() * s.sigma)
            } else {
                p = place(cat.place, shape: shape, residential: residential, village: village, commercial: commercial, rng: &rng)
            }
            guard shape.contains(p) else { continue }
            let age = Double(Int64(options.historyEndEpoch) - time) / 86400
            let u = rng.unit()
            let status = age > 7 ? (u < 0.96 ? "resolved" : "dispatched") : (age > 1 ? (u < 0.7 ? "resolved" : (u < 0.9 ? "dispatched" : "reported")) : (u < 0.2 ? "resolved" : (u < 0.55 ? "dispatched" : "reported")))
            let source = cat.sources[rng.weightedIndex(cat.sources.map(\.1))].0
            out.append(GeneratedEvent(time: time, category: ci, position: p, status: status,
                                      severity: 1 + rng.weightedIndex([50, 30, 15, 5]), source: source))
        }
        out.sort { $0.time < $1.time }
        return out
    }

    private static func place(_ place: Place, shape: DistrictShape, residential: [Coordinate], village: [Coordinate],
                              commercial: [Coordinate], rng: inout SeededRandom) -> Coordinate {
        func near(_ pool: [Coordinate], _ spread: Double) -> Coordinate {
            let c = pool[rng.int(0, pool.count - 1)]
            return Coordinate(c.x + rng.normal() * spread, c.y + rng.normal() * spread)
        }
        func onLine(_ line: [Coordinate], _ offset: Double) -> Coordinate {
            let i = rng.int(1, line.count - 1), f = rng.unit()
            let a = line[i - 1], b = line[i]
            return Coordinate(a.x + (b.x - a.x) * f + rng.normal() * offset, a.y + (b.y - a.y) * f + rng.normal() * offset)
        }
        switch place {
        case .residential where !residential.isEmpty: return near(residential, 25)
        case .village where !village.isEmpty: return near(village, 20)
        case .commercial where !commercial.isEmpty: return near(commercial, 30)
        case .road: return rng.unit() < 0.7 ? onLine(shape.roads[rng.int(0, shape.roads.count - 1)], 12) : near(residential.isEmpty ? [Coordinate(0, 0)] : residential, 60)
        case .water: return onLine(shape.river, 40)
        default:
            let m = shape.maxRadius
            return Coordinate(rng.uniform(-m, m), rng.uniform(-m, m))
        }
    }
}
