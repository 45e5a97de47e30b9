// Splitting a grid along a line a planner draws: the line runs across the grid from one point of
// its boundary to another, and its two ends are snapped to the nearest boundary vertices. The two
// parts are then the boundary from one end to the other, closed by the line, each way round. No
// vertex is added to the outline, so the neighbours still meet the parts edge to edge (a new
// vertex on an outer edge would leave the neighbour's edge unmatched: a misaligned boundary the
// plan check would rightly report), and both parts share the line's vertices exactly.

public enum GridSplit {
    /// The two parts of `polygon` (WGS84) split along `line` (WGS84, at least 2 points) whose
    /// ends are within `snap` metres of a vertex of the outline. Holes go with the part that holds
    /// them. Errors name what is wrong: an end far from the outline, both ends on one vertex, a
    /// point of the line outside the grid, the line crossing the outline.
    public static func split(_ polygon: Polygon, along line: [Coordinate], snap: Double = 50) throws -> (Polygon, Polygon) {
        guard line.count >= 2 else { throw GridwallError(.invalidInput, "a split line needs at least two points", at: "line") }
        var ring = polygon.exterior
        if ring.count > 1, ring.first == ring.last { ring.removeLast() }
        guard ring.count >= 3 else { throw GridwallError(.invalidGeometry, "the grid has no area to split", at: "grid") }
        let frame = LocalFrame(origin: ring[0])
        let metric = ring.map(frame.project)
        let lineMetric = line.map(frame.project)

        func nearestVertex(_ p: Coordinate, _ which: String) throws -> Int {
            var best = (index: 0, distance: Double.infinity)
            for (k, v) in metric.enumerated() {
                let d = ((v.x - p.x) * (v.x - p.x) + (v.y - p.y) * (v.y - p.y)).squareRoot()
                if d < best.distance { best = (k, d) }
            }
            guard best.distance <= snap else {
                throw GridwallError(.invalidInput, "the line's \(which) is \(Int(best.distance.rounded())) m from the grid's nearest boundary vertex; start and end it on the boundary (within \(Int(snap)) m of a vertex)", at: "line")
            }
            return best.index
        }
        let i = try nearestVertex(lineMetric.first!, "start"), j = try nearestVertex(lineMetric.last!, "end")
        guard i != j else { throw GridwallError(.invalidInput, "both ends of the line snap to the same boundary vertex; draw it across the grid", at: "line") }

        // The line as it will be: snapped ends, its own points between, each inside the grid, and
        // no segment (nor its middle) outside.
        let path = [metric[i]] + lineMetric.dropFirst().dropLast() + [metric[j]]
        let outline = PlanarShape([Polygon(rings: [metric + [metric[0]]] + polygon.holes.map { $0.map(frame.project) })])
        for (k, p) in path.enumerated().dropFirst().dropLast() where !outline.contains(p) || outline.distanceToOutline(p) == 0 {
            throw GridwallError(.invalidInput, "point \(k + 1) of the line is not inside the grid", at: "line")
        }
        for k in 1..<path.count {
            let a = path[k - 1], b = path[k]
            let middle = Coordinate((a.x + b.x) / 2, (a.y + b.y) / 2)
            if outline.crossesProperly(a, b) || !outline.contains(middle) || outline.distanceToOutline(middle) == 0 {
                throw GridwallError(.invalidInput, "segment \(k) of the line leaves the grid or runs along its boundary", at: "line")
            }
        }

        let n = ring.count
        func walk(_ from: Int, _ to: Int) -> [Coordinate] {
            var out = [ring[from]], k = from
            while k != to { k = (k + 1) % n; out.append(ring[k]) }
            return out
        }
        let inner = Array(line.dropFirst().dropLast())
        var first = walk(i, j) + inner.reversed(), second = walk(j, i) + inner
        first.append(first[0]); second.append(second[0])
        var parts = [Polygon(rings: [first]), Polygon(rings: [second])]
        // Each hole with the part that holds it.
        let shapes = parts.map { PlanarShape([Polygon(rings: $0.rings.map { $0.map(frame.project) })]) }
        for hole in polygon.holes where !hole.isEmpty {
            let k = shapes[0].contains(frame.project(hole[0])) ? 0 : 1
            parts[k].rings.append(hole)
        }
        return (parts[0], parts[1])
    }
}
