// A strict RFC 8259 parser straight into JSONValue. Foundation's JSONSerialization builds
// NSDictionary/NSNumber objects that must then be converted; on live ingest that was a fifth of
// the server's time. This one reads the bytes once: no intermediate objects, strings without
// escapes made from their bytes directly, a depth limit (hostile bodies nest deeply), numbers
// that must be finite, and errors that give the byte offset.

/// Parses JSON text into a `JSONValue`.
public struct JSONParser {
    /// Arrays and objects nested deeper than this are refused.
    public static let maximumDepth = 512

    /// Parses `bytes` (one value, surrounded by whitespace at most).
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in Result { try parse(buffer: buffer) } }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { try parse(buffer: $0) }
    }

    static func parse(buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var p = JSONParser(bytes: buffer)
        // A UTF-8 byte order mark before the text is ignored (RFC 8259 §8.1 allows it; editors
        // on Windows write one).
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { p.at = 3 }
        p.skipWhitespace()
        let value = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.at == buffer.count else { throw p.failure("unexpected text after the value") }
        return value
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var at = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// An error naming what and the byte offset.
    private func failure(_ what: String) -> GridwallError {
        if at >= bytes.count { return GridwallError(.invalidInput, "\(what): the text ends at byte \(at)") }
        let c = bytes[at]
        let shown = c >= 0x20 && c < 0x7f ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        return GridwallError(.invalidInput, "\(what): found \(shown) at byte \(at)")
    }

    private mutating func skipWhitespace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x09, 0x0A, 0x0D: at += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard at < bytes.count else { throw failure("expected a value") }
        switch bytes[at] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard at + n <= bytes.count else { throw failure("expected \(word)") }
        for i in 0..<n where bytes[at + i] != word.utf8Start[i] { throw failure("expected \(word)") }
        at += n
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        at += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if at < bytes.count && bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let key = try string()
            skipWhitespace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw failure("expected ':' after a member name") }
            at += 1
            skipWhitespace()
            members[key] = try value(depth: depth)
            skipWhitespace()
            guard at < bytes.count else { throw failure("expected ',' or '}'") }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        at += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if at < bytes.count && bytes[at] == UInt8(ascii: "]") { at += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard at < bytes.count else { throw failure("expected ',' or ']'") }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(elements) }
            throw failure("expected ',' or ']'")
        }
    }

    private mutating func string() throws -> String {
        at += 1
        let start = at
        var bits: UInt8 = 0   // every byte or'ed: below 0x80 when the string is ASCII
        // The common case: no escape, so the text is the bytes themselves (validated as UTF-8).
        while at < bytes.count {
            let c = bytes[at]
            if c == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<at])
                at += 1
                // ASCII is UTF-8 as it is, and `String(decoding:)` takes it without the generic
                // `String(validating:)`, whose metadata lookups were a tenth of parsing a batch (perf).
                if bits < 0x80 { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                return text
            }
            if c == UInt8(ascii: "\\") { break }
            guard c >= 0x20 else { throw failure("a control character in a string must be escaped") }
            bits |= c
            at += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
        while true {
            guard at < bytes.count else { throw failure("a string is not closed") }
            let c = bytes[at]
            if c == UInt8(ascii: "\"") {
                at += 1
                guard let text = String(validating: out, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                return text
            }
            guard c >= 0x20 else { throw failure("a control character in a string must be escaped") }
            guard c == UInt8(ascii: "\\") else { out.append(c); at += 1; continue }
            at += 1
            guard at < bytes.count else { throw failure("a string is not closed") }
            let e = bytes[at]
            at += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                        throw failure("a lone surrogate in a \\u escape")
                    }
                    at += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("a lone surrogate in a \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure("a lone surrogate in a \\u escape")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                at -= 1
                throw failure("an unknown escape in a string")
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw failure("expected four hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[at]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw failure("expected four hex digits after \\u")
            }
            v = v * 16 + UInt32(d)
            at += 1
        }
        return v
    }

    private mutating func number() throws -> Double {
        let start = at
        func digits() -> Int {
            let from = at
            while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) { at += 1 }
            return at - from
        }
        if bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard at < bytes.count else { throw failure("expected digits") }
        if bytes[at] == UInt8(ascii: "0") {
            at += 1
        } else {
            guard digits() > 0 else { throw failure("expected digits") }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digits() > 0 else { throw failure("expected digits after the decimal point") }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { throw failure("expected digits in the exponent") }
        }
        // The grammar above has checked the text; Double's parser rounds it correctly.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        guard let v = Double(text), v.isFinite else {
            at = start
            throw failure("a number out of range")
        }
        return v
    }
}

extension JSONParser {
    /// Reads `buffer` when it is a non-empty array of flat objects, or one flat object alone
    /// (`lone`): every member's name among `keys` (each at most once per object) and every value
    /// a string or a number. Returns the values by object and key position (`keys.count` slots
    /// per object, nil where a member is absent); nil for anything else, malformed text
    /// included: the caller then parses the general way, which also words the errors.
    ///
    /// Why: a batch of live events is such an array; reading it into a dictionary per event,
    /// and looking each field up again by hash, was a fifth of a batch's time. The grammar is
    /// this parser's own (same strings, same numbers), so the values are the ones `parse` gives.
    public static func flatObjects(_ buffer: UnsafeBufferPointer<UInt8>, keys: [String]) -> (values: [JSONValue?], lone: Bool)? {
        var p = JSONParser(bytes: buffer)
        return try? p.flatObjects(keys: keys)
    }

    /// Thrown inside `flatObjects` for a shape it does not read.
    private struct NotFlat: Error {}

    private mutating func flatObjects(keys: [String]) throws -> (values: [JSONValue?], lone: Bool) {
        skipWhitespace()
        guard at < bytes.count else { throw NotFlat() }
        let lone = bytes[at] == UInt8(ascii: "{")
        if !lone {
            guard bytes[at] == UInt8(ascii: "[") else { throw NotFlat() }
            at += 1
        }
        var values: [JSONValue?] = []
        while true {
            skipWhitespace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "{") else { throw NotFlat() }
            at += 1
            let first = values.count
            values.append(contentsOf: repeatElement(nil, count: keys.count))
            skipWhitespace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1 } else {
                while true {
                    skipWhitespace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw NotFlat() }
                    let key = try string()
                    guard let slot = keys.firstIndex(of: key), values[first + slot] == nil else { throw NotFlat() }
                    skipWhitespace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw NotFlat() }
                    at += 1
                    skipWhitespace()
                    guard at < bytes.count else { throw NotFlat() }
                    switch bytes[at] {
                    case UInt8(ascii: "\""): values[first + slot] = .string(try string())
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): values[first + slot] = .number(try number())
                    default: throw NotFlat()
                    }
                    skipWhitespace()
                    guard at < bytes.count else { throw NotFlat() }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    guard bytes[at] == UInt8(ascii: "}") else { throw NotFlat() }
                    at += 1
                    break
                }
            }
            skipWhitespace()
            if lone {
                guard at == bytes.count else { throw NotFlat() }
                return (values, true)
            }
            guard at < bytes.count else { throw NotFlat() }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            guard bytes[at] == UInt8(ascii: "]") else { throw NotFlat() }
            at += 1
            skipWhitespace()
            guard at == bytes.count else { throw NotFlat() }
            return (values, false)
        }
    }
}
