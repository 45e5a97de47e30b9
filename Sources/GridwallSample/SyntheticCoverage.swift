// A large synthetic coverage for benchmarks: a jittered grid of cells whose edges are wiggly
// polylines shared exactly by both neighbours (so the cells tile their rectangle), like a city
// of thousands of management grids.
import GridwallCore

/// A synthetic coverage of wiggly grid cells, for benchmarks at other sizes.
public enum SyntheticCoverage {
    /// `columns`×`rows` cells of about `cellMetres` near `origin`, each edge split into
    /// `pointsPerEdge` segments with sideways jitter; returns each cell as one polygon.
    public static func grids(columns: Int, rows: Int, cellMetres: Double = 300, pointsPerEdge: Int = 8,
                             origin: Coordinate = Coordinate(120.0, 30.0), seed: UInt64 = 1) -> [[Polygon]] {
        var rng = SeededRandom(seed: seed)
        let frame = LocalFrame(origin: origin)
        func round7(_ c: Coordinate) -> Coordinate { Coordinate((c.x * 1e7).rounded() / 1e7, (c.y * 1e7).rounded() / 1e7) }
        // Corners, jittered inside the rectangle.
        var corners = [[Coordinate]](repeating: [], count: rows + 1)
        for r in 0...rows {
            for c in 0...columns {
                let border = r == 0 || c == 0 || r == rows || c == columns
                let j = border ? 0 : 0.25 * cellMetres
                corners[r].append(Coordinate(Double(c) * cellMetres + (c == 0 || c == columns ? 0 : rng.uniform(-j, j)),
                                             Double(r) * cellMetres + (r == 0 || r == rows ? 0 : rng.uniform(-j, j))))
            }
        }
        // One wiggly polyline per edge (interior points only), made once and shared.
        func wiggle(_ a: Coordinate, _ b: Coordinate, border: Bool) -> [Coordinate] {
            let dx = b.x - a.x, dy = b.y - a.y
            let length = (dx * dx + dy * dy).squareRoot()
            return (1..<pointsPerEdge).map { k in
                let t = Double(k) / Double(pointsPerEdge)
                let side = border ? 0 : rng.uniform(-0.06, 0.06) * length
                return Coordinate(a.x + t * dx - dy / length * side, a.y + t * dy + dx / length * side)
            }
        }
        var horizontal = [[[Coordinate]]](repeating: [], count: rows + 1)   // from (c, r) to (c+1, r)
        for r in 0...rows { for c in 0..<columns { horizontal[r].append(wiggle(corners[r][c], corners[r][c + 1], border: r == 0 || r == rows)) } }
        var vertical = [[[Coordinate]]](repeating: [], count: rows)          // from (c, r) to (c, r+1)
        for r in 0..<rows { for c in 0...columns { vertical[r].append(wiggle(corners[r][c], corners[r + 1][c], border: c == 0 || c == columns)) } }
        var out: [[Polygon]] = []
        out.reserveCapacity(rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                var ring = [corners[r][c]] + horizontal[r][c] + [corners[r][c + 1]] + vertical[r][c + 1]
                ring += [corners[r + 1][c + 1]] + horizontal[r + 1][c].reversed() + [corners[r + 1][c]] + vertical[r][c].reversed()
                ring.append(corners[r][c])
                out.append([Polygon(exterior: ring.map { round7(frame.unproject($0)) })])
            }
        }
        return out
    }
}
