// Point-in-polygon with GEOS as fast as its C API (3.11) allows: the reference our engine is
// measured and checked against, so it must not be handicapped by our wrapper. Per point it makes
// one GEOS point (3.11 has no GEOSPreparedContainsXY; 3.12 adds it), queries the STRtree into a
// reused buffer through a C callback, tests prepared `contains` on the candidates and keeps the
// lowest id that contains the point; no Swift object, array or sort per point.
import CGEOS
import GridwallCore

/// Which of a set of polygons contains each point, by GEOS prepared geometries in an STRtree.
/// One owner (a context is not shared across threads).
///
/// ```swift
/// let locator = try GeosPointLocator(context: GeosContext(), features: grids)
/// let grid = try locator.locate(x: 120.21, y: 30.3)   // lowest feature index containing it, or -1
/// ```
public final class GeosPointLocator {
    public let context: GeosContext
    private let tree: GeosSTRtree
    private let prepared: [PreparedGeosGeometry]
    /// Candidates of the current query, written by the STRtree callback.
    private var candidates: UnsafeMutablePointer<CandidateBuffer>

    struct CandidateBuffer {
        var ids: [Int32] = []
    }

    /// Prepares `features` and indexes them in an STRtree.
    public init(context: GeosContext, features: [[Polygon]]) throws {
        self.context = context
        let tree = try GeosSTRtree(context: context)
        prepared = try features.enumerated().map { i, polygons in
            let g = try context.geometry(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
            tree.insert(g, id: i)
            return try g.prepared()
        }
        self.tree = tree
        candidates = .allocate(capacity: 1)
        candidates.initialize(to: CandidateBuffer())
        candidates.pointee.ids.reserveCapacity(64)
    }

    deinit {
        candidates.deinitialize(count: 1)
        candidates.deallocate()
    }

    /// The lowest index of a feature containing (x, y) in its interior, or -1 (GEOS `contains`:
    /// a point on a boundary is in no feature whose boundary it is on).
    public func locate(x: Double, y: Double) throws -> Int32 {
        let handle = context.handle
        // returns NULL on exception
        guard let point = GEOSGeom_createPointFromXY_r(handle, x, y) else { throw context.failure("creating a point") }
        defer { GEOSGeom_destroy_r(handle, point) }
        candidates.pointee.ids.removeAll(keepingCapacity: true)
        GEOSSTRtree_query_r(handle, tree.pointer, point, { item, userdata in
            guard let userdata else { return }
            userdata.assumingMemoryBound(to: CandidateBuffer.self).pointee.ids.append(Int32(Int(bitPattern: item) - 1))
        }, UnsafeMutableRawPointer(candidates))
        var found: Int32 = -1
        for id in candidates.pointee.ids where found < 0 || id < found {
            // returns 2 on exception
            let r = GEOSPreparedContains_r(handle, prepared[Int(id)].pointer, point)
            guard r != 2 else { throw context.failure("prepared contains") }
            if r == 1 { found = id }
        }
        return found
    }

    /// The boundary distance of feature `id` to (x, y), in degrees (for explaining disagreements).
    public func boundaryDistance(_ id: Int, x: Double, y: Double) throws -> Double {
        try prepared[id].base.boundary().distance(to: context.point(x: x, y: y))
    }
}
