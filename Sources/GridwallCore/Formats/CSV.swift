// CSV rows (RFC 4180: commas, double-quoted fields with "" escapes) and the coordinate columns
// Gridwall recognises in a header.

/// RFC 4180 CSV fields and the coordinate columns of a header.
public enum CSV {
    /// Splits one line into fields. Quoted fields may hold commas and doubled quotes.
    /// (A quoted field spanning lines is not supported: rows are lines, so errors name a line.)
    ///
    ///     try CSV.fields(of: #"a,"b,c",1"#)   // ["a", "b,c", "1"]
    public static func fields(of line: Substring) throws -> [String] {
        var out: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var it = line.unicodeScalars.makeIterator()
        while let u = it.next() {
            if inQuotes {
                if u == "\"" { inQuotes = false; afterQuote = true } else { field.unicodeScalars.append(u) }
            } else if u == "," {
                out.append(field); field = ""; afterQuote = false
            } else if u == "\"" {
                if afterQuote { field.append("\""); inQuotes = true; afterQuote = false }
                else if field.isEmpty { inQuotes = true }
                else { throw GridwallError(.invalidInput, "a quote inside an unquoted field") }
            } else if u == "\r" {
                continue
            } else {
                field.unicodeScalars.append(u); afterQuote = false
            }
        }
        guard !inQuotes else { throw GridwallError(.invalidInput, "unterminated quoted field") }
        out.append(field)
        return out
    }

    /// The fields of one CSV line (quotes and doubled quotes handled).
    public static func fields(of line: String) throws -> [String] { try fields(of: line[...]) }

    /// The text of a file as UTF-8, without the byte order mark spreadsheets put first (Excel's
    /// "CSV UTF-8": left in, it would be part of the first column's name). Text in another
    /// encoding (GB18030 is what Chinese Windows saves by default) is an error that says how to
    /// convert it, naming `file`.
    public static func text(_ data: Data, file: String) throws -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw GridwallError(.invalidInput, "the file is not UTF-8 text; save it as CSV UTF-8, or convert it: iconv -f GB18030 -t UTF-8 \(file) > utf8.csv",
                                at: file)
        }
        return text
    }

    /// The column indices of longitude and latitude: lon/lat, lng/lat, longitude/latitude or x/y
    /// (case-insensitive), or nil when the header names none of these pairs.
    public static func coordinateColumns(_ header: [String]) -> (lon: Int, lat: Int)? {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (x, y) in [("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("x", "y")] {
            if let i = names.firstIndex(of: x), let j = names.firstIndex(of: y) { return (i, j) }
        }
        return nil
    }
}

import Foundation
