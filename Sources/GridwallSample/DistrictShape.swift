// The district outline (a smooth random blob), its river and its main roads, in local metres.
import Foundation
import GridwallCore

struct DistrictShape {
    let radius: Double
    /// Fourier coefficients of the outline: r(θ) = radius · (1 + Σ a_k cos(kθ + φ_k)).
    private let harmonics: [(k: Double, a: Double, phase: Double)]
    /// The river (west to east) and main roads, as polylines; areas never straddle them.
    let river: [Coordinate]
    let roads: [[Coordinate]]

    var maxRadius: Double { radius * (1 + harmonics.reduce(0) { $0 + abs($1.a) }) }
    var barriers: [[Coordinate]] { [river] + roads }

    init(radius: Double, rng: inout SeededRandom) {
        self.radius = radius
        harmonics = (2...6).map { k in (Double(k), rng.uniform(0.02, 0.11) / Double(k - 1).squareRoot(), rng.uniform(0, 2 * .pi)) }
        let span = radius * 1.6
        // A meandering river a little south of the centre.
        var river: [Coordinate] = []
        let riverPhase = rng.uniform(0, 2 * .pi)
        for i in 0...80 {
            let x = -span + 2 * span * Double(i) / 80
            river.append(Coordinate(x, -0.15 * radius + 0.12 * radius * sin(x / radius * 2.3 + riverPhase)))
        }
        self.river = river
        // Gently curving arterial roads: three north-south, two east-west.
        var roads: [[Coordinate]] = []
        for base in [-0.45, 0.05, 0.5] {
            let bend = rng.uniform(-0.08, 0.08) * radius, phase = rng.uniform(0, 2 * .pi)
            roads.append((0...40).map { i in
                let y = -span + 2 * span * Double(i) / 40
                return Coordinate(base * radius + bend * sin(y / radius * 1.7 + phase), y)
            })
        }
        for base in [0.35, -0.6] {
            let bend = rng.uniform(-0.06, 0.06) * radius, phase = rng.uniform(0, 2 * .pi)
            roads.append((0...40).map { i in
                let x = -span + 2 * span * Double(i) / 40
                return Coordinate(x, base * radius + bend * sin(x / radius * 1.9 + phase))
            })
        }
        self.roads = roads
    }

    func outlineRadius(at theta: Double) -> Double {
        radius * (1 + harmonics.reduce(0) { $0 + $1.a * cos($1.k * theta + $1.phase) })
    }

    func contains(_ p: Coordinate) -> Bool {
        (p.x * p.x + p.y * p.y).squareRoot() < outlineRadius(at: atan2(p.y, p.x))
    }

    /// Whether the segment a–b crosses any barrier polyline.
    func crossesBarrier(_ a: Coordinate, _ b: Coordinate) -> Bool {
        for line in barriers where segmentCrosses(a, b, line) { return true }
        return false
    }

    /// Distance from p to the nearest point of a polyline.
    static func distance(_ p: Coordinate, to line: [Coordinate]) -> Double {
        var best = Double.infinity
        for i in 1..<line.count { best = min(best, segmentDistance(p, line[i - 1], line[i])) }
        return best
    }

    private func segmentCrosses(_ a: Coordinate, _ b: Coordinate, _ line: [Coordinate]) -> Bool {
        let minX = min(a.x, b.x), maxX = max(a.x, b.x), minY = min(a.y, b.y), maxY = max(a.y, b.y)
        for i in 1..<line.count {
            let c = line[i - 1], d = line[i]
            if max(c.x, d.x) < minX || min(c.x, d.x) > maxX || max(c.y, d.y) < minY || min(c.y, d.y) > maxY { continue }
            let d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d)
            if (d1 > 0) != (d2 > 0) && (d3 > 0) != (d4 > 0) { return true }
        }
        return false
    }
}

func orient(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

func segmentDistance(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
    let dx = b.x - a.x, dy = b.y - a.y
    let len2 = dx * dx + dy * dy
    var t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0
    t = max(0, min(1, t))
    let qx = a.x + t * dx - p.x, qy = a.y + t * dy - p.y
    return (qx * qx + qy * qy).squareRoot()
}
