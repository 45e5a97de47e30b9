// A PNG encoder for heatmap images and tiles: 8-bit RGBA, rows filtered with "Sub" (small,
// smooth gradients compress well after it), compressed with zlib. Written here because PNG
// writing is a few dozen lines over zlib and no package on the mirror does it on Linux.
import CZlib
import Foundation
import GridwallCore

/// A minimal PNG encoder (RGBA, zlib through CZlib) for heatmap images and tiles.
public enum PNG {
    /// Encodes `rgba` (width × height × 4 bytes, rows from the top) as a PNG file.
    public static func encode(width: Int, height: Int, rgba: [UInt8]) throws -> [UInt8] {
        precondition(rgba.count == width * height * 4, "RGBA bytes do not match the size")
        // Each row: filter byte 1 (Sub), then each byte minus the byte one pixel to its left.
        var raw = [UInt8](repeating: 0, count: height * (1 + width * 4))
        for y in 0..<height {
            let src = y * width * 4, dst = y * (1 + width * 4)
            raw[dst] = 1
            for i in 0..<(width * 4) {
                raw[dst + 1 + i] = i < 4 ? rgba[src + i] : rgba[src + i] &- rgba[src + i - 4]
            }
        }
        var compressedSize = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
        let status = compress2(&compressed, &compressedSize, raw, uLong(raw.count), 6)
        guard status == Z_OK else { throw GridwallError(.io, "zlib could not compress the image (status \(status))") }
        compressed.removeLast(compressed.count - Int(compressedSize))

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.append(bigEndian: UInt32(width)); header.append(bigEndian: UInt32(height))
        header += [8, 6, 0, 0, 0]   // 8 bits per channel, RGBA, deflate, adaptive filtering, no interlace
        chunk("IHDR", header, into: &png)
        chunk("IDAT", compressed, into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        out.append(bigEndian: UInt32(data.count))
        let body = Array(type.utf8) + data
        out += body
        out.append(bigEndian: UInt32(crc32(0, body, uInt(body.count))))
    }
}

extension [UInt8] {
    mutating func append(bigEndian v: UInt32) {
        append(UInt8(v >> 24)); append(UInt8((v >> 16) & 0xff)); append(UInt8((v >> 8) & 0xff)); append(UInt8(v & 0xff))
    }
}
