// PROJ coordinate transforms. A `ProjTransformer` owns its own PJ_CONTEXT and the PJ made in it;
// PROJ objects are not thread-safe, so the type is not Sendable: make one per thread or task
// (creation costs 2-50 ms, so reuse it for many batches).
import CPROJ
import GridwallCore

/// A PROJ transformation between two EPSG systems, longitude/latitude order in and out.
public final class ProjTransformer {
    private let context: OpaquePointer
    private let transform: OpaquePointer
    public let source: String
    public let target: String

    /// A transform between two CRSs given as PROJ understands them ("EPSG:4326", "EPSG:32651"),
    /// with axes in longitude/latitude (easting/northing) order whatever the EPSG order is.
    ///
    ///     let t = try ProjTransformer(from: "EPSG:4326", to: "EPSG:32651")
    ///     try t.forward(Coordinate(120.2, 30.27))   // (230627.399, 3352023.651)
    public init(from source: String, to target: String) throws {
        self.source = source
        self.target = target
        // returns NULL only when out of memory
        guard let ctx = proj_context_create() else { throw GridwallError(.proj, "cannot create a PROJ context") }
        proj_log_level(ctx, PJ_LOG_NONE)
        // returns NULL when either CRS is unknown or no operation connects them
        guard let raw = proj_create_crs_to_crs(ctx, source, target, nil) else {
            let message = Self.lastError(ctx)
            proj_context_destroy(ctx)
            throw GridwallError(.proj, "no transformation from \(source) to \(target): \(message)", at: "crs")
        }
        // returns NULL on failure; the result is a new object, the raw one is ours to destroy
        let normalized = proj_normalize_for_visualization(ctx, raw)
        proj_destroy(raw)
        guard let normalized else {
            let message = Self.lastError(ctx)
            proj_context_destroy(ctx)
            throw GridwallError(.proj, "cannot normalise axis order for \(source) → \(target): \(message)")
        }
        context = ctx
        transform = normalized
    }

    /// Convenience for EPSG codes.
    public convenience init(fromEPSG source: Int, toEPSG target: Int) throws {
        try self.init(from: "EPSG:\(source)", to: "EPSG:\(target)")
    }

    deinit {
        proj_destroy(transform)
        proj_context_destroy(context)
    }

    private static func lastError(_ ctx: OpaquePointer) -> String {
        let errno = proj_context_errno(ctx)
        guard errno != 0, let text = proj_context_errno_string(ctx, errno) else { return "unknown PROJ error" }
        return String(cString: text)
    }

    /// Transforms one position.
    public func forward(_ c: Coordinate) throws -> Coordinate {
        var cs = [c]
        try transformInPlace(&cs, direction: PJ_FWD)
        return cs[0]
    }

    /// Transforms one coordinate back (target → source).
    public func inverse(_ c: Coordinate) throws -> Coordinate {
        var cs = [c]
        try transformInPlace(&cs, direction: PJ_INV)
        return cs[0]
    }

    /// Transforms a batch in place (one `proj_trans_generic` call over the strided array).
    public func forward(_ cs: inout [Coordinate]) throws { try transformInPlace(&cs, direction: PJ_FWD) }
    /// Transforms coordinates back in place (target → source).
    public func inverse(_ cs: inout [Coordinate]) throws { try transformInPlace(&cs, direction: PJ_INV) }

    private func transformInPlace(_ cs: inout [Coordinate], direction: PJ_DIRECTION) throws {
        guard !cs.isEmpty else { return }
        let stride = MemoryLayout<Coordinate>.stride
        let count = cs.count
        let done: Int = cs.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            // returns the number of transformed coordinates; failed ones become HUGE_VAL
            return proj_trans_generic(transform, direction,
                                      base.assumingMemoryBound(to: Double.self), stride, count,
                                      (base + 8).assumingMemoryBound(to: Double.self), stride, count,
                                      nil, 0, 0, nil, 0, 0)
        }
        guard done == cs.count else {
            throw GridwallError(.proj, "PROJ transformed \(done) of \(cs.count) positions from \(source) to \(target)")
        }
        if let bad = cs.firstIndex(where: { !$0.isFinite || abs($0.x) == .greatestFiniteMagnitude }) {
            throw GridwallError(.proj, "position \(bad + 1) cannot be transformed from \(source) to \(target): \(Self.lastError(context))",
                                at: "position \(bad + 1)")
        }
    }

    /// Transforms every coordinate of a geometry.
    public func forward(_ g: Geometry) throws -> Geometry {
        try g.mapCoordinates { try forward($0) }
    }
}

/// Picks a metric projected CRS for data around a bounding box in WGS84.
public enum MetricCRS {
    /// CGCS2000 3-degree Gauss–Krüger zone (central meridians 75°E…135°E, EPSG:4534–4554)
    /// inside China's longitudes; otherwise the WGS84 UTM zone of the box's centre.
    ///
    ///     MetricCRS.epsg(for: box around Hangzhou)   // 4549 (CM 120°E)
    public static func epsg(for box: BoundingBox) -> Int {
        let c = box.center
        if c.x >= 73.5, c.x <= 136.5, c.y >= 3, c.y <= 54 {
            let meridian = (c.x / 3).rounded() * 3
            return 4534 + Int((meridian - 75) / 3)
        }
        return utm(for: c)
    }

    /// Throws (naming `place`) unless PROJ knows EPSG `code` as a projected CRS whose first axis
    /// is in metres: bins, distances and kernels are sized in metres, so a CRS a client names
    /// for them must be one (EPSG:4326 would make a 250 m bin 250 degrees).
    public static func check(_ code: Int, at place: String) throws {
        guard let ctx = proj_context_create() else { throw GridwallError(.proj, "cannot create a PROJ context") }
        defer { proj_context_destroy(ctx) }
        proj_log_level(ctx, PJ_LOG_NONE)
        guard let crs = proj_create(ctx, "EPSG:\(code)") else {
            throw GridwallError(.invalidParameter, "PROJ knows no EPSG:\(code); name a projected CRS in metres, e.g. EPSG:32651", at: place)
        }
        defer { proj_destroy(crs) }
        guard proj_get_type(crs) == PJ_TYPE_PROJECTED_CRS, let cs = proj_crs_get_coordinate_system(ctx, crs) else {
            throw GridwallError(.invalidParameter, "EPSG:\(code) is not a projected CRS; name one in metres, e.g. EPSG:32651", at: place)
        }
        defer { proj_destroy(cs) }
        var toMetres = 0.0
        guard proj_cs_get_axis_info(ctx, cs, 0, nil, nil, nil, &toMetres, nil, nil, nil) == 1, toMetres == 1 else {
            throw GridwallError(.invalidParameter, "EPSG:\(code) is not in metres; name a projected CRS in metres, e.g. EPSG:32651", at: place)
        }
    }

    /// The WGS84 UTM zone EPSG code (326xx north, 327xx south) for a position.
    public static func utm(for c: Coordinate) -> Int {
        let zone = min(60, max(1, Int(((c.x + 180) / 6).rounded(.down)) + 1))
        return (c.y >= 0 ? 32600 : 32700) + zone
    }
}
