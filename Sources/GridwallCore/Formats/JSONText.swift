// JSON written by hand as UTF-8 bytes, for answers made in bulk (a batch of events answers each
// one). Why not a String: each `+=` on a String checks its capacity, uniqueness and ASCII-ness
// and updates its count and breadcrumbs; a batch event's answer is about fifty such appends, and
// the String machinery behind them was a tenth of the server's CPU in batch ingest (perf). The
// text is byte for byte what `JSONValue.write(into:)` gives for the same values.

/// A growing JSON text.
public struct JSONText: Sendable {
    /// The text so far, UTF-8.
    public var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `text` as it is: punctuation, member names, literals.
    @inlinable public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends JSON made before (a fragment kept per area, building, camera).
    @inlinable public mutating func raw(_ fragment: [UInt8]) {
        bytes.append(contentsOf: fragment)
    }

    /// Appends a string literal, escaping only what must be (as `JSONValue.writeString`).
    public mutating func string(_ text: String) {
        var text = text
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8 { u in
            // Nearly every string (ids, names, kinds) needs no escaping: appended whole.
            guard u.contains(where: JSONValue.needsEscape) else { return bytes.append(contentsOf: u) }
            for c in u { JSONText.appendEscaped(c, to: &bytes) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a number: integers without a fraction, NaN and infinities (not JSON) as null.
    public mutating func number(_ n: Double) {
        guard n.isFinite else { return raw("null") }
        guard let whole = JSONValue.wholeNumber(n) else {
            var text = n.description
            return text.withUTF8 { bytes.append(contentsOf: $0) }
        }
        integer(whole)
    }

    /// Appends an integer's decimal digits.
    public mutating func integer(_ n: Int64) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        // At most 19 digits, written backwards into a fixed buffer, then appended in order.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var at = digits.count
            repeat {
                at -= 1
                digits[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[at...]))
        }
    }

    /// The text as a String.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends `c` escaped as `JSONValue.writeString` escapes it (other bytes as they are).
    static func appendEscaped(_ c: UInt8, to out: inout [UInt8]) {
        switch c {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case ..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(c >> 4)], hex[Int(c & 15)]]
        default: out.append(c)
        }
    }
}
