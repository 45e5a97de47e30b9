// Random test shapes that are valid by construction: star-shaped (hence simple) concave rings,
// holes strictly inside them, multipolygons of disjoint parts, and jittered quad tilings whose
// neighbours share their vertices exactly.
import Foundation
import GridwallCore

public enum RandomShapes {
    /// A closed counter-clockwise star-shaped ring of `vertices` points around `center`, with radii
    /// in [minRadius, maxRadius] (concave when they differ).
    public static func star(center: Coordinate, vertices: Int, minRadius: Double, maxRadius: Double,
                            rng: inout SeededRandom) -> [Coordinate] {
        // Jittered even spacing keeps every angular gap under 180°, so the ring is simple.
        let angles = (0..<vertices).map { i in 2 * .pi * (Double(i) + 0.8 * rng.unit()) / Double(vertices) }
        var ring = angles.map { a in
            let r = rng.uniform(minRadius, maxRadius)
            return Coordinate(center.x + r * cos(a), center.y + r * sin(a))
        }
        ring.append(ring[0])
        return ring
    }

    /// A concave polygon, with a hole in half of the cases.
    public static func polygon(center: Coordinate, size: Double, rng: inout SeededRandom) -> Polygon {
        let exterior = star(center: center, vertices: rng.int(5, 60), minRadius: 0.4 * size, maxRadius: size, rng: &rng)
        guard rng.unit() < 0.5 else { return Polygon(exterior: exterior) }
        // The hole must stay clear of the exterior's edges, which may pass closer to the centre
        // than any exterior vertex when neighbouring vertices are far apart in angle.
        var clearance = Double.infinity
        for i in 1..<exterior.count {
            let a = exterior[i - 1], b = exterior[i]
            let dx = b.x - a.x, dy = b.y - a.y
            let t = max(0, min(1, ((center.x - a.x) * dx + (center.y - a.y) * dy) / (dx * dx + dy * dy)))
            let qx = a.x + t * dx - center.x, qy = a.y + t * dy - center.y
            clearance = min(clearance, (qx * qx + qy * qy).squareRoot())
        }
        guard clearance > 0.2 * size else { return Polygon(exterior: exterior) }
        let hole = star(center: center, vertices: rng.int(4, 20), minRadius: 0.25 * clearance, maxRadius: 0.8 * clearance, rng: &rng)
        return Polygon(exterior: exterior, holes: [Array(hole.reversed())])
    }

    /// Up to `count` features, each a polygon or a multipolygon of two, none overlapping
    /// (each part lives in its own cell of a coarse grid).
    public static func features(count: Int, rng: inout SeededRandom) -> [[Polygon]] {
        let side = Int(Double(count * 2).squareRoot().rounded(.up)) + 1
        var cells = Array(0..<(side * side))
        for i in stride(from: cells.count - 1, to: 0, by: -1) { cells.swapAt(i, rng.int(0, i)) }
        var out: [[Polygon]] = []
        var next = 0
        for _ in 0..<count {
            let parts = rng.unit() < 0.3 ? 2 : 1
            var polygons: [Polygon] = []
            for _ in 0..<parts where next < cells.count {
                let c = cells[next]; next += 1
                let center = Coordinate(120 + Double(c % side) * 0.01 + 0.005, 30 + Double(c / side) * 0.01 + 0.005)
                polygons.append(polygon(center: center, size: 0.0045, rng: &rng))
            }
            out.append(polygons)
        }
        return out
    }

    /// A jittered lattice of `columns`×`rows` quads (as features) that tile their extent exactly.
    public static func quadTiling(columns: Int, rows: Int, cell: Double, rng: inout SeededRandom) -> (features: [[Polygon]], vertices: [Coordinate]) {
        var nodes: [Coordinate] = []
        for r in 0...rows {
            for c in 0...columns {
                let border = r == 0 || c == 0 || r == rows || c == columns
                let jx = border ? 0 : rng.uniform(-0.3, 0.3) * cell, jy = border ? 0 : rng.uniform(-0.3, 0.3) * cell
                nodes.append(Coordinate(120 + Double(c) * cell + jx, 30 + Double(r) * cell + jy))
            }
        }
        func n(_ c: Int, _ r: Int) -> Coordinate { nodes[r * (columns + 1) + c] }
        var features: [[Polygon]] = []
        for r in 0..<rows {
            for c in 0..<columns {
                features.append([Polygon(exterior: [n(c, r), n(c + 1, r), n(c + 1, r + 1), n(c, r + 1), n(c, r)])])
            }
        }
        return (features, nodes)
    }

    /// Brute-force crossing-number test with Gridwall's half-open rule, over every edge.
    public static func bruteForceContains(_ polygons: [Polygon], x: Double, y: Double) -> Bool {
        var inside = false
        for p in polygons {
            for ring in p.rings {
                for i in 1..<ring.count {
                    var a = ring[i - 1], b = ring[i]
                    if (a.y, a.x) > (b.y, b.x) { swap(&a, &b) }
                    if a.y <= y && y < b.y && x < a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y) { inside.toggle() }
                }
            }
        }
        return inside
    }
}
