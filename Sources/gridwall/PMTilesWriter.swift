// PMTiles v3 (one file, read by HTTP range requests or from disk) for walls that run offline:
// tiles ordered by their Hilbert tile id and written clustered, one root directory (leaf
// directories when the root would pass the 16 kB the specification allows with the header),
// gzip for the directories and the JSON metadata, the header's bounds, centre and zooms.
// Written here because the format is a header, varints and gzip, and no package on the
// mirror writes it. The tile numbering is `TileID.pmtilesID`.
import Foundation
import GridwallAnalysis
import GridwallCore

/// Writes a PMTiles v3 archive from tiles given in any order.
public enum PMTilesWriter {
    struct Entry { var id: UInt64; var offset: UInt64; var length: UInt32; var runLength: UInt32 }

    /// The serialized, gzipped directory of `entries`.
    static func directory(_ entries: [Entry]) throws -> [UInt8] {
        var out: [UInt8] = []
        func varint(_ v: UInt64) { var v = v; while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }; out.append(UInt8(v)) }
        varint(UInt64(entries.count))
        var last: UInt64 = 0
        for e in entries { varint(e.id - last); last = e.id }
        for e in entries { varint(UInt64(e.runLength)) }
        for e in entries { varint(UInt64(e.length)) }
        for (i, e) in entries.enumerated() {
            if i > 0 && e.offset == entries[i - 1].offset + UInt64(entries[i - 1].length) { varint(0) } else { varint(e.offset + 1) }
        }
        return try Gzip.compress(out)
    }

    /// Writes `tiles` (bytes as stored: gzipped MVT) with `metadata` (a JSON object) to `path`.
    public static func write(path: String, tiles: [(TileID, [UInt8])], metadata: JSONValue, bounds: BoundingBox,
                             minZoom: Int, maxZoom: Int, centreZoom: Int) throws {
        guard !tiles.isEmpty else { throw GridwallError(.invalidInput, "no tile to write", at: path) }
        let sorted = tiles.map { ($0.0.pmtilesID, $0.1) }.sorted { $0.0 < $1.0 }
        var data: [UInt8] = []
        var entries: [Entry] = []
        for (id, bytes) in sorted {
            entries.append(Entry(id: id, offset: UInt64(data.count), length: UInt32(bytes.count), runLength: 1))
            data.append(contentsOf: bytes)
        }
        // One root directory while it fits beside the header; else a root of leaf directories.
        var root = try directory(entries)
        var leaves: [UInt8] = []
        if 127 + root.count > 16_384 {
            var leafEntries: [Entry] = []
            let perLeaf = 4_096
            for start in stride(from: 0, to: entries.count, by: perLeaf) {
                let chunk = Array(entries[start..<min(entries.count, start + perLeaf)])
                let leaf = try directory(chunk)
                leafEntries.append(Entry(id: chunk[0].id, offset: UInt64(leaves.count), length: UInt32(leaf.count), runLength: 0))
                leaves.append(contentsOf: leaf)
            }
            root = try directory(leafEntries)
        }
        let meta = try Gzip.compress(Array(metadata.serialized.utf8))
        let rootOffset: UInt64 = 127, metaOffset = rootOffset + UInt64(root.count)
        let leafOffset = metaOffset + UInt64(meta.count), dataOffset = leafOffset + UInt64(leaves.count)
        var header: [UInt8] = Array("PMTiles".utf8) + [3]
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        func i32(_ v: Double) { withUnsafeBytes(of: Int32((v * 10_000_000).rounded()).littleEndian) { header.append(contentsOf: $0) } }
        u64(rootOffset); u64(UInt64(root.count)); u64(metaOffset); u64(UInt64(meta.count))
        u64(leafOffset); u64(UInt64(leaves.count)); u64(dataOffset); u64(UInt64(data.count))
        u64(UInt64(entries.count)); u64(UInt64(entries.count)); u64(UInt64(entries.count))
        header += [1, 2, 2, 1, UInt8(minZoom), UInt8(maxZoom)]   // clustered, gzip directories, gzip tiles, MVT
        i32(bounds.minX); i32(bounds.minY); i32(bounds.maxX); i32(bounds.maxY)
        header.append(UInt8(centreZoom)); i32(bounds.center.x); i32(bounds.center.y)
        precondition(header.count == 127)
        var file = header
        file += root; file += meta; file += leaves; file += data
        try OutputFile.write(file, to: path)
    }
}
