// The JSON parser against Foundation's JSONSerialization: the same values for random documents
// (escapes, surrogate pairs, every kind of number), and every malformed text refused with the
// byte offset, where Foundation refuses it too.
import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct JSONParserTests {
    /// A random JSON text, with the escapes and number forms a writer may produce.
    func randomText(_ r: inout SeededRandom, depth: Int = 0) -> String {
        switch r.int(0, depth > 3 ? 3 : 5) {
        case 0: return ["true", "false", "null"][r.int(0, 2)]
        case 1:
            let forms = ["0", "-0", "7", "-12", "3.25", "1e3", "-2.5E-3", "6.02e23", "123456789012", "0.1", "1E+2", "9007199254740993"]
            return forms[r.int(0, forms.count - 1)]
        case 2, 3:
            let pieces = ["a", "ü", "中文", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "\\t", " ", "\\u0000", "x y"]
            return "\"" + (0..<r.int(0, 6)).map { _ in pieces[r.int(0, pieces.count - 1)] }.joined() + "\""
        case 4: return "[" + (0..<r.int(0, 4)).map { _ in randomText(&r, depth: depth + 1) }.joined(separator: r.int(0, 1) == 0 ? "," : " , ") + "]"
        default:
            return "{" + (0..<r.int(0, 4)).map { i in "\"k\(i)\" :\n\(randomText(&r, depth: depth + 1))" }.joined(separator: ",") + "}"
        }
    }

    @Test func agreesWithJSONSerializationOnRandomDocuments() throws {
        var r = TestData.random("json-parser")
        for _ in 0..<2_000 {
            let text = " " + randomText(&r) + "\n"
            let ours = try JSONParser.parse(Array(text.utf8))
            let theirs = JSONValue(any: try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
            #expect(ours == theirs, "\(text)")
            // And what we write, we read back.
            #expect(try JSONParser.parse(Array(ours.serialized.utf8)) == ours)
        }
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10",
        "\"\\x\"", "\"\u{01}\"", "\"open", "[1] x", "[1]]", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u12\"",
        "tru", "nul", "True", "NaN", "Infinity", "-Infinity", "'a'", "[1 2]", "{\"a\":1 \"b\":2}",
    ])
    func refusesMalformedText(_ text: String) throws {
        #expect(throws: GridwallError.self) { try JSONParser.parse(Array(text.utf8)) }
        // Foundation forgives trailing commas; RFC 8259 (and this parser) does not.
        guard !["[1,]", "{\"a\":1,}"].contains(text) else { return }
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil, "Foundation takes \(text)")
    }

    /// A UTF-8 byte order mark before the text is skipped (RFC 8259 allows it), nowhere else.
    @Test func aByteOrderMarkFirstIsSkipped() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a":[1]}"#.utf8)) == .object(["a": .array([.number(1)])]))
        #expect(throws: GridwallError.self) { try JSONParser.parse(Array(" ".utf8) + [0xEF, 0xBB, 0xBF] + Array("1".utf8)) }
        #expect(throws: GridwallError.self) { try JSONParser.parse([0xEF, 0xBB, 0xBF]) }
    }

    @Test func refusesWhatFoundationCannotSayWellAndNamesTheByte() throws {
        // Invalid UTF-8, numbers beyond Double, nesting beyond the limit.
        #expect(throws: GridwallError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: GridwallError.self) { try JSONParser.parse(Array("1e999".utf8)) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: GridwallError.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONParser.parse(Array(fine.utf8)) }
        do {
            _ = try JSONParser.parse(Array("{\"id\": 1, \"x\": tru}".utf8))
            Issue.record("parsed")
        } catch let e as GridwallError {
            #expect(e.message.contains("byte 15"), "\(e.message)")
        }
    }
}
