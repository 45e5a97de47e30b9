// Owner of one GEOS context (the reentrant `_r` API). GEOS asks for one context per thread:
// a `GeosContext` is deliberately not Sendable, so the compiler keeps it on the task that made
// it; only values (WKB bytes, `Geometry`, numbers) cross threads.
import CGEOS
import GridwallCore

/// Collects the last error GEOS reported through its message handler.
final class GeosMessages {
    var lastError: String?
}

/// One GEOS context and its readers and writers; every geometry it makes belongs to it.
///
///     let geos = GeosContext()
///     let square = try geos.geometry(wkt: "POLYGON((0 0,1 0,1 1,0 1,0 0))")
///     try square.area()   // 1.0
public final class GeosContext {
    let handle: GEOSContextHandle_t
    private let messages = GeosMessages()
    private let wkbReader: OpaquePointer
    private let wkbWriter: OpaquePointer

    /// A GEOS context with its WKB reader and writer; one owner at a time.
    public init() {
        // returns NULL only when out of memory
        handle = GEOS_init_r()!
        let box = Unmanaged.passUnretained(messages).toOpaque()
        // The C callback cannot capture: the message box travels as userdata.
        GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let userdata, let message else { return }
            Unmanaged<GeosMessages>.fromOpaque(userdata).takeUnretainedValue().lastError = String(cString: message)
        }, box)
        // Notices (warnings) are dropped on purpose: Gridwall reports validity through isValidDetail.
        GEOSContext_setNoticeMessageHandler_r(handle, { _, _ in }, nil)
        wkbReader = GEOSWKBReader_create_r(handle)!
        wkbWriter = GEOSWKBWriter_create_r(handle)!
        GEOSWKBWriter_setByteOrder_r(handle, wkbWriter, Int32(GEOS_WKB_NDR.rawValue))
        GEOSWKBWriter_setOutputDimension_r(handle, wkbWriter, 2)
    }

    deinit {
        GEOSWKBReader_destroy_r(handle, wkbReader)
        GEOSWKBWriter_destroy_r(handle, wkbWriter)
        GEOS_finish_r(handle)
    }

    /// The error GEOS reported for the call that just failed, as a Swift error.
    func failure(_ operation: String) -> GridwallError {
        let message = messages.lastError ?? "unknown GEOS error"
        messages.lastError = nil
        return GridwallError(.geos, "\(operation) failed: \(message)")
    }

    /// Wraps a GEOS-owned geometry pointer, or throws GEOS's message when it is NULL.
    func own(_ pointer: OpaquePointer?, _ operation: String) throws -> GeosGeometry {
        guard let pointer else { throw failure(operation) }
        return GeosGeometry(context: self, pointer: pointer)
    }

    /// Reads WKB bytes.
    public func geometry(wkb: [UInt8]) throws -> GeosGeometry {
        // returns NULL on exception
        try own(wkb.withUnsafeBufferPointer { GEOSWKBReader_read_r(handle, wkbReader, $0.baseAddress, $0.count) }, "reading WKB")
    }

    /// Converts a Gridwall geometry (through WKB, which preserves every coordinate bit for bit).
    public func geometry(_ g: Geometry) throws -> GeosGeometry {
        try geometry(wkb: WKB.encode(g))
    }

    /// Reads WKT.
    public func geometry(wkt: String) throws -> GeosGeometry {
        // returns NULL on exception
        let reader = GEOSWKTReader_create_r(handle)
        defer { GEOSWKTReader_destroy_r(handle, reader) }
        return try own(GEOSWKTReader_read_r(handle, reader, wkt), "reading WKT")
    }

    /// Reads a GeoJSON geometry (RFC 7946).
    public func geometry(geoJSON: String) throws -> GeosGeometry {
        // returns NULL on exception
        let reader = GEOSGeoJSONReader_create_r(handle)
        defer { GEOSGeoJSONReader_destroy_r(handle, reader) }
        return try own(GEOSGeoJSONReader_readGeometry_r(handle, reader, geoJSON), "reading GeoJSON")
    }

    /// A point, made directly (cheaper than going through WKB).
    public func point(x: Double, y: Double) throws -> GeosGeometry {
        // returns NULL on exception
        try own(GEOSGeom_createPointFromXY_r(handle, x, y), "creating a point")
    }

    func wkb(of pointer: OpaquePointer) throws -> [UInt8] {
        var size = 0
        // returns NULL on exception; the buffer is freed with GEOSFree_r
        guard let buffer = GEOSWKBWriter_write_r(handle, wkbWriter, pointer, &size) else { throw failure("writing WKB") }
        defer { GEOSFree_r(handle, buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: size))
    }

    func string(_ produced: UnsafeMutablePointer<CChar>?, _ operation: String) throws -> String {
        guard let produced else { throw failure(operation) }
        defer { GEOSFree_r(handle, produced) }
        return String(cString: produced)
    }
}
