// `gridwall assign`: streams a file of points through the assignment engine, chunk by chunk,
// every chunk split across all cores, rows written in input order. Input is read in 8 MB
// blocks, so any size of CSV or NDJSON goes through in bounded memory (GeoJSON, one JSON
// document, is read whole: use CSV or NDJSON for very large inputs).
import Dispatch
import Foundation
import GridwallCore

/// A point file format `gridwall assign` reads and writes.
public enum BatchFormat: String, Sendable, CaseIterable {
    case csv, ndjson, geojson

    /// The format a file name's extension implies, if any.
    public static func guess(_ path: String) -> BatchFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv", "txt": .csv
        case "ndjson", "jsonl", "geojsonl", "geojsons": .ndjson
        case "geojson", "json": .geojson
        default: nil
        }
    }
}

/// How a batch assignment reads, writes and treats bad rows.
public struct BatchOptions: Sendable {
    public var input: BatchFormat
    public var output: BatchFormat
    /// Skip unreadable rows (reported on stderr) instead of stopping at the first.
    public var skipBadRows = false
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var chunkBytes = 8 << 20
    /// The coordinate system of the input points: WGS84, GCJ-02 or BD-09 (converted to WGS84
    /// before assignment; most Chinese web-map data is GCJ-02, hundreds of metres off WGS84).
    public var crs: CoordinateSystem = .wgs84
    /// Also write each point in WGS84: `lon_wgs84`, `lat_wgs84` columns (CSV) or properties
    /// (JSON), and GeoJSON geometries in WGS84 instead of the input's coordinates.
    public var addWGS84 = false
    /// Options reading `input` and writing `output`, failing on the first bad row.
    public init(input: BatchFormat, output: BatchFormat) { self.input = input; self.output = output }

    /// The point as the engine wants it (WGS84).
    @inline(__always)
    func wgs84(_ p: Coordinate) -> Coordinate { crs == .wgs84 ? p : crs.toWGS84IfChinese(p) ?? p }
}

/// What a batch assignment did: rows written, rows skipped with the first problems, seconds taken.
public struct BatchReport: Sendable {
    public var rows = 0
    public var skipped = 0
    /// The first problems, each "line N: message" (or "feature N: …").
    public var problems: [String] = []
    public var seconds = 0.0
}

/// Per-part results, each written by one worker. The slots are raw memory, written through a
/// buffer pointer: workers touching distinct elements of one allocation do not race, whereas
/// writing `array[p]` from several threads mutates one shared Swift array value (a data race by
/// Swift's rules, whatever elements are touched).
private final class PartResults<T>: @unchecked Sendable {
    // @unchecked: element p is written only by worker p, and read only after every worker ended.
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ part: Int, _ value: T) { slots[part] = value }

    /// Every part's result, in part order (each part must have been set).
    var all: [T] { slots.map { $0! } }
}

/// File-to-file point assignment, streaming in chunks, parts on all cores, output in input order.
public struct BatchAssigner: Sendable {
    public let engine: AssignmentEngine
    let columns: CSVColumnWriter
    public static let listedProblems = 20

    /// An assigner over `engine`.
    public init(engine: AssignmentEngine) {
        self.engine = engine
        columns = CSVColumnWriter(engine: engine)
    }

    /// Reads `input`, writes to `output` (stdout when nil; a file is written under a temporary
    /// name and renamed when complete, so a failed run leaves no half file).
    public func run(input path: String, output: String?, options: BatchOptions) throws -> BatchReport {
        guard let reader = FileHandle(forReadingAtPath: path) else { throw GridwallError(.io, "cannot open the input", at: path) }
        defer { try? reader.close() }
        guard options.crs.toWGS84IfChinese(Coordinate(120, 30)) != nil else {
            throw GridwallError(.invalidParameter, "points must be in wgs84, gcj02 or bd09 here; reproject others first (gridwall import takes any EPSG code)", at: "--crs")
        }
        if options.input == .geojson && options.output == .csv || options.input == .ndjson && options.output == .csv {
            throw GridwallError(.invalidParameter, "CSV output needs CSV input; write ndjson or geojson instead", at: "--format")
        }
        let temporary = output.map { $0 + ".partial-\(ProcessInfo.processInfo.processIdentifier)" }
        let writer: FileHandle
        if let temporary {
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let w = FileHandle(forWritingAtPath: temporary) else {
                throw GridwallError(.io, "cannot create the output", at: output)
            }
            writer = w
        } else {
            writer = FileHandle.standardOutput
        }
        let started = DispatchTime.now()
        var report = BatchReport()
        do {
            var sink = Sink(writer: writer, format: options.output)
            switch options.input {
            case .geojson: try runGeoJSON(reader, path: path, options: options, sink: &sink, report: &report)
            case .csv, .ndjson: try runLines(reader, options: options, sink: &sink, report: &report)
            }
            try sink.finish()
            if let temporary, let output {
                try writer.close()
                _ = try? FileManager.default.removeItem(atPath: output)
                try FileManager.default.moveItem(atPath: temporary, toPath: output)
            }
        } catch {
            if let temporary { try? writer.close(); try? FileManager.default.removeItem(atPath: temporary) }
            throw error
        }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return report
    }

    /// Buffered output with the framing of each format.
    struct Sink {
        let writer: FileHandle
        let format: BatchFormat
        var wroteFeature = false
        var buffer: [UInt8] = []

        init(writer: FileHandle, format: BatchFormat) {
            self.writer = writer
            self.format = format
            if format == .geojson { buffer.append(contentsOf: Array(#"{"type":"FeatureCollection","features":["#.utf8)) }
        }

        /// Appends rows; for GeoJSON each row arrives as ",\n{feature}" and the first comma is dropped.
        mutating func write(_ bytes: [UInt8]) throws {
            if format == .geojson && !wroteFeature && !bytes.isEmpty {
                buffer.append(contentsOf: bytes.dropFirst())
                wroteFeature = true
            } else {
                buffer.append(contentsOf: bytes)
            }
            if buffer.count > 4 << 20 { try flush() }
        }

        mutating func flush() throws {
            guard !buffer.isEmpty else { return }
            try writer.write(contentsOf: Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }

        mutating func finish() throws {
            if format == .geojson { buffer.append(contentsOf: Array("\n]}\n".utf8)) }
            try flush()
        }
    }

    /// Splits `count` items into one part per thread; `body(range, &out, &problems)` fills a part.
    func inParts(_ count: Int, threads: Int, _ body: @Sendable (Range<Int>, inout [UInt8], inout [(Int, String)]) -> Void)
        -> [(bytes: [UInt8], problems: [(Int, String)])] {
        // Small inputs stay on one thread: spawning costs more than it saves.
        let parts = count < 4096 ? 1 : max(1, threads)
        let results = PartResults<(bytes: [UInt8], problems: [(Int, String)])>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let range = (count * p / parts)..<(count * (p + 1) / parts)
            var out: [UInt8] = []
            out.reserveCapacity(range.count * 120)
            var problems: [(Int, String)] = []
            body(range, &out, &problems)
            results.set(p, (out, problems))
        }
        return results.all
    }

    /// Collects a part's problems; in fail mode the first problem stops the run.
    func absorb(_ problems: [(Int, String)], label: String, options: BatchOptions, report: inout BatchReport) throws {
        guard !problems.isEmpty else { return }
        if !options.skipBadRows {
            let (n, message) = problems[0]
            throw GridwallError(.invalidInput, message + " (--on-error skip skips unreadable rows)", at: "\(label) \(n)")
        }
        report.skipped += problems.count
        for (n, message) in problems where report.problems.count < Self.listedProblems {
            report.problems.append("\(label) \(n): \(message)")
        }
    }

    // MARK: CSV and NDJSON

    func runLines(_ reader: FileHandle, options: BatchOptions, sink: inout Sink, report: inout BatchReport) throws {
        var pending: [UInt8] = []
        var nextLine = 1
        var header: CSVHeader?
        while true {
            let block = try reader.read(upToCount: options.chunkBytes) ?? Data()
            let atEnd = block.isEmpty
            pending.append(contentsOf: block)
            // Only whole lines are processed; the tail waits for the next block.
            var cut = pending.count
            if !atEnd {
                guard let lastNewline = pending.lastIndex(of: 10) else { continue }
                cut = lastNewline + 1
            }
            var lines: [Range<Int>] = []
            var start = 0
            for i in 0..<cut where pending[i] == 10 { lines.append(start..<i); start = i + 1 }
            if start < cut { lines.append(start..<cut) }
            if options.input == .csv && header == nil, let first = lines.first {
                header = try CSVHeader(String(decoding: pending[first], as: UTF8.self))
                if options.output == .csv {
                    let added = AssignmentColumns.names + (options.addWGS84 ? ["lon_wgs84", "lat_wgs84"] : [])
                    try sink.write(Array((header!.line + "," + added.joined(separator: ",") + "\n").utf8))
                }
                lines.removeFirst()
                nextLine += 1
            }
            let chunk = pending[0..<cut].withUnsafeBufferPointer { Array($0) }
            let firstLine = nextLine
            let engine = self.engine, columns = self.columns, fixedHeader = header, input = options.input
            let lineRanges = lines
            let results = chunk.withUnsafeBufferPointer { all in
                // Safe: the buffer outlives concurrentPerform, which returns only when every part is done.
                nonisolated(unsafe) let all = all
                return inParts(lineRanges.count, threads: options.threads) { range, out, problems in
                    for k in range {
                        let line = UnsafeBufferPointer(rebasing: all[lineRanges[k]])
                        if line.isEmpty || (line.count == 1 && line[0] == 13) { continue }   // blank line
                        do throws(RowError) {
                            if input == .csv {
                                try Self.csvRow(line, header: fixedHeader!, options: options, engine: engine, columns: columns, into: &out)
                            } else {
                                try Self.ndjsonRow(line, options: options, engine: engine, into: &out)
                            }
                        } catch {
                            problems.append((firstLine + k, error.message))
                        }
                    }
                }
            }
            for r in results {
                try absorb(r.problems, label: "line", options: options, report: &report)
                try sink.write(r.bytes)
            }
            let blank = lines.filter { $0.isEmpty || ($0.count == 1 && pending[$0.lowerBound] == 13) }.count
            report.rows += lines.count - blank
            nextLine += lines.count
            pending.removeFirst(cut)
            if atEnd { break }
        }
        report.rows -= report.skipped
    }

    struct CSVHeader: Sendable {
        let line: String
        let names: [String]
        let lon: Int, lat: Int

        init(_ text: String) throws {
            line = text.hasSuffix("\r") ? String(text.dropLast()) : text
            // A spreadsheet's byte order mark stays in the copied header line, not in the names.
            names = try CSV.fields(of: line.hasPrefix("\u{FEFF}") ? line.dropFirst() : line[...])
            guard let (x, y) = CSV.coordinateColumns(names) else {
                throw GridwallError(.invalidInput, "the header names no coordinate columns; name them lon and lat, longitude and latitude, or x and y", at: "line 1")
            }
            lon = x; lat = y
        }
    }

    static func csvRow(_ line: UnsafeBufferPointer<UInt8>, header: CSVHeader, options: BatchOptions,
                       engine: AssignmentEngine, columns: CSVColumnWriter, into out: inout [UInt8]) throws(RowError) {
        let given = try RowParsing.csvPoint(line, lon: header.lon, lat: header.lat, fieldCount: header.names.count)
        let p = options.wgs84(given)
        let a = engine.assign(x: p.x, y: p.y)
        var body = line.count
        if body > 0 && line[body - 1] == 13 { body -= 1 }
        switch options.output {
        case .csv:
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<body]))
            columns.append(a, to: &out)
            if options.addWGS84 {
                out.append(contentsOf: ",\(GeoJSON.formatFixed(p.x, decimals: 9)),\(GeoJSON.formatFixed(p.y, decimals: 9))".utf8)
            }
            out.append(10)
        case .ndjson, .geojson:
            let fields = (try? CSV.fields(of: String(decoding: UnsafeBufferPointer(rebasing: line[0..<body]), as: UTF8.self))) ?? []
            var properties: [String: JSONValue] = [:]
            for (name, value) in zip(header.names, fields) { properties[name] = .string(value) }
            appendJSON(properties: properties, given: given, wgs84: p, assignment: a, options: options, engine: engine, into: &out)
        }
    }

    static func ndjsonRow(_ line: UnsafeBufferPointer<UInt8>, options: BatchOptions, engine: AssignmentEngine,
                          into out: inout [UInt8]) throws(RowError) {
        let value: JSONValue
        do { value = try JSONValue.parse(Data(line), what: "the row") } catch { throw RowError(message: "\(error)") }
        let given = try RowParsing.jsonPoint(value)
        let p = options.wgs84(given)
        let a = engine.assign(x: p.x, y: p.y)
        var properties = value["properties"]?.objectValue ?? (value["type"]?.stringValue == "Feature" ? [:] : value.objectValue ?? [:])
        if value["type"]?.stringValue == "Feature", let id = value["id"] { properties["id"] = properties["id"] ?? id }
        appendJSON(properties: properties, given: given, wgs84: p, assignment: a, options: options, engine: engine, into: &out)
    }

    /// One JSON row: the input's properties with the assignment's; the point as given, or in
    /// WGS84 (with `lon_wgs84`/`lat_wgs84`) when `addWGS84` asks for it.
    static func appendJSON(properties: [String: JSONValue], given: Coordinate, wgs84: Coordinate, assignment: PointAssignment,
                           options: BatchOptions, engine: AssignmentEngine, into out: inout [UInt8]) {
        var merged = properties
        for (k, v) in AssignmentColumns.json(assignment, engine: engine) { merged[k] = v }
        if options.addWGS84 { merged["lon_wgs84"] = .number(wgs84.x); merged["lat_wgs84"] = .number(wgs84.y) }
        var s = ""
        if options.output == .geojson {
            s += ",\n"
            GeoJSON.write(Feature(geometry: .point(options.addWGS84 ? wgs84 : given), properties: merged), into: &s)
        } else {
            JSONValue.object(merged).write(into: &s)
            s += "\n"
        }
        out.append(contentsOf: s.utf8)
    }

    // MARK: GeoJSON

    func runGeoJSON(_ reader: FileHandle, path: String, options: BatchOptions, sink: inout Sink, report: inout BatchReport) throws {
        let value = try JSONValue.parse(try reader.readToEnd() ?? Data(), what: path)
        guard let features = value["features"]?.arrayValue else {
            throw GridwallError(.invalidInput, "expected a GeoJSON FeatureCollection", at: path)
        }
        let engine = self.engine
        let results = inParts(features.count, threads: options.threads) { range, out, problems in
            for k in range {
                do throws(RowError) {
                    let f = features[k]
                    let given = try RowParsing.jsonPoint(f)
                    let p = options.wgs84(given)
                    var properties = f["properties"]?.objectValue ?? [:]
                    if let id = f["id"], properties["id"] == nil { properties["id"] = id }
                    Self.appendJSON(properties: properties, given: given, wgs84: p, assignment: engine.assign(x: p.x, y: p.y),
                                    options: options, engine: engine, into: &out)
                } catch {
                    problems.append((k + 1, error.message))
                }
            }
        }
        for r in results {
            try absorb(r.problems, label: "feature", options: options, report: &report)
            try sink.write(r.bytes)
        }
        report.rows = features.count - report.skipped
    }
}
