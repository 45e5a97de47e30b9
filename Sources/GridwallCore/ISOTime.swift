// ISO 8601 UTC timestamps to and from Unix seconds, without a formatter or a locale:
// days-from-civil after H. Hinnant's "chrono-Compatible Low-Level Date Algorithms".

/// ISO 8601 times to Unix seconds and back, without Foundation's formatters (UTC out).
public enum ISOTime {
    /// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
    ///
    ///     ISOTime.format(0)   // "1970-01-01T00:00:00Z"
    public static func format(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        let (y, m, d) = civil(fromDays: days)
        guard (0...9999).contains(y) else {
            func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
            return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
        }
        // Digits written into the string's own storage: every stored, streamed and answered
        // event formats its time, and interpolating six pieces cost more than the rest of it.
        return String(unsafeUninitializedCapacity: 20) { b in
            func two(_ v: Int64, at i: Int) { b[i] = UInt8(48 + v / 10); b[i + 1] = UInt8(48 + v % 10) }
            two(y / 100, at: 0); two(y % 100, at: 2); b[4] = 45; two(m, at: 5); b[7] = 45; two(d, at: 8)
            b[10] = 84; two(rest / 3600, at: 11); b[13] = 58; two(rest / 60 % 60, at: 14); b[16] = 58; two(rest % 60, at: 17)
            b[19] = 90
            return 20
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `±HH:MM` (none means UTC).
    /// The times events may carry: 1900-01-01 up to 2199-12-31 (Unix seconds). Beyond, the
    /// text form would not have four-digit years, and no report of a live event is that far off.
    public static let acceptedRange: ClosedRange<Double> = -2_208_988_800 ... 7_258_118_399

    public static func parse(_ text: String) -> Double? {
        // The string's own bytes (no copy for a native string): serve's start parses one time
        // per stored event.
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    static func parse(utf8 u: UnsafeBufferPointer<UInt8>) -> Double? {
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= u.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + count) {
                guard u[i] >= 48 && u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard u.count >= 10, let y = num(0, 4), u[4] == 45, let mo = num(5, 2), u[7] == 45, let d = num(8, 2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var seconds = Double(days(fromCivil: y, mo, d) * 86400)
        var i = 10
        if i < u.count && (u[i] == 84 || u[i] == 32) {   // 'T' or ' '
            guard let h = num(i + 1, 2), u.count > i + 3, u[i + 3] == 58, let mi = num(i + 4, 2), h < 24, mi < 60 else { return nil }
            seconds += Double(h * 3600 + mi * 60)
            i += 6
            if i < u.count && u[i] == 58 {
                guard let s = num(i + 1, 2), s < 61 else { return nil }
                seconds += Double(s)
                i += 3
                if i < u.count && u[i] == 46 {   // fraction
                    var scale = 0.1
                    i += 1
                    while i < u.count, u[i] >= 48, u[i] <= 57 { seconds += Double(u[i] - 48) * scale; scale /= 10; i += 1 }
                }
            }
        }
        if i == u.count { return seconds }
        if u[i] == 90 && i + 1 == u.count { return seconds }   // 'Z'
        if (u[i] == 43 || u[i] == 45), let oh = num(i + 1, 2), u.count == i + 6, u[i + 3] == 58, let om = num(i + 4, 2) {
            let offset = Double(oh * 3600 + om * 60)
            return u[i] == 43 ? seconds - offset : seconds + offset
        }
        return nil
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
