// Buildings in plausible clusters: a CBD of towers (100–300 m), residential compounds of slab
// blocks in rows, low-rise villages of small houses, and scattered shops and public buildings.
// Developments reserve 50 m cells so that they never overlap one another.
import Foundation
import GridwallCore

struct GeneratedBuilding {
    var kind: String            // tower, residential, village, commercial
    var name: String
    var center: Coordinate      // local metres
    var footprint: [Coordinate] // local metres, closed, counter-clockwise
    var floors: Int
    var height: Double
    var households: Int
    var residents: Int
    var development: Int        // index of the compound, village or CBD it belongs to (-1: none)
}

struct Development {
    var kind: String
    var name: String
    var center: Coordinate
    var radius: Double
    var angle: Double
}

struct BuildingGenerator {
    let shape: DistrictShape
    var reserved = Set<Int64>()
    var buildings: [GeneratedBuilding] = []
    var developments: [Development] = []

    init(shape: DistrictShape) { self.shape = shape }

    static let cbdCenterFactor = Coordinate(0.22, 0.12)

    mutating func generate(density: Double, rng: inout SeededRandom) {
        let r = shape.radius
        let cbd = Coordinate(Self.cbdCenterFactor.x * r, Self.cbdCenterFactor.y * r)
        placeCBD(at: cbd, radius: 650, rng: &rng)
        let compounds = Int(280 * density), villages = Int(165 * density), scattered = Int(2600 * density)
        var attempts = 0
        while developments.filter({ $0.kind == "compound" }).count < compounds && attempts < compounds * 40 {
            attempts += 1
            placeCompound(rng: &rng)
        }
        attempts = 0
        while developments.filter({ $0.kind == "village" }).count < villages && attempts < villages * 40 {
            attempts += 1
            placeVillage(rng: &rng)
        }
        for _ in 0..<scattered { placeScattered(rng: &rng) }
    }

    private func randomPoint(_ rng: inout SeededRandom) -> Coordinate {
        let m = shape.maxRadius
        while true {
            let p = Coordinate(rng.uniform(-m, m), rng.uniform(-m, m))
            if shape.contains(p) { return p }
        }
    }

    private func cells(around c: Coordinate, radius: Double) -> [Int64] {
        var out: [Int64] = []
        let lo = Int(((c.x - radius) / 50).rounded(.down)), hi = Int(((c.x + radius) / 50).rounded(.down))
        let loY = Int(((c.y - radius) / 50).rounded(.down)), hiY = Int(((c.y + radius) / 50).rounded(.down))
        for i in lo...hi { for j in loY...hiY { out.append(Int64(i) << 32 | Int64(UInt32(bitPattern: Int32(j)))) } }
        return out
    }

    /// Reserves the cells of a development if they are free and its site is usable.
    private mutating func reserve(_ c: Coordinate, radius: Double, clearance: Double) -> Bool {
        guard shape.contains(c), DistrictShape.distance(c, to: shape.river) > radius + 40 else { return false }
        for road in shape.roads where DistrictShape.distance(c, to: road) < radius + clearance { return false }
        let cs = cells(around: c, radius: radius)
        guard cs.allSatisfy({ !reserved.contains($0) }) else { return false }
        reserved.formUnion(cs)
        return true
    }

    /// Adds a rectangle building if it lies inside the district and clear of water and roads.
    private mutating func add(kind: String, name: String, center: Coordinate, length: Double, width: Double, angle: Double,
                              floors: Int, storey: Double, households: Int, residents: Int, development: Int) {
        let (s, c) = (sin(angle), cos(angle))
        let corners = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0), (-1.0, -1.0)].map { (u, v) in
            Coordinate(center.x + u * length / 2 * c - v * width / 2 * s, center.y + u * length / 2 * s + v * width / 2 * c)
        }
        guard corners.allSatisfy(shape.contains), DistrictShape.distance(center, to: shape.river) > 45 else { return }
        for road in shape.roads where DistrictShape.distance(center, to: road) < 14 + max(length, width) / 2 { return }
        buildings.append(GeneratedBuilding(kind: kind, name: name, center: center, footprint: corners, floors: floors,
                                           height: (Double(floors) * storey * 10).rounded() / 10,
                                           households: households, residents: residents, development: development))
    }

    private mutating func placeCBD(at center: Coordinate, radius: Double, rng: inout SeededRandom) {
        guard reserve(center, radius: 80, clearance: 0) else { return }
        reserved.formUnion(cells(around: center, radius: radius))
        let d = developments.count
        developments.append(Development(kind: "cbd", name: "Canal Central Business District", center: center, radius: radius, angle: 0.2))
        let step = 85.0
        let n = Int(radius / step)
        for i in -n...n {
            for j in -n...n {
                let p = Coordinate(center.x + Double(i) * step + rng.uniform(-8, 8), center.y + Double(j) * step + rng.uniform(-8, 8))
                let dist = ((p.x - center.x) * (p.x - center.x) + (p.y - center.y) * (p.y - center.y)).squareRoot()
                guard dist < radius, rng.unit() < 0.7 else { continue }
                let height = 100 + 200 * (1 - dist / radius) * rng.uniform(0.5, 1)
                let floors = Int(height / 4.2)
                add(kind: "tower", name: "Tower \(buildings.count + 1)", center: p, length: rng.uniform(30, 48), width: rng.uniform(26, 40),
                    angle: 0.2 + rng.uniform(-0.05, 0.05), floors: floors, storey: 4.2, households: 0, residents: 0, development: d)
            }
        }
    }

    private mutating func placeCompound(rng: inout SeededRandom) {
        let c = randomPoint(&rng)
        let length = rng.uniform(150, 290), width = rng.uniform(110, 220)
        guard reserve(c, radius: max(length, width) / 2, clearance: 25) else { return }
        let angle = rng.uniform(0, .pi)
        let d = developments.count
        let name = ["Lakeside", "Sunny", "Green", "Golden", "Riverside", "Peony", "Harmony", "Maple", "Crystal", "Orchid"][rng.int(0, 9)]
            + " " + ["Garden", "Court", "Residence", "Estate", "Homes", "Park"][rng.int(0, 5)]
        developments.append(Development(kind: "compound", name: name, center: c, radius: max(length, width) / 2, angle: angle))
        let highRise = rng.unit()
        let slabLength = rng.uniform(40, 70), slabWidth = rng.uniform(12, 16)
        let rowGap = highRise > 0.6 ? rng.uniform(45, 60) : rng.uniform(30, 40)
        let (s, co) = (sin(angle), cos(angle))
        var number = 0
        var v = -width / 2 + rowGap / 2
        while v < width / 2 - slabWidth {
            var u = -length / 2 + slabLength / 2 + 5
            while u < length / 2 - slabLength / 2 {
                number += 1
                let p = Coordinate(c.x + u * co - v * s, c.y + u * s + v * co)
                let floors = highRise > 0.6 ? rng.int(18, 33) : (highRise > 0.25 ? rng.int(11, 18) : rng.int(5, 7))
                let units = rng.int(2, 4) * Int((slabLength / 20).rounded())
                let households = floors * units
                add(kind: "residential", name: "\(name) Building \(number)", center: p, length: slabLength, width: slabWidth,
                    angle: angle, floors: floors, storey: 3.0, households: households,
                    residents: Int((Double(households) * rng.uniform(2.2, 3.0)).rounded()), development: d)
                u += slabLength + rng.uniform(18, 30)
            }
            v += rowGap
        }
    }

    private mutating func placeVillage(rng: inout SeededRandom) {
        let c = randomPoint(&rng)
        let radius = rng.uniform(110, 250)
        guard reserve(c, radius: radius, clearance: 20) else { return }
        let angle = rng.uniform(0, .pi)
        let d = developments.count
        let name = ["Zhang", "Wang", "Li", "Zhao", "Chen", "Yang", "Huang", "Zhou", "Wu", "Xu"][rng.int(0, 9)]
            + ["jia", "zhuang", "dian", "qiao", "tang", "bang"][rng.int(0, 5)] + " Village"
        developments.append(Development(kind: "village", name: name, center: c, radius: radius, angle: angle))
        let step = 17.0
        let (s, co) = (sin(angle), cos(angle))
        let n = Int(radius / step)
        var number = 0
        for i in -n...n {
            for j in -n...n {
                let u = Double(i) * step + rng.uniform(-1.5, 1.5), v = Double(j) * step + rng.uniform(-1.5, 1.5)
                guard (u * u + v * v).squareRoot() < radius, rng.unit() < 0.72 else { continue }
                number += 1
                let floors = rng.int(2, 4)
                let households = rng.int(1, 3)
                add(kind: "village", name: "\(name) No. \(number)", center: Coordinate(c.x + u * co - v * s, c.y + u * s + v * co),
                    length: rng.uniform(9, 13), width: rng.uniform(8, 12), angle: angle + rng.uniform(-0.08, 0.08),
                    floors: floors, storey: 3.2, households: households,
                    residents: households * rng.int(2, 5), development: d)
            }
        }
    }

    private mutating func placeScattered(rng: inout SeededRandom) {
        let c = randomPoint(&rng)
        let size = rng.uniform(20, 60)
        guard reserve(c, radius: size / 2 + 5, clearance: 5) else { return }
        let floors = rng.int(2, 8)
        add(kind: "commercial", name: ["Shop", "Market", "School", "Clinic", "Office", "Workshop"][rng.int(0, 5)] + " \(buildings.count + 1)",
            center: c, length: size, width: size * rng.uniform(0.5, 1), angle: rng.uniform(0, .pi),
            floors: floors, storey: 3.8, households: 0, residents: 0, development: -1)
    }
}
