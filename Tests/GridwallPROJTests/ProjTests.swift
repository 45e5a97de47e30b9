import Foundation
import Testing
import GridwallCore
import GridwallPROJ
import GridwallTestSupport

@Suite struct ProjTests {
    /// Runs PROJ's own command-line tool, an independent path through the EPSG database.
    func cs2cs(_ from: String, _ to: String, _ points: [Coordinate]) throws -> [Coordinate] {
        let tool = try #require(TestData.tool("cs2cs"), "cs2cs not installed (apt-get install proj-bin)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        // -f: full precision; lon/lat order in and out, whatever the CRS's axis order is.
        process.arguments = ["-f", "%.9f", from, to]
        process.environment = ["PROJ_NETWORK": "OFF"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // cs2cs reads and writes in the CRS's declared axis order; EPSG:4326 is lat/lon.
        let text = points.map { "\($0.y) \($0.x)" }.joined(separator: "\n") + "\n"
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let v = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            return Coordinate(v[0], v[1])
        }
    }

    @Test(.enabled(if: TestData.tool("cs2cs") != nil, "needs proj-bin"), arguments: [32651, 4549, 3857, 4547])
    func transformsAgreeWithCs2cs(_ epsg: Int) throws {
        var rng = TestData.random("proj \(epsg)")
        let points = (0..<50).map { _ in Coordinate(rng.uniform(120.1, 120.35), rng.uniform(30.2, 30.4)) }
        let t = try ProjTransformer(fromEPSG: 4326, toEPSG: epsg)
        var ours = points
        try t.forward(&ours)
        let reference = try cs2cs("EPSG:4326", "EPSG:\(epsg)", points)
        #expect(reference.count == points.count)
        // Projected CRSs with easting first (all of these but 4549/4547, which are northing first).
        let eastingFirst = epsg == 32651 || epsg == 3857
        for (o, r) in zip(ours, reference) {
            let e = eastingFirst ? r.x : r.y, n = eastingFirst ? r.y : r.x
            #expect(abs(o.x - e) < 1e-3 && abs(o.y - n) < 1e-3, "EPSG:\(epsg): ours \(o), cs2cs (\(e), \(n))")
        }
        // And back.
        var back = ours
        try t.inverse(&back)
        for (b, p) in zip(back, points) { #expect(abs(b.x - p.x) < 1e-9 && abs(b.y - p.y) < 1e-9) }
    }

    @Test func knownValues() throws {
        let utm = try ProjTransformer(fromEPSG: 4326, toEPSG: 32651).forward(Coordinate(120.2, 30.27))
        #expect(abs(utm.x - 230627.399) < 1e-3 && abs(utm.y - 3352023.651) < 1e-3)
        let gk = try ProjTransformer(fromEPSG: 4326, toEPSG: 4549).forward(Coordinate(120.2, 30.27))
        #expect(abs(gk.x - 519244.823) < 1e-3 && abs(gk.y - 3350061.104) < 1e-3)
    }

    @Test func unknownCRSIsAClearError() {
        #expect(throws: GridwallError.self) { try ProjTransformer(fromEPSG: 4326, toEPSG: 999_999) }
    }

    /// What a client may name for bins and hot spots: projected CRSs in metres only.
    @Test func aMetricCRSIsCheckedForWhatItIs() throws {
        for code in [32651, 4549, 3857, 2326] { try MetricCRS.check(code, at: "crs") }
        for (code, says) in [(99_999, "PROJ knows no"), (4326, "not a projected CRS"), (4490, "not a projected CRS"), (2264, "not in metres")] {
            #expect { try MetricCRS.check(code, at: "crs") } throws: { e in
                let g = e as? GridwallError
                return g?.code == .invalidParameter && g?.location == "crs" && g?.message.contains(says) == true
            }
        }
    }

    @Test func metricCRSChoice() {
        let hangzhou = BoundingBox(minX: 120.1, minY: 30.2, maxX: 120.35, maxY: 30.4)
        #expect(MetricCRS.epsg(for: hangzhou) == 4549)
        #expect(MetricCRS.epsg(for: BoundingBox(minX: -34.9, minY: -8.05, maxX: -34.8, maxY: -7.9)) == 32725)
        #expect(MetricCRS.epsg(for: BoundingBox(minX: 24.9, minY: 60.1, maxX: 25.0, maxY: 60.2)) == 32635)
    }

    /// Against GeographicLib's Python implementation (scripts/reference/geodesic_reference.py).
    @Test func geodesicsAgreeWithGeographicLibToAMillimetre() throws {
        let rows = try TestData.csv(TestData.url("Tests/Fixtures/geodesic_reference.csv"))
        #expect(rows.count > 150)
        for r in rows {
            let a = Coordinate(Double(r["lon1"]!)!, Double(r["lat1"]!)!), b = Coordinate(Double(r["lon2"]!)!, Double(r["lat2"]!)!)
            let line = Geodesic.inverse(a, b)
            #expect(abs(line.distance - Double(r["distance_m"]!)!) < 1e-3, "\(a) → \(b)")
            var d = abs(line.initialBearing - Double(r["azimuth1"]!)!)
            d = min(d, 360 - d)
            #expect(d < 1e-7)
            let end = Geodesic.direct(from: a, bearing: line.initialBearing, distance: line.distance)
            #expect(abs(end.y - b.y) < 1e-8)
        }
    }
}
