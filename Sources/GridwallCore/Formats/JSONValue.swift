// A JSON value as plain Sendable data, with a writer whose output is deterministic
// (object keys sorted, numbers in Swift's shortest round-trip form) so generated files are
// byte-for-byte reproducible.
import Foundation

/// Any JSON value: feature properties, API bodies.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Converts what `JSONSerialization` returns.
    public init(any value: Any) {
        switch value {
        case let s as String: self = .string(s)
        case let n as NSNumber:
            // JSONSerialization hands booleans over as NSNumber too; their ObjC type is "c" (char).
            if String(cString: n.objCType) == "c" { self = .bool(n.boolValue) } else { self = .number(n.doubleValue) }
        case let a as [Any]: self = .array(a.map(JSONValue.init(any:)))
        case let o as [String: Any]: self = .object(o.mapValues(JSONValue.init(any:)))
        default: self = .null
        }
    }

    /// Parses JSON text.
    public static func parse(_ data: Data, what: String = "JSON") throws -> JSONValue {
        do {
            return try JSONParser.parse(data)
        } catch let e as GridwallError {
            throw GridwallError(.invalidInput, "\(what) is not valid JSON: \(e.message)")
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        default: nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Double(s)
        default: nil
        }
    }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The member `key` of an object, nil for anything else.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// Serialises deterministically.
    public var serialized: String {
        var s = ""
        s.reserveCapacity(1024)
        write(into: &s)
        return s
    }

    /// Appends the value as compact JSON.
    public func write(into s: inout String) {
        switch self {
        case .null: s += "null"
        case .bool(let b): s += b ? "true" : "false"
        case .number(let n): JSONValue.writeNumber(n, into: &s)
        case .string(let str): JSONValue.writeString(str, into: &s)
        case .array(let a):
            s += "["
            for (i, v) in a.enumerated() { if i > 0 { s += "," }; v.write(into: &s) }
            s += "]"
        case .object(let o):
            s += "{"
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { s += "," }
                JSONValue.writeString(k, into: &s); s += ":"; o[k]!.write(into: &s)
            }
            s += "}"
        }
    }

    /// Integers print without a fraction; NaN and infinities (not JSON) print as null.
    public static func writeNumber(_ n: Double, into s: inout String) {
        guard n.isFinite else { s += "null"; return }
        if let whole = wholeNumber(n) { s += String(whole) } else { s += String(n) }
    }

    /// `n` as the integer it is printed as, nil when it prints with a fraction or an exponent
    /// (the rule `writeNumber` and `JSONText.number` share).
    static func wholeNumber(_ n: Double) -> Int64? {
        n == n.rounded() && abs(n) < 1e15 ? Int64(n) : nil
    }

    /// A UTF-8 code unit a JSON string literal may not hold as it is (`writeString` and
    /// `JSONText.string` escape it).
    static func needsEscape(_ c: UInt8) -> Bool {
        c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\")
    }

    /// Appends `str` as a JSON string literal, escaping only what must be.
    public static func writeString(_ str: String, into s: inout String) {
        s += "\""
        // Nearly every string (ids, names, kinds) needs no escaping: append it whole instead of
        // scalar by scalar (the per-scalar loop was a quarter of a /nearest request's time).
        // A native string's bytes are contiguous: a plain loop over them, not the UTF-8 view's iterator.
        let escaping = str.utf8.withContiguousStorageIfAvailable { $0.contains(where: needsEscape) } ?? str.utf8.contains(where: needsEscape)
        guard escaping else {
            s += str
            s += "\""
            return
        }
        for u in str.unicodeScalars {
            switch u {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            case _ where u.value < 0x20: s += String(format: "\\u%04x", u.value)
            default: s.unicodeScalars.append(u)
            }
        }
        s += "\""
    }
}
