// GEOS's STRtree over a set of geometries, returning the integer ids they were inserted with.
import CGEOS
import GridwallCore

/// Sort-Tile-Recursive R-tree (GEOSSTRtree). Items are integer ids; the tree is built on the
/// first query and is read-only afterwards, as GEOS requires.
public final class GeosSTRtree {
    public let context: GeosContext
    let pointer: OpaquePointer
    /// Inserted geometries stay alive as long as the tree references them.
    private var members: [GeosGeometry] = []

    /// An empty tree.
    public init(context: GeosContext, nodeCapacity: Int = 10) throws {
        self.context = context
        // returns NULL on exception
        guard let p = GEOSSTRtree_create_r(context.handle, nodeCapacity) else { throw context.failure("STRtree create") }
        pointer = p
    }

    deinit { GEOSSTRtree_destroy_r(context.handle, pointer) }

    /// Adds `geometry` (by its envelope) under `id`.
    public func insert(_ geometry: GeosGeometry, id: Int) {
        members.append(geometry)
        // The item pointer is the id itself (never dereferenced), offset by one so id 0 is not NULL.
        GEOSSTRtree_insert_r(context.handle, pointer, geometry.pointer, UnsafeMutableRawPointer(bitPattern: id + 1))
    }

    /// Ids whose envelopes intersect `geometry`'s envelope, appended to `out` (cleared first).
    public func query(_ geometry: GeosGeometry, into out: inout [Int]) {
        out.removeAll(keepingCapacity: true)
        withUnsafeMutablePointer(to: &out) { outPointer in
            GEOSSTRtree_query_r(context.handle, pointer, geometry.pointer, { item, userdata in
                guard let userdata else { return }
                let out = userdata.assumingMemoryBound(to: [Int].self)
                out.pointee.append(Int(bitPattern: item) - 1)
            }, outPointer)
        }
    }
}
