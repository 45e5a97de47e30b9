// gzip (RFC 1952) through zlib, for vector tiles: clients that send Accept-Encoding: gzip get
// them compressed, and MBTiles stores them so. compress-nio would do the same over NIO buffers;
// the tiles are byte arrays already and zlib is linked for PNG, so one call is simpler.
import CZlib
import GridwallCore

/// gzip compression of byte arrays.
public enum Gzip {
    /// `bytes` as a gzip member at `level` (1 fastest … 9 smallest; 6 is zlib's default).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var stream = z_stream()
        guard gridwall_deflate_init_gzip(&stream, level) == Z_OK else { throw GridwallError(.io, "zlib could not start a gzip stream") }
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let status = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { outp in
                stream.next_in = inp.baseAddress
                stream.avail_in = uInt(inp.count)
                stream.next_out = outp.baseAddress
                stream.avail_out = uInt(outp.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw GridwallError(.io, "zlib could not gzip \(bytes.count) bytes (status \(status))") }
        out.removeLast(out.count - Int(stream.total_out))
        return out
    }
}
