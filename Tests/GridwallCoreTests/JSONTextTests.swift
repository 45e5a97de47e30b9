// JSONText writes what JSONValue writes, byte for byte: strings with every character that must
// be escaped (and non-ASCII ones that must not), and numbers at the edges of their two forms.
import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct JSONTextTests {
    @Test func stringsAreEscapedAsJSONValueEscapesThem() throws {
        var r = TestData.random("json-text-strings")
        // Control characters, quotes, backslashes, ASCII, two- to four-byte characters.
        let pieces = (0..<32).map { String(UnicodeScalar(UInt8($0))) } + ["\"", "\\", "/", "a", "Z", " ", "é", "街", "道", "😀", "\u{7f}"]
        var checked = 0
        for length in [0, 1, 2, 5, 40] {
            for _ in 0..<300 {
                let s = (0..<length).map { _ in pieces[r.int(0, pieces.count - 1)] }.joined()
                var text = JSONText()
                text.string(s)
                #expect(text.text == JSONValue.string(s).serialized, "\(Array(s.utf8))")
                #expect(try JSONValue.parse(Data(text.bytes)) == .string(s))
                checked += 1
            }
        }
        #expect(checked == 1_500)
    }

    @Test func numbersAreWrittenAsJSONValueWritesThem() {
        var r = TestData.random("json-text-numbers")
        var numbers: [Double] = [0, -0.0, 1, -1, 9, 10, 99, 100, 120.1596, 30.2424, -120.1596, 1e15 - 1, 1e15, -1e15, 1e15 + 2, 1e300, 5e-324,
                                 Double(Int64.max), Double(Int64.min), .nan, .infinity, -.infinity, 0.1, 123456789.5]
        for _ in 0..<2_000 { numbers.append((r.unit() - 0.5) * pow10(r.int(-8, 18))) }
        for _ in 0..<500 { numbers.append(Double(r.int(-1_000_000_000, 1_000_000_000))) }
        for n in numbers {
            var text = JSONText()
            text.number(n)
            #expect(text.text == JSONValue.number(n).serialized, "\(n)")
        }
        for n: Int64 in [0, 7, -7, 1_000_000, Int64.max, Int64.min, Int64.min + 1] {
            var text = JSONText()
            text.integer(n)
            #expect(text.text == String(n))
        }
    }

    @Test func rawPiecesAppendAsGiven() {
        var text = JSONText(capacity: 0)
        text.raw("{\"a\":")
        text.raw(Array("[1,2]".utf8))
        text.raw("}")
        #expect(text.text == #"{"a":[1,2]}"#)
    }

    func pow10(_ k: Int) -> Double { (0..<abs(k)).reduce(1.0) { p, _ in k < 0 ? p / 10 : p * 10 } }
}
