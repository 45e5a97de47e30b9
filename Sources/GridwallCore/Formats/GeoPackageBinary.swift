// GeoPackage geometry blobs (OGC 12-128r18, §2.1.3): "GP", version 0, flags, srs_id, an optional
// envelope, then standard WKB. We write the [minx, maxx, miny, maxy] envelope (indicator 1)
// so that readers can filter without parsing the WKB.
import Foundation

/// GeoPackage geometry blobs (header, envelope, WKB) in and out.
public enum GeoPackageBinary {
    /// Encodes `geometry` with SRS `srsID` (4326 for WGS84 longitude/latitude).
    public static func encode(_ geometry: Geometry, srsID: Int32 = 4326) -> [UInt8] {
        let wkb = WKB.encode(geometry)
        var out: [UInt8] = [0x47, 0x50, 0]   // "GP", version 0
        let box = geometry.boundingBox
        // flags: bit 0 = little-endian, bits 1-3 = envelope indicator, bit 4 = empty geometry.
        let envelope: UInt8 = box == nil ? 0 : 1
        out.append(1 | (envelope << 1) | (box == nil ? 0x10 : 0))
        withUnsafeBytes(of: srsID.littleEndian) { out.append(contentsOf: $0) }
        if let box {
            for v in [box.minX, box.maxX, box.minY, box.maxY] {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        out.append(contentsOf: wkb)
        return out
    }

    /// `encode(.point(p))`, written straight into its 61 bytes (header, the point's envelope, WKB
    /// point): live ingest writes one per event.
    public static func encodePoint(_ p: Coordinate, srsID: Int32 = 4326) -> [UInt8] {
        guard p.x.isFinite, p.y.isFinite else { return encode(.point(p), srsID: srsID) }
        var out = [UInt8](repeating: 0, count: 61)
        out.withUnsafeMutableBytes { b in
            b[0] = 0x47; b[1] = 0x50; b[3] = 1 | (1 << 1)   // "GP", version 0, little-endian, envelope [minx, maxx, miny, maxy]
            b.storeBytes(of: srsID.littleEndian, toByteOffset: 4, as: Int32.self)
            for (i, v) in [p.x, p.x, p.y, p.y].enumerated() { b.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 8 + 8 * i, as: UInt64.self) }
            b[40] = 1
            b.storeBytes(of: UInt32(1).littleEndian, toByteOffset: 41, as: UInt32.self)
            b.storeBytes(of: p.x.bitPattern.littleEndian, toByteOffset: 45, as: UInt64.self)
            b.storeBytes(of: p.y.bitPattern.littleEndian, toByteOffset: 53, as: UInt64.self)
        }
        return out
    }

    /// Decodes a GeoPackage geometry blob; returns the SRS id and the geometry.
    public static func decode(_ bytes: [UInt8]) throws -> (srsID: Int32, geometry: Geometry) {
        guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else {
            throw GridwallError(.invalidGeometry, "not a GeoPackage geometry blob (no \"GP\" magic)")
        }
        let flags = bytes[3]
        let little = flags & 1 == 1
        var raw: UInt32 = 0
        for i in 0..<4 { raw |= UInt32(bytes[4 + i]) << (8 * UInt32(i)) }
        let srs = Int32(bitPattern: little ? raw : raw.byteSwapped)
        let envelopeDoubles: Int
        switch (flags >> 1) & 0x7 {
        case 0: envelopeDoubles = 0
        case 1: envelopeDoubles = 4
        case 2, 3: envelopeDoubles = 6
        case 4: envelopeDoubles = 8
        case let e: throw GridwallError(.invalidGeometry, "GeoPackage blob has an invalid envelope indicator \(e)")
        }
        let start = 8 + envelopeDoubles * 8
        guard bytes.count > start else {
            throw GridwallError(.invalidGeometry, "GeoPackage blob ends before its WKB")
        }
        return (srs, try WKB.decode(bytes[start...]))
    }

    /// The point in a GeoPackage blob holding a WKB point (2-D, either byte order); nil for any
    /// other geometry (a 3-D point too: `decode` reads those) or a malformed blob. The events table holds a hundred million of these:
    /// reading them without building a `Geometry` keeps serve's start short.
    public static func point(in blob: some ContiguousBytes) -> Coordinate? {
        blob.withUnsafeBytes { b -> Coordinate? in
            // "GP", and not flagged empty.
            guard b.count >= 8, b[0] == 0x47, b[1] == 0x50, b[3] & 0x10 == 0 else { return nil }
            let envelopeDoubles: Int
            switch (b[3] >> 1) & 0x7 {
            case 0: envelopeDoubles = 0
            case 1: envelopeDoubles = 4
            case 2, 3: envelopeDoubles = 6
            case 4: envelopeDoubles = 8
            default: return nil
            }
            let wkb = 8 + envelopeDoubles * 8
            // Byte order, type 1 (Point), then x and y.
            guard b.count == wkb + 21, b[wkb] <= 1 else { return nil }
            let little = b[wkb] == 1
            func word(_ at: Int) -> UInt32 {
                let v = b.loadUnaligned(fromByteOffset: at, as: UInt32.self)
                return little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
            }
            func double(_ at: Int) -> Double {
                let v = b.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                return Double(bitPattern: little ? UInt64(littleEndian: v) : UInt64(bigEndian: v))
            }
            guard word(wkb + 1) == 1 else { return nil }
            return Coordinate(double(wkb + 5), double(wkb + 13))
        }
    }

    /// A blob's bounds from its header's envelope (ours always has one: [minx, maxx, miny, maxy]),
    /// or, without one, from a 2-D point: `.some(nil)` for an empty geometry, nil when they
    /// cannot be read without decoding the geometry.
    public static func bounds(in blob: some ContiguousBytes) -> BoundingBox?? {
        blob.withUnsafeBytes { b -> BoundingBox?? in
            guard b.count >= 8, b[0] == 0x47, b[1] == 0x50 else { return nil }
            let flags = b[3]
            if flags & 0x10 != 0 { return .some(nil) }
            if (flags >> 1) & 0x7 >= 1, b.count >= 40 {
                func double(_ i: Int) -> Double {
                    let raw = b.loadUnaligned(fromByteOffset: 8 + 8 * i, as: UInt64.self)
                    return Double(bitPattern: flags & 1 == 1 ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
                }
                return BoundingBox(minX: double(0), minY: double(2), maxX: double(1), maxY: double(3))
            }
            return point(in: b).map { BoundingBox(minX: $0.x, minY: $0.y, maxX: $0.x, maxY: $0.y) }
        }
    }
}
