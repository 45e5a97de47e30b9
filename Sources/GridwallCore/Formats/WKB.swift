// Well-Known Binary (OGC Simple Features 1.2.1, §8.2): 2D geometries, little-endian output,
// either byte order on input. The GEOS wrapper and the GeoPackage store both speak it.
import Foundation

/// Well-known binary geometries in and out (little-endian, 2D).
public enum WKB {
    private enum Kind: UInt32 {
        case point = 1, lineString = 2, polygon = 3, multiPoint = 4, multiLineString = 5, multiPolygon = 6
    }

    /// Encodes `geometry` as little-endian 2D WKB.
    ///
    ///     let bytes = WKB.encode(.point(Coordinate(120.2, 30.3)))   // 21 bytes
    public static func encode(_ geometry: Geometry) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(geometry, into: &out)
        return out
    }

    private static func header(_ kind: Kind, _ out: inout [UInt8]) {
        out.append(1)
        u32(kind.rawValue, &out)
    }
    private static func u32(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }
    private static func f64(_ v: Double, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }
    private static func points(_ cs: [Coordinate], _ out: inout [UInt8]) {
        u32(UInt32(cs.count), &out)
        for c in cs { f64(c.x, &out); f64(c.y, &out) }
    }
    private static func polygonBody(_ p: Polygon, _ out: inout [UInt8]) {
        u32(UInt32(p.rings.count), &out)
        for r in p.rings { points(r, &out) }
    }

    private static func write(_ g: Geometry, into out: inout [UInt8]) {
        switch g {
        case .point(let c):
            header(.point, &out); f64(c.x, &out); f64(c.y, &out)
        case .lineString(let cs):
            header(.lineString, &out); points(cs, &out)
        case .polygon(let p):
            header(.polygon, &out); polygonBody(p, &out)
        case .multiPoint(let cs):
            header(.multiPoint, &out); u32(UInt32(cs.count), &out)
            for c in cs { write(.point(c), into: &out) }
        case .multiLineString(let ls):
            header(.multiLineString, &out); u32(UInt32(ls.count), &out)
            for l in ls { write(.lineString(l), into: &out) }
        case .multiPolygon(let ps):
            header(.multiPolygon, &out); u32(UInt32(ps.count), &out)
            for p in ps { write(.polygon(p), into: &out) }
        }
    }

    /// Decodes 2D WKB (ISO or EWKB type codes with Z/M are rejected with a clear error).
    public static func decode<Bytes: Collection>(_ bytes: Bytes) throws -> Geometry where Bytes.Element == UInt8 {
        var reader = Reader(bytes: Array(bytes))
        let g = try reader.geometry()
        return g
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var littleEndian = true

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw truncated() }
            defer { offset += 1 }
            return bytes[offset]
        }
        func truncated() -> GridwallError {
            GridwallError(.invalidGeometry, "WKB ends early", at: "byte \(offset) of \(bytes.count)")
        }
        mutating func u32() throws -> UInt32 {
            guard offset + 4 <= bytes.count else { throw truncated() }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
            offset += 4
            return littleEndian ? v : v.byteSwapped
        }
        mutating func f64() throws -> Double {
            guard offset + 8 <= bytes.count else { throw truncated() }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return Double(bitPattern: littleEndian ? v : v.byteSwapped)
        }
        mutating func count() throws -> Int {
            let n = Int(try u32())
            // Every element needs at least 8 bytes, so a larger count is corrupt, not huge.
            guard n <= (bytes.count - offset) else {
                throw GridwallError(.invalidGeometry, "WKB count \(n) exceeds the data", at: "byte \(offset)")
            }
            return n
        }
        mutating func coordinates() throws -> [Coordinate] {
            let n = try count()
            var cs: [Coordinate] = []
            cs.reserveCapacity(n)
            for _ in 0..<n { cs.append(Coordinate(try f64(), try f64())) }
            return cs
        }
        mutating func polygon() throws -> Polygon {
            let n = try count()
            var rings: [[Coordinate]] = []
            for _ in 0..<n { rings.append(try coordinates()) }
            return Polygon(rings: rings)
        }
        mutating func geometry() throws -> Geometry {
            let order = try byte()
            guard order <= 1 else {
                throw GridwallError(.invalidGeometry, "WKB byte order must be 0 or 1, found \(order)", at: "byte \(offset - 1)")
            }
            littleEndian = order == 1
            let type = try u32()
            guard let kind = Kind(rawValue: type) else {
                throw GridwallError(.invalidGeometry, "unsupported WKB geometry type \(type) (only 2D point, line and polygon types)", at: "byte \(offset - 4)")
            }
            switch kind {
            case .point: return .point(Coordinate(try f64(), try f64()))
            case .lineString: return .lineString(try coordinates())
            case .polygon: return .polygon(try polygon())
            case .multiPoint:
                let n = try count()
                var cs: [Coordinate] = []
                for _ in 0..<n {
                    guard case .point(let c) = try geometry() else { throw member("point") }
                    cs.append(c)
                }
                return .multiPoint(cs)
            case .multiLineString:
                let n = try count()
                var ls: [[Coordinate]] = []
                for _ in 0..<n {
                    guard case .lineString(let l) = try geometry() else { throw member("linestring") }
                    ls.append(l)
                }
                return .multiLineString(ls)
            case .multiPolygon:
                let n = try count()
                var ps: [Polygon] = []
                for _ in 0..<n {
                    guard case .polygon(let p) = try geometry() else { throw member("polygon") }
                    ps.append(p)
                }
                return .multiPolygon(ps)
            }
        }
        func member(_ kind: String) -> GridwallError {
            GridwallError(.invalidGeometry, "WKB multi-geometry member is not a \(kind)", at: "byte \(offset)")
        }
    }
}
