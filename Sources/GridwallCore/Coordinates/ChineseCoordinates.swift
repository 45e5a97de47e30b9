// GCJ-02 ("Mars coordinates", used by Amap and Tencent) and BD-09 (Baidu) to and from WGS84.
//
// GCJ-02 is a published-by-reimplementation obfuscation: WGS84 plus a smooth offset of a few
// hundred metres computed on the Krasovsky ellipsoid. The forward formula is the one every open
// implementation shares; it is only defined inside a rectangle around China (outside it GCJ-02
// equals WGS84). The inverse has no closed form: open libraries stop after one or two steps
// (about 1e-6°); we solve offset(x) = target by Newton iteration with a numerical Jacobian until
// the step is below 1e-12°, which costs a handful of forward evaluations.
import Foundation

/// The GCJ-02 and BD-09 offsets of Chinese web maps, both ways (inverses iterated to 1e-9°).
public enum ChineseCoordinates {
    private static let krasovskyA = 6378245.0
    private static let krasovskyEE = 0.00669342162296594323
    private static let xPi = Double.pi * 3000.0 / 180.0

    /// Whether GCJ-02 applies an offset here (the rectangle the open implementations use).
    public static func isInsideChina(_ c: Coordinate) -> Bool {
        c.x >= 72.004 && c.x <= 137.8347 && c.y >= 0.8293 && c.y <= 55.8271
    }

    /// WGS84 → GCJ-02.
    ///
    ///     ChineseCoordinates.wgs84ToGCJ02(Coordinate(120.2, 30.27))   // ≈ (120.20454, 30.26754)
    public static func wgs84ToGCJ02(_ c: Coordinate) -> Coordinate {
        guard isInsideChina(c) else { return c }
        let (dx, dy) = offset(c)
        return Coordinate(c.x + dx, c.y + dy)
    }

    /// GCJ-02 → WGS84, exact to about 1e-12° (Newton iteration on the forward transform).
    public static func gcj02ToWGS84(_ g: Coordinate) -> Coordinate {
        guard isInsideChina(g) else { return g }
        return invert(g, forward: wgs84ToGCJ02)
    }

    /// GCJ-02 → BD-09 (Baidu's published formula).
    public static func gcj02ToBD09(_ c: Coordinate) -> Coordinate {
        let z = (c.x * c.x + c.y * c.y).squareRoot() + 0.00002 * sin(c.y * xPi)
        let theta = atan2(c.y, c.x) + 0.000003 * cos(c.x * xPi)
        return Coordinate(z * cos(theta) + 0.0065, z * sin(theta) + 0.006)
    }

    /// BD-09 → GCJ-02, exact to about 1e-12° (Newton iteration on the forward transform).
    public static func bd09ToGCJ02(_ b: Coordinate) -> Coordinate {
        invert(b, forward: gcj02ToBD09)
    }

    /// WGS84 → BD-09 (through GCJ-02).
    public static func wgs84ToBD09(_ c: Coordinate) -> Coordinate { gcj02ToBD09(wgs84ToGCJ02(c)) }
    /// BD-09 → WGS84 (through GCJ-02).
    public static func bd09ToWGS84(_ b: Coordinate) -> Coordinate { gcj02ToWGS84(bd09ToGCJ02(b)) }

    /// The GCJ-02 offset in degrees at a WGS84 position.
    private static func offset(_ c: Coordinate) -> (Double, Double) {
        let x = c.x - 105.0, y = c.y - 35.0
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLat += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        dLat += (160.0 * sin(y / 12.0 * .pi) + 320 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLon += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        dLon += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radLat = c.y / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - krasovskyEE * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((krasovskyA * (1 - krasovskyEE)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180.0) / (krasovskyA / sqrtMagic * cos(radLat) * .pi)
        return (dLon, dLat)
    }

    /// Solves forward(p) = target for p, starting from target minus the offset there.
    private static func invert(_ target: Coordinate, forward: (Coordinate) -> Coordinate) -> Coordinate {
        let f0 = forward(target)
        var p = Coordinate(2 * target.x - f0.x, 2 * target.y - f0.y)
        let h = 1e-6
        for _ in 0..<20 {
            let f = forward(p)
            let rx = f.x - target.x, ry = f.y - target.y
            if abs(rx) < 1e-13 && abs(ry) < 1e-13 { break }
            // Jacobian by central differences; the offsets vary slowly, so it is near identity.
            let fxp = forward(Coordinate(p.x + h, p.y)), fxm = forward(Coordinate(p.x - h, p.y))
            let fyp = forward(Coordinate(p.x, p.y + h)), fym = forward(Coordinate(p.x, p.y - h))
            let a = (fxp.x - fxm.x) / (2 * h), c = (fxp.y - fxm.y) / (2 * h)
            let b = (fyp.x - fym.x) / (2 * h), d = (fyp.y - fym.y) / (2 * h)
            let det = a * d - b * c
            let sx = (d * rx - b * ry) / det, sy = (-c * rx + a * ry) / det
            p = Coordinate(p.x - sx, p.y - sy)
            if abs(sx) < 1e-13 && abs(sy) < 1e-13 { break }
        }
        return p
    }
}

/// The coordinate systems a request or an import may name.
public enum CoordinateSystem: Sendable, Hashable, CustomStringConvertible {
    case wgs84
    case gcj02
    case bd09
    case epsg(Int)

    /// Parses `4326`, `EPSG:4326`, `wgs84`, `gcj02`, `bd09` (case-insensitive).
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch t {
        case "wgs84", "4326", "epsg:4326", "4490", "epsg:4490", "cgcs2000": self = .wgs84
        // What /collections advertises (OGC API – Features): longitude/latitude on WGS84.
        case "crs84", "ogc:crs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84": self = .wgs84
        case "gcj02", "gcj-02": self = .gcj02
        case "bd09", "bd-09": self = .bd09
        default:
            let digits = t.hasPrefix("epsg:") ? String(t.dropFirst(5)) : t
            guard let code = Int(digits), code > 0 else {
                throw GridwallError(.invalidParameter,
                    "unknown coordinate system \"\(text)\": use an EPSG code (e.g. 4326 or EPSG:32651), gcj02 or bd09",
                    at: "crs")
            }
            self = .epsg(code)
        }
    }

    public var description: String {
        switch self {
        case .wgs84: "EPSG:4326"
        case .gcj02: "GCJ-02"
        case .bd09: "BD-09"
        case .epsg(let c): "EPSG:\(c)"
        }
    }

    /// Converts one position in this system to WGS84, if no PROJ transform is needed.
    public func toWGS84IfChinese(_ c: Coordinate) -> Coordinate? {
        switch self {
        case .wgs84: c
        case .gcj02: ChineseCoordinates.gcj02ToWGS84(c)
        case .bd09: ChineseCoordinates.bd09ToWGS84(c)
        case .epsg: nil
        }
    }

    /// Converts one WGS84 position into this system, if no PROJ transform is needed.
    public func fromWGS84IfChinese(_ c: Coordinate) -> Coordinate? {
        switch self {
        case .wgs84: c
        case .gcj02: ChineseCoordinates.wgs84ToGCJ02(c)
        case .bd09: ChineseCoordinates.wgs84ToBD09(c)
        case .epsg: nil
        }
    }
}
