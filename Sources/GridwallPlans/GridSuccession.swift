// Which new grid takes over an old one: the new grid holding the largest share of its area. A
// responder's home grid follows it. Most grids of a partial redraw are unchanged (same id, same
// coordinates) and need no geometry; a changed grid is measured (planar metres) only against
// the new grids whose boxes meet it: one of the two is cut into convex pieces (itself, or its
// triangles) and the other clipped to each: exact, and it took this step of the sample
// district's full redraw from ~45 ms with GEOS overlays to ~12 ms (`gridwall bench plan`); a
// GEOS overlay only where neither can be cut (both with holes, or a ring ear clipping
// refuses). The pairs are independent, so they are spread over the cores, each worker with its
// own GEOS context (a context and what it makes stay on one thread).
import Dispatch
import GridwallCore
import GridwallGEOS

public enum GridSuccession {
    /// For each of the `wanted` old grid ids: the new grid with the largest share of it (ties to
    /// the first in the new layer's order); absent when no new grid overlaps it.
    public static func successors(of wanted: Set<String>, old: [PlanArea], new: [PlanArea], workers: Int = 2) throws -> [String: String] {
        var out: [String: String] = [:]
        let newByID = Dictionary(new.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var changed: [PlanArea] = []
        for a in old where wanted.contains(a.id) && out[a.id] == nil {
            if let i = newByID[a.id], new[i].geometry == a.geometry { out[a.id] = a.id } else { changed.append(a) }
        }
        guard !changed.isEmpty else { return out }

        var extent = BoundingBox.empty
        for a in changed { if let b = a.geometry.boundingBox { extent.extend(b) } }
        let frame = LocalFrame(origin: extent.center)
        let metric = new.map { $0.geometry.mapCoordinates(frame.project).polygons }
        let boxes = metric.map { PlanarBox.of($0) }
        let buckets = BoxBuckets(boxes)
        let found = Locked<[(String, String)]>([])
        let failure = Locked<(any Error)?>(nil)
        let workers = max(1, min(workers, changed.count / 16 + 1))
        let pending = changed
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            do {
                let geos = GeosContext()
                var shapes: [Int: GeosGeometry] = [:]
                // Each new grid is cut into pieces when first needed (nil inside: cannot be cut).
                var pieces: [Int: [[Coordinate]]?] = [:]
                func piecesOf(_ i: Int) -> [[Coordinate]]? {
                    if let known = pieces[i] { return known }
                    let cut = Self.pieces(metric[i])
                    pieces[i] = .some(cut)
                    return cut
                }
                var mine: [(String, String)] = []
                for k in stride(from: w, to: pending.count, by: workers) {
                    let a = pending[k]
                    let polygons = a.geometry.mapCoordinates(frame.project).polygons
                    let box = PlanarBox.of(polygons)
                    var ownPieces: [[Coordinate]]?? = .none   // not cut yet
                    var shape: GeosGeometry?
                    // Candidates by an upper bound of their share (the part of each inside the
                    // other's box), largest first: once the best share found exceeds the next
                    // bound, no later candidate can win, and most overlays are never run.
                    let candidates = buckets.near(box).filter { boxes[$0].intersects(box) }.map { i in
                        (index: i, bound: min(Self.area(metric[i], inside: box), Self.area(polygons, inside: boxes[i])))
                    }.sorted { $0.bound != $1.bound ? $0.bound > $1.bound : $0.index < $1.index }
                    var best: (share: Double, index: Int)?
                    for c in candidates {
                        if let best, c.bound < best.share { break }
                        let share: Double
                        if let theirs = piecesOf(c.index) {
                            share = polygons.reduce(0) { $0 + $1.planarArea(insidePieces: theirs) }
                        } else {
                            if ownPieces == nil { ownPieces = .some(Self.pieces(polygons)) }
                            if let mine = ownPieces! {
                                share = metric[c.index].reduce(0) { $0 + $1.planarArea(insidePieces: mine) }
                            } else {
                                if shape == nil { shape = try geos.geometry(.multiPolygon(polygons)) }
                                if shapes[c.index] == nil { shapes[c.index] = try geos.geometry(.multiPolygon(metric[c.index])) }
                                share = try shape!.intersection(shapes[c.index]!).area()
                            }
                        }
                        guard share > 0 else { continue }
                        if best == nil || share > best!.share || (share == best!.share && c.index < best!.index) { best = (share, c.index) }
                    }
                    if let best { mine.append((a.id, new[best.index].id)) }
                }
                found.withLock { $0 += mine }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        for (a, b) in found.withLock({ $0 }) { out[a] = b }
        return out
    }

    /// Convex pieces covering all the polygons, nil when one of them cannot be cut.
    static func pieces(_ polygons: [Polygon]) -> [[Coordinate]]? {
        var all: [[Coordinate]] = []
        for p in polygons {
            guard let cut = p.convexPieces else { return nil }
            all += cut
        }
        return all
    }

    /// The planar area of the polygons' part inside `box`.
    static func area(_ polygons: [Polygon], inside box: BoundingBox) -> Double {
        polygons.reduce(0) { $0 + $1.planarArea(inside: box) }
    }
}
