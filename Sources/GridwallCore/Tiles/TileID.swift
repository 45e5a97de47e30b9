// XYZ tile addresses in Web Mercator (EPSG:3857), as MapLibre, GDAL and MBTiles number them:
// zoom z has 2^z × 2^z tiles, x eastwards from 180° W, y southwards from about 85.05° N.
import Foundation

/// One tile of the Web Mercator pyramid.
public struct TileID: Sendable, Hashable, CustomStringConvertible {
    public let z: Int, x: Int, y: Int

    /// The deepest zoom served (a tile there is about 10 m across at the district's latitude).
    public static let maximumZoom = 22

    /// Checks the address; the error names the part at fault and its range.
    public init(z: Int, x: Int, y: Int) throws {
        guard (0...Self.maximumZoom).contains(z) else {
            throw GridwallError(.invalidParameter, "zoom must be 0 to \(Self.maximumZoom), found \(z)", at: "z")
        }
        let n = 1 << z
        guard (0..<n).contains(x) else { throw GridwallError(.invalidParameter, "x must be 0 to \(n - 1) at zoom \(z), found \(x)", at: "x") }
        guard (0..<n).contains(y) else { throw GridwallError(.invalidParameter, "y must be 0 to \(n - 1) at zoom \(z), found \(y)", at: "y") }
        self.z = z; self.x = x; self.y = y
    }

    public var description: String { "\(z)/\(x)/\(y)" }

    /// The tile's box in world units: x and y in [0, 1], y downwards from the north edge.
    public var worldBox: BoundingBox {
        let n = Double(1 << z)
        return BoundingBox(minX: Double(x) / n, minY: Double(y) / n, maxX: Double(x + 1) / n, maxY: Double(y + 1) / n)
    }

    /// The tile's box in WGS84 longitude/latitude.
    public var lonLatBox: BoundingBox {
        let w = worldBox
        return BoundingBox(minX: w.minX * 360 - 180, minY: Self.latitude(worldY: w.maxY), maxX: w.maxX * 360 - 180, maxY: Self.latitude(worldY: w.minY))
    }

    /// Web Mercator world units of a WGS84 point (latitude clamped to the projection's limit).
    @inline(__always)
    public static func world(_ p: Coordinate) -> Coordinate {
        let lat = max(-85.05112878, min(85.05112878, p.y)) * .pi / 180
        return Coordinate((p.x + 180) / 360, (1 - log(tan(lat) + 1 / cos(lat)) / .pi) / 2)
    }

    /// The latitude of a world y.
    public static func latitude(worldY: Double) -> Double {
        atan(sinh(.pi * (1 - 2 * worldY))) * 180 / .pi
    }

    /// The tiles of zoom `z` that a WGS84 box touches.
    public static func covering(_ box: BoundingBox, zoom z: Int) -> [TileID] {
        let n = 1 << z
        let lo = world(Coordinate(box.minX, box.maxY)), hi = world(Coordinate(box.maxX, box.minY))
        let x0 = max(0, min(n - 1, Int(lo.x * Double(n)))), x1 = max(0, min(n - 1, Int(hi.x * Double(n))))
        let y0 = max(0, min(n - 1, Int(lo.y * Double(n)))), y1 = max(0, min(n - 1, Int(hi.y * Double(n))))
        var out: [TileID] = []
        for x in x0...x1 { for y in y0...y1 { out.append(try! TileID(z: z, x: x, y: y)) } }
        return out
    }
}

extension TileID {
    /// The PMTiles v3 tile id: every tile of the lower zooms first, then the tile's position on
    /// this zoom's Hilbert curve (so tiles near each other on the map sit near each other in
    /// the archive).
    public var pmtilesID: UInt64 {
        var acc: UInt64 = 0
        for zoom in 0..<z { acc += UInt64(1) << UInt64(2 * zoom) }
        var x = UInt64(self.x), y = UInt64(self.y)
        var s = z > 0 ? UInt64(1) << UInt64(z - 1) : 0
        var d: UInt64 = 0
        while s > 0 {
            let rx: UInt64 = (x & s) > 0 ? 1 : 0, ry: UInt64 = (y & s) > 0 ? 1 : 0
            d += s * s * ((3 * rx) ^ ry)
            // Turn the quadrant so the curve runs on in the next level (bits above s no longer count).
            if ry == 0 {
                if rx == 1 { x = s &- 1 &- x; y = s &- 1 &- y }
                swap(&x, &y)
            }
            s >>= 1
        }
        return acc + d
    }
}
