// The impact of a plan: what each new grid would hold (people, households, buildings, cameras,
// responders, recent events) and what moves from which old grid to which new one. Everything is
// a point-in-grid question answered by the same PolygonIndex the live assignment uses, once for
// the old layer and once for the new, so the counts are exactly what assignment would say after
// the switch. Pure: the caller reads the things and the layers; only responders need geometry
// beyond points (their home grid's successor), which the caller works out and passes in.
import Dispatch

/// One layer of grids: their ids and the index that places points in them.
public struct GridLayer: Sendable {
    public let ids: [String]
    public let index: PolygonIndex
    private let position: [String: Int]

    /// A layer of the grids `ids[i]` with the polygons `polygons[i]` (WGS84).
    public init(ids: [String], polygons: [[Polygon]], options: PolygonIndex.Options = .init()) {
        self.ids = ids
        index = PolygonIndex(features: polygons, options: options)
        position = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The grid holding `p` (the shared-edge rule of assignment), nil outside every grid.
    public func grid(at p: Coordinate) -> String? {
        let f = index.locate(x: p.x, y: p.y).feature
        return f >= 0 ? ids[Int(f)] : nil
    }

    /// Whether the layer has a grid called `id`.
    public func has(_ id: String) -> Bool { position[id] != nil }
}

/// A thing a plan may move between grids.
public struct CountedThing: Sendable {
    public var id: String
    /// Where it is (a building's representative point); nil for responders, who move with their home grid.
    public var point: Coordinate?
    /// Its grid today when that is recorded (an event's grid as assigned, a responder's home grid);
    /// nil: the old layer places `point`.
    public var grid: String?
    /// Households and residents (buildings).
    public var households = 0
    public var residents = 0

    public init(id: String, point: Coordinate?, grid: String? = nil, households: Int = 0, residents: Int = 0) {
        self.id = id; self.point = point; self.grid = grid; self.households = households; self.residents = residents
    }
}

/// What one new grid would hold.
public struct GridImpact: Sendable, Hashable {
    public var grid: String
    public var population = 0
    public var households = 0
    public var buildings = 0
    public var cameras = 0
    public var responders = 0
    public var events = 0
    public init(grid: String) { self.grid = grid }
}

/// Things of one kind that move from one old grid to one new grid (nil: no grid).
public struct GridMove: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case buildings, cameras, responders, events }
    public var kind: Kind
    public var from: String?
    public var to: String?
    public var ids: [String]
    public var count: Int { ids.count }
}

/// The impact report of a plan.
public struct PlanImpact: Sendable {
    /// One per grid of the new layer, in its order.
    public var grids: [GridImpact]
    /// Every (kind, old grid, new grid) with something moving, ordered by kind, then old and new id.
    public var moves: [GridMove]
    /// Households a grid should have; `outsideRange` lists the grids that do not.
    public var householdRange: ClosedRange<Int>
    /// How many things of each kind were looked at.
    public var totals: [GridMove.Kind: Int]

    public var outsideRange: [GridImpact] { grids.filter { !householdRange.contains($0.households) } }

    /// How many things of `kind` move.
    public func moved(_ kind: GridMove.Kind) -> Int { moves.filter { $0.kind == kind }.reduce(0) { $0 + $1.count } }

    /// Places everything in both layers and tallies the new grids and the moves. A responder's new
    /// home grid is `successor[home]` when given, else the grid of the same id when the new layer
    /// keeps it, else none.
    public static func compute(old: GridLayer, new: GridLayer, buildings: [CountedThing], cameras: [CountedThing],
                               events: [CountedThing], responders: [CountedThing], successor: [String: String] = [:],
                               householdRange: ClosedRange<Int> = 300...500) -> PlanImpact {
        let kinds: [(GridMove.Kind, [CountedThing])] = [(.buildings, buildings), (.cameras, cameras), (.responders, responders), (.events, events)]
        let things = kinds.flatMap(\.1)
        // Grids as numbers while tallying: the old layer's ids, then any other recorded id (an
        // event's grid since removed), then the new layer's; -1 for no grid.
        var names = old.ids
        var number = Dictionary(old.ids.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        func code(_ id: String) -> Int32 {
            if let n = number[id] { return n }
            names.append(id); number[id] = Int32(names.count - 1); return Int32(names.count - 1)
        }
        var before = things.map { t in t.point == nil ? (t.grid.map(code) ?? -1) : (t.grid.map(code) ?? -2) }
        // The new layer's grids are numbered after every old and recorded id.
        let newBase = Int32(names.count)
        var newNumber: [String: Int32] = [:]
        for (i, id) in new.ids.enumerated() where newNumber[id] == nil { newNumber[id] = newBase + Int32(i) }
        var after = [Int32](repeating: -1, count: things.count)

        // The two layers place the points at once, on two threads; the results are plain arrays.
        let points = things.map(\.point)
        let placedOld = Locked<[Int32]>([]), placedNew = Locked<[Int32]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { layer in
            let index = layer == 0 ? old.index : new.index
            let placed = points.map { p in p.map { index.locate(x: $0.x, y: $0.y).feature } ?? -1 }
            (layer == 0 ? placedOld : placedNew).withLock { $0 = placed }
        }
        let inOld = placedOld.withLock { $0 }, inNew = placedNew.withLock { $0 }
        for i in things.indices {
            if before[i] == -2 { before[i] = inOld[i] }   // no recorded grid: where the old layer puts it
            if things[i].point != nil {
                after[i] = inNew[i] >= 0 ? newBase + inNew[i] : -1
            } else if let home = things[i].grid, let next = successor[home] ?? (new.has(home) ? home : nil) {
                after[i] = newNumber[next] ?? -1
            }
        }
        func name(_ n: Int32) -> String? { n < 0 ? nil : n < newBase ? names[Int(n)] : new.ids[Int(n - newBase)] }
        /// The same grid before and after: the same id.
        func same(_ a: Int32, _ b: Int32) -> Bool { a == b || (a >= 0 && b >= 0 && name(a) == name(b)) }

        var grids = new.ids.map(GridImpact.init)
        var moving: [MoveKey: [String]] = [:]
        var i = 0
        for (kind, list) in kinds {
            for t in list {
                let to = after[i]
                if to >= 0 {
                    let g = Int(to - newBase)
                    switch kind {
                    case .buildings: grids[g].buildings += 1; grids[g].households += t.households; grids[g].population += t.residents
                    case .cameras: grids[g].cameras += 1
                    case .responders: grids[g].responders += 1
                    case .events: grids[g].events += 1
                    }
                }
                if !same(before[i], to) { moving[MoveKey(kind: kind, from: before[i], to: to), default: []].append(t.id) }
                i += 1
            }
        }
        let order = GridMove.Kind.allCases
        let moves = moving.map { GridMove(kind: $0.key.kind, from: name($0.key.from), to: name($0.key.to), ids: $0.value) }.sorted {
            let a = order.firstIndex(of: $0.kind)!, b = order.firstIndex(of: $1.kind)!
            if a != b { return a < b }
            if $0.from != $1.from { return ($0.from ?? "") < ($1.from ?? "") }
            return ($0.to ?? "") < ($1.to ?? "")
        }
        return PlanImpact(grids: grids, moves: moves, householdRange: householdRange,
                          totals: [.buildings: buildings.count, .cameras: cameras.count, .responders: responders.count, .events: events.count])
    }

    /// Grids by number (see `compute`), so that tallying hashes no strings.
    private struct MoveKey: Hashable {
        var kind: GridMove.Kind
        var from: Int32
        var to: Int32
    }
}
