// The validation report of a plan: a new set of areas (grids) checked against each other,
// against their parents and against the buildings they divide.
//
// The edges decide where to look (CoverageEdges, linear in the edges); GEOS then measures only
// there: the overlap of each pair the edges name, the gaps of each parent they name, the part of
// each piece outside its parent. Parts narrower than the tolerance are the near-coincident
// edges' own slivers and are reported once, as misaligned edges, not again as overlaps or gaps.
// Everything is measured in a local planar frame in metres, so sizes are m² and m.
import Foundation
import GridwallCore
import GridwallGEOS

/// One area of a plan, or a parent it must stay inside.
public struct PlanArea: Sendable {
    public var id: String
    public var parentID: String?
    public var geometry: Geometry
    /// Where it came from, for messages ("feature 12").
    public var place: String
    public init(id: String, parentID: String?, geometry: Geometry, place: String) {
        self.id = id; self.parentID = parentID; self.geometry = geometry; self.place = place
    }
}

/// Thresholds of a plan check, in metres.
public struct PlanCheckOptions: Sendable {
    /// Boundaries nearer than this without being shared are misaligned; gaps and overlaps
    /// narrower than this are reported as those misaligned edges only.
    public var tolerance = 0.5
    /// A part of an area narrower than this (its widest inscribed circle) is a sliver.
    public var sliverWidth = 5.0
    /// A building is cut when at least two areas hold at least this much of it, m².
    public var minimumBuildingShare = 1.0
    public init() {}
}

/// Checks a plan and reports every finding.
public enum PlanValidator {
    /// Checks `areas` against each other and against `parents`; reports the `buildings` their
    /// boundaries cut that the `current` layer's boundaries did not cut the same way (with no
    /// current layer, every cut building).
    public static func check(areas: [PlanArea], parents: [PlanArea], buildings: [(id: String, geometry: Geometry)] = [],
                             current: [PlanArea] = [], options: PlanCheckOptions = PlanCheckOptions()) throws -> PlanReport {
        let started = Date()
        let geos = GeosContext()
        var findings: [PlanFinding] = []

        // Ids.
        var seen: [String: Int] = [:]
        for (i, a) in areas.enumerated() {
            if a.id.trimmingCharacters(in: .whitespaces).isEmpty {
                findings.append(PlanFinding(kind: .emptyID, areas: [a.id], message: "\(a.place) has no id"))
            } else if let first = seen[a.id] {
                findings.append(PlanFinding(kind: .duplicateID, areas: [a.id],
                                            message: "\(a.place) has the id \"\(a.id)\" of \(areas[first].place)"))
            } else {
                seen[a.id] = i
            }
        }

        // Validity: GEOS's reason and place; the checks after this one look at the repaired shape.
        var shapes: [Geometry?] = []
        for a in areas {
            // GEOS cannot judge NaN or a latitude of 400: say what is wrong and leave the area out.
            if let problem = a.geometry.firstNonFiniteCoordinate.map({ "coordinate \($0.index + 1) is not a finite number" })
                ?? a.geometry.firstLonLatProblem ?? (a.geometry.polygons.isEmpty ? "a \(a.geometry.typeName) is not an area" : nil) {
                findings.append(PlanFinding(kind: .invalidGeometry, areas: [a.id], message: "\(a.place) (\(a.id)): \(problem)"))
                shapes.append(nil)
                continue
            }
            // Most grids are clearly valid; GEOS judges the rest (and says what is wrong and where).
            if a.geometry.isClearlyValid { shapes.append(a.geometry); continue }
            let g = try geos.geometry(a.geometry)
            if let problem = try g.invalidity() {
                findings.append(PlanFinding(kind: .invalidGeometry, areas: [a.id], geometry: problem.location.map(Geometry.point),
                                            message: "\(a.place) (\(a.id)): \(problem.reason)"))
                shapes.append(try g.makeValid().polygonalPart())
            } else {
                shapes.append(a.geometry)
            }
        }

        // Parents, and a planar frame in metres around everything.
        let parentIndex = Dictionary(parents.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var parentOf: [Int?] = []
        for a in areas {
            guard let pid = a.parentID, !pid.isEmpty else { parentOf.append(nil); continue }
            if let p = parentIndex[pid] { parentOf.append(p); continue }
            parentOf.append(nil)
            findings.append(PlanFinding(kind: .unknownParent, areas: [a.id], parent: pid,
                                        message: "\(a.place) (\(a.id)) names parent \"\(pid)\", which is neither in the plan nor in the store"))
        }
        var extent = BoundingBox.empty
        for g in shapes.compactMap({ $0 }) { if let b = g.boundingBox { extent.extend(b) } }
        let frame = LocalFrame(origin: extent.isEmpty ? Coordinate(0, 0) : extent.center)
        let metric = shapes.map { $0.map { $0.mapCoordinates(frame.project).polygons } ?? [] }
        let parentMetric = parents.map { $0.geometry.mapCoordinates(frame.project).polygons }
        func toWGS84(_ g: Geometry) -> Geometry { g.mapCoordinates(frame.unproject) }

        let edges = CoverageEdges(pieces: metric, parentOf: parentOf, parents: parentMetric, tolerance: options.tolerance)

        // GEOS shapes in metres, made once each.
        var pieceCache: [Int: GeosGeometry] = [:], parentCache: [Int: GeosGeometry] = [:]
        func piece(_ i: Int) throws -> GeosGeometry {
            if let g = pieceCache[i] { return g }
            let g = try geos.geometry(.multiPolygon(metric[i])); pieceCache[i] = g; return g
        }
        func parent(_ p: Int) throws -> GeosGeometry {
            if let g = parentCache[p] { return g }
            let g = try geos.geometry(.multiPolygon(parentMetric[p])); parentCache[p] = g; return g
        }
        /// The polygonal parts of `g` wide enough not to be a misalignment's own sliver.
        func wideParts(_ g: GeosGeometry) throws -> [(polygon: Polygon, area: Double)] {
            guard let value = try g.polygonalPart() else { return [] }
            return try value.polygons.compactMap { p in
                let part = try geos.geometry(.polygon(p))
                let area = try part.area()
                guard area > 0, try 2 * part.inscribedRadius(tolerance: options.tolerance / 20) >= options.tolerance else { return nil }
                return (p, area)
            }
        }
        func multi(_ parts: [(polygon: Polygon, area: Double)]) -> Geometry {
            parts.count == 1 ? .polygon(parts[0].polygon) : .multiPolygon(parts.map(\.polygon))
        }

        // Overlaps: each pair once, all its parts together.
        for pair in edges.overlappingPairs.sorted() {
            let parts = try wideParts(try piece(pair.first).intersection(try piece(pair.second)))
            guard !parts.isEmpty else { continue }
            let area = parts.reduce(0) { $0 + $1.area }
            let a = areas[pair.first], b = areas[pair.second]
            findings.append(PlanFinding(kind: .overlap, areas: [a.id, b.id], size: area, geometry: toWGS84(multi(parts)),
                                        message: "\(a.id) and \(b.id) overlap by \(Self.format(area)) m²"))
        }

        // Gaps: what of a parent no piece covers (any piece, not only its own children: a piece
        // of another parent lying there is outside its parent, not a gap). Every gap is ringed by
        // unmatched edges (and the parent's uncovered outline), so it lies inside the box of one
        // connected group of them: each group's box is overlaid on its own, never the whole
        // parent (a union of thousands of grids costs seconds).
        let pieceBuckets = BoxBuckets(metric.map { PlanarBox.of($0) })
        var seenGaps = Set<[Double]>()
        for p in edges.parentsWithGaps.sorted() {
            // Every unmatched edge near the parent: a piece of another parent may ring a gap too.
            let parentBox = PlanarBox.of(parentMetric[p]).expanded(by: options.tolerance)
            let rims = edges.unmatched.filter { parentBox.contains($0.from) || parentBox.contains($0.to) }.map { ($0.from, $0.to) }
                + edges.uncoveredOutline.filter { $0.parent == p }.map { ($0.from, $0.to) }
            for window in GapWindows.boxes(rims, margin: 2 * options.tolerance) {
                let near = pieceBuckets.near(window).filter { PlanarBox.of(metric[$0]).intersects(window) }
                var uncovered = try parent(p).clipped(to: window)
                // Each piece clipped on its own (clipping wants valid input; overlapping pieces
                // together are not), then the clipped parts united.
                let clipped = try near.flatMap { try piece($0).clipped(to: window).polygonalPart()?.polygons ?? [] }
                if !clipped.isEmpty {
                    uncovered = try uncovered.difference(try geos.geometry(.multiPolygon(clipped)).unaryUnion())
                }
                for part in try wideParts(uncovered) {
                    // A part reaching the window's edge was cut out of something larger than this
                    // group's rim: its own group's window holds all of it.
                    let partBox = PlanarBox.of([part.polygon])
                    guard partBox.minX > window.minX, partBox.minY > window.minY, partBox.maxX < window.maxX, partBox.maxY < window.maxY,
                          seenGaps.insert([partBox.minX, partBox.minY, partBox.maxX, partBox.maxY].map { ($0 * 100).rounded() }).inserted else { continue }
                    let around = near.filter { i in metric[i].contains { PlanarBox.of([$0]).intersects(partBox.expanded(by: options.tolerance)) } }
                    findings.append(PlanFinding(kind: .gap, areas: around.map { areas[$0].id }, parent: parents[p].id, size: part.area,
                                                geometry: toWGS84(.polygon(part.polygon)),
                                                message: "a gap of \(Self.format(part.area)) m² inside \(parents[p].id) that no area covers"))
                }
            }
        }

        // Pieces outside their parent.
        for i in edges.outsideParent.sorted() {
            guard let p = parentOf[i] else { continue }
            let parts = try wideParts(try piece(i).difference(try parent(p)))
            guard !parts.isEmpty else { continue }
            let area = parts.reduce(0) { $0 + $1.area }
            findings.append(PlanFinding(kind: .outsideParent, areas: [areas[i].id], parent: parents[p].id, size: area,
                                        geometry: toWGS84(multi(parts)),
                                        message: "\(Self.format(area)) m² of \(areas[i].id) lies outside its parent \(parents[p].id)"))
        }

        // Slivers: parts narrower than the sliver width. A part's widest inscribed circle has a
        // radius of at least area / perimeter, so only parts with 2·area/perimeter below the
        // width can be slivers and need GEOS.
        for (i, polygons) in metric.enumerated() {
            for p in polygons {
                let area = p.planarArea
                let perimeter = p.rings.reduce(0) { $0 + Self.length($1) }
                guard area > 0, 2 * area / perimeter < options.sliverWidth else { continue }
                let width = 2 * (try geos.geometry(.polygon(p)).inscribedRadius(tolerance: options.sliverWidth / 100))
                guard width < options.sliverWidth else { continue }
                findings.append(PlanFinding(kind: .sliver, areas: [areas[i].id], size: area, geometry: toWGS84(.polygon(p)),
                                            message: "\(areas[i].id) has a part \(Self.format(width)) m wide at most (\(Self.format(area)) m²), narrower than \(Self.format(options.sliverWidth)) m"))
            }
        }

        // Misaligned edges, per piece and what they fail to meet.
        var misaligned: [String: (piece: Int, with: Int?, lines: [[Coordinate]], length: Double)] = [:]
        for e in edges.unmatched {
            guard case .misaligned(let with) = e.kind else { continue }
            let key = "\(e.piece) \(with.map(String.init) ?? "parent")"
            misaligned[key, default: (e.piece, with, [], 0)].lines.append([e.from, e.to].map(frame.unproject))
            misaligned[key]!.length += e.length
        }
        for m in misaligned.values.sorted(by: { ($0.piece, $0.with ?? -1) < ($1.piece, $1.with ?? -1) }) {
            let a = areas[m.piece]
            let other = m.with.map { areas[$0].id } ?? parentOf[m.piece].map { "its parent " + parents[$0].id } ?? "?"
            findings.append(PlanFinding(kind: .misaligned, areas: [a.id] + (m.with.map { [areas[$0].id] } ?? []),
                                        parent: m.with == nil ? parentOf[m.piece].map { parents[$0].id } : nil,
                                        size: m.length, geometry: .multiLineString(m.lines),
                                        message: "\(Self.format(m.length)) m of \(a.id)'s boundary runs within \(Self.format(options.tolerance)) m of \(other) without meeting it edge to edge"))
        }

        // Buildings a new boundary cuts.
        if !buildings.isEmpty {
            let plan = BuildingCuts(ids: areas.map(\.id), metric: metric, geos: geos)
            let before = current.isEmpty ? nil
                : BuildingCuts(ids: current.map(\.id), metric: current.map { $0.geometry.mapCoordinates(frame.project).polygons }, geos: geos)
            findings += try plan.newCuts(buildings, frame: frame, before: before, minimumShare: options.minimumBuildingShare)
        }

        return PlanReport(findings: findings, areaCount: areas.count, parentCount: parents.count,
                          buildingCount: buildings.count, seconds: Date().timeIntervalSince(started))
    }

    static func length(_ ring: [Coordinate]) -> Double {
        guard ring.count > 1 else { return 0 }
        return (1..<ring.count).reduce(0) { s, k in
            let dx = ring[k].x - ring[k - 1].x, dy = ring[k].y - ring[k - 1].y
            return s + (dx * dx + dy * dy).squareRoot()
        }
    }

    static func format(_ v: Double) -> String {
        v >= 100 ? String(Int(v.rounded())) : String(format: v >= 1 ? "%.1f" : "%.2g", v)
    }
}

/// The box of planar polygons.
enum PlanarBox {
    static func of(_ polygons: [Polygon]) -> BoundingBox {
        var box = BoundingBox.empty
        for p in polygons { for c in p.exterior { box.extend(c) } }
        return box
    }
}
