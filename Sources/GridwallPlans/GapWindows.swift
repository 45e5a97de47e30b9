// Where to look for gaps: the boxes of the connected groups of a parent's rim edges (edges that
// share an end point belong to one group). A gap's rim is a closed loop of such edges, so each
// gap lies inside one group's box.
import GridwallCore

enum GapWindows {
    /// One box per connected group of `edges`, grown by `margin`.
    static func boxes(_ edges: [(Coordinate, Coordinate)], margin: Double) -> [BoundingBox] {
        var parent = Array(edges.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        var firstAt: [Coordinate: Int] = [:]
        for (i, e) in edges.enumerated() {
            for c in [e.0, e.1] {
                if let j = firstAt[c] { parent[root(i)] = root(j) } else { firstAt[c] = i }
            }
        }
        var boxes: [Int: BoundingBox] = [:]
        for (i, e) in edges.enumerated() {
            boxes[root(i), default: .empty].extend(e.0)
            boxes[root(i)]!.extend(e.1)
        }
        return boxes.keys.sorted().map { boxes[$0]!.expanded(by: margin) }
    }
}
