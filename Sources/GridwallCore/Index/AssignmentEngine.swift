// Assignment: a point → its grid (and community, street, district by the grid's parents), the
// building it is in, and the cameras that cover it. Immutable once built: a layer change builds
// a new engine and swaps the reference, so readers never wait and never see half an index.

/// Where a point lies relative to its grid.
public enum Placement: UInt8, Sendable {
    /// Strictly inside a grid.
    case inside = 0
    /// Within the index tolerance (1e-9°) of its grid's boundary; assigned by the shared-edge rule.
    case boundary = 1
    /// In no grid; see `nearestGrid` and `distance`.
    case outside = 2

    public var name: String { ["inside", "boundary", "outside"][Int(rawValue)] }
}

/// The answer for one point, as indices into the engine's tables (no strings, no allocation).
public struct PointAssignment: Sendable, Hashable {
    public var grid: Int32 = -1
    public var building: Int32 = -1
    public var placement: Placement = .outside
    /// For outside points: the nearest grid and the distance to it in metres.
    public var nearestGrid: Int32 = -1
    public var distance: Double = 0
    /// No grid, no building, outside.
    public init() {}
}

/// The chain above one grid.
public struct GridChain: Sendable, Hashable {
    public var gridID: String
    public var communityID: String?
    public var streetID: String?
    public var districtID: String?
}

/// Where a point is: its grid (exactly one, by the shared-edge rule), the chain above it, its building, the cameras covering it.
///
/// ```swift
/// let engine = AssignmentEngine(areas: try store.areas(), buildings: try store.buildings(), cameras: try store.cameras())
/// let a = engine.assign(x: 120.21, y: 30.30)
/// let grid = a.grid >= 0 ? engine.grids[Int(a.grid)].gridID : nil   // and a.placement, a.building
/// ```
public struct AssignmentEngine: Sendable {
    public let grids: [GridChain]
    public let gridIndex: PolygonIndex
    public let buildingIDs: [String]
    public let buildingIndex: PolygonIndex
    public let cameraIndex: CameraIndex
    /// Whether outside points get their nearest grid (costs a search per outside point).
    public var findsNearestGrid = true

    /// Builds from the layers. Grids are the areas of level `grid`; their chain follows parent ids.
    public init(areas: [AreaRecord], buildings: [BuildingRecord], cameras: [CameraRecord],
                options: PolygonIndex.Options = .init()) {
        var byID: [String: AreaRecord] = [:]
        for a in areas { byID[a.id] = a }
        let gridAreas = areas.filter { $0.level == .grid }
        grids = gridAreas.map { g in
            var chain = GridChain(gridID: g.id)
            var parent = g.parentID
            var seen = Set<String>()
            while let p = parent, let area = byID[p], seen.insert(p).inserted {
                switch area.level {
                case .community: chain.communityID = chain.communityID ?? area.id
                case .street: chain.streetID = chain.streetID ?? area.id
                case .district: chain.districtID = chain.districtID ?? area.id
                case .grid: break
                }
                parent = area.parentID
            }
            return chain
        }
        gridIndex = PolygonIndex(features: gridAreas.map(\.geometry.polygons), options: options)
        buildingIDs = buildings.map(\.id)
        var buildingOptions = options
        buildingOptions.findsNearest = false   // only a grid is ever looked for outside
        buildingIndex = PolygonIndex(features: buildings.map(\.geometry.polygons), options: buildingOptions)
        cameraIndex = CameraIndex(cameras: cameras)
    }

    /// Grid, placement and building of one point.
    public func assign(x: Double, y: Double) -> PointAssignment {
        var a = PointAssignment()
        let (grid, onBoundary) = gridIndex.locate(x: x, y: y)
        a.grid = grid
        if grid >= 0 {
            a.placement = onBoundary ? .boundary : .inside
        } else {
            a.placement = .outside
            if findsNearestGrid, let (g, d) = gridIndex.nearestFeatureOutside(x: x, y: y) {
                a.nearestGrid = g
                a.distance = d
            }
        }
        a.building = buildingIndex.locate(x: x, y: y).feature
        return a
    }

    /// Assigns `xs[i], ys[i]` into `out[i]` for every i (the caller owns the buffers).
    public func assign(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                       into out: UnsafeMutableBufferPointer<PointAssignment>) {
        for i in 0..<min(xs.count, ys.count, out.count) { out[i] = assign(x: xs[i], y: ys[i]) }
    }

    /// Only the grid (or -1) of each point: the hot path of ingest and heatmaps.
    public func gridOnly(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Int32>) {
        gridIndex.locate(xs: xs, ys: ys, into: out)
    }
}
