import ArgumentParser
import Foundation
import GridwallBatch
import GridwallCore
import GridwallStore

struct Assign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assign every point of a CSV, NDJSON or GeoJSON file to its grid, community, street, district and building.",
        discussion: """
            Writes every input row, in input order, with the columns \(AssignmentColumns.names.joined(separator: ", ")).
            placement is inside, boundary (on its grid's edge, assigned by the shared-edge rule) or outside
            (then nearest_grid_id and distance_m say where the nearest grid is). CSV needs a header naming
            lon/lat, longitude/latitude or x/y columns. Prints "assigned N points in T s (R points/s)" on stderr.
            """)

    @Argument(help: "The input file (.csv, .ndjson/.jsonl or .geojson).") var file: String
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Output format: csv, ndjson or geojson (default: the input's).") var format: String?
    @Option(help: "Input format when the extension does not tell: csv, ndjson or geojson.") var inputFormat: String?
    @Option(help: "Unreadable rows: fail (stop at the first, exit 1) or skip (report them and go on).") var onError = "fail"
    @Option(help: "The store whose layers to assign against.") var store = "gridwall.sqlite"
    @Option(help: "Worker threads (default: all cores).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Coordinate system of the input points: wgs84 (default), gcj02 or bd09 (Chinese web maps); converted to WGS84 before assignment.")
    var crs = "wgs84"
    @Flag(help: "Also write each point in WGS84: lon_wgs84 and lat_wgs84 columns (CSV) or properties (JSON); GeoJSON geometries in WGS84.")
    var withWgs84 = false

    func validate() throws {
        guard ["fail", "skip"].contains(onError) else { throw ValidationError("--on-error must be fail or skip") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        try await Terminal.reportingErrors {
            let input = try inputFormat.map(Self.format) ?? BatchFormat.guess(file).orThrow(
                GridwallError(.invalidParameter, "cannot tell the input format from \"\(file)\"; use --input-format", at: "FILE"))
            var options = BatchOptions(input: input, output: try format.map(Self.format) ?? input)
            options.skipBadRows = onError == "skip"
            options.threads = threads
            options.crs = try CoordinateSystem(parsing: crs)
            options.addWGS84 = withWgs84
            let geoStore = try GeoStore(path: store)
            guard try geoStore.layerSummaries().first(where: { $0.name == "areas" })?.count ?? 0 > 0 else {
                throw GridwallError(.notFound, "the store has no areas; run `gridwall serve` once (it loads geodata/) or `gridwall import areas FILE`", at: store)
            }
            let engine = try geoStore.assignmentEngine()
            let report = try BatchAssigner(engine: engine).run(input: file, output: out, options: options)
            for line in report.problems { Terminal.note("skipped \(line)") }
            if report.skipped > report.problems.count { Terminal.note("skipped \(report.skipped - report.problems.count) more rows") }
            let rate = report.seconds > 0 ? Double(report.rows) / report.seconds : 0
            Terminal.note("assigned \(report.rows) points in \(String(format: "%.3f", report.seconds)) s (\(Int(rate)) points/s)"
                          + (report.skipped > 0 ? ", \(report.skipped) rows skipped" : ""))
        }
    }

    static func format(_ text: String) throws -> BatchFormat {
        guard let f = BatchFormat(rawValue: text.lowercased()) else {
            throw GridwallError(.invalidParameter, "unknown format \"\(text)\"; use csv, ndjson or geojson", at: "--format")
        }
        return f
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
