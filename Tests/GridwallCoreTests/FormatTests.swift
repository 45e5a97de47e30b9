import Foundation
import Testing
@testable import GridwallCore
import GridwallTestSupport

@Suite struct FormatTests {
    let square = Polygon(exterior: [.init(0, 0), .init(2, 0), .init(2, 2), .init(0, 2), .init(0, 0)],
                         holes: [[.init(0.5, 0.5), .init(0.5, 1), .init(1, 1), .init(0.5, 0.5)]])

    @Test func wkbRoundTripsEveryKind() throws {
        let geometries: [Geometry] = [
            .point(.init(120.2, 30.3)), .multiPoint([.init(1, 2), .init(3, 4)]), .lineString([.init(0, 0), .init(1, 1)]),
            .multiLineString([[.init(0, 0), .init(1, 1)], [.init(2, 2), .init(3, 3)]]), .polygon(square),
            .multiPolygon([square, Polygon(exterior: [.init(5, 5), .init(6, 5), .init(6, 6), .init(5, 5)])]),
        ]
        for g in geometries {
            #expect(try WKB.decode(WKB.encode(g)) == g)
            let gp = GeoPackageBinary.encode(g)
            #expect(gp[0] == 0x47 && gp[1] == 0x50)
            #expect(try GeoPackageBinary.decode(gp).geometry == g)
            #expect(try GeoPackageBinary.decode(gp).srsID == 4326)
        }
    }

    /// The direct point reader agrees with the full decoder, in either byte order and with any
    /// envelope, and declines (nil) what it does not read, so callers fall back to `decode`.
    @Test func pointsAreReadDirectlyFromTheirBlobs() throws {
        let p = Coordinate(120.123456789, 30.987654321)
        let blob = GeoPackageBinary.encode(.point(p))
        #expect(GeoPackageBinary.point(in: blob) == p)
        // No envelope, big-endian WKB: flags 0 (big-endian header), then a big-endian point.
        var big: [UInt8] = [0x47, 0x50, 0, 0, 0, 0, 0x10, 0xE6, 0, 0, 0, 0, 1]
        for v in [p.x, p.y] { withUnsafeBytes(of: v.bitPattern.bigEndian) { big.append(contentsOf: $0) } }
        #expect(try GeoPackageBinary.decode(big).geometry == .point(p))
        #expect(GeoPackageBinary.point(in: big) == p)
        #expect(GeoPackageBinary.point(in: GeoPackageBinary.encode(.multiPoint([p]))) == nil)
        #expect(GeoPackageBinary.point(in: GeoPackageBinary.encode(.polygon(square))) == nil)
        #expect(GeoPackageBinary.point(in: Array(blob.dropLast())) == nil)
        #expect(GeoPackageBinary.point(in: [UInt8]([0x47, 0x50])) == nil)
        var empty = blob; empty[3] |= 0x10
        #expect(GeoPackageBinary.point(in: empty) == nil)
        // The direct point writer gives the general encoder's bytes.
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let q = Coordinate(Double.random(in: -180...180, using: &random), Double.random(in: -90...90, using: &random))
            #expect(GeoPackageBinary.encodePoint(q) == GeoPackageBinary.encode(.point(q)))
        }
        #expect(GeoPackageBinary.encodePoint(Coordinate(.nan, 1)) == GeoPackageBinary.encode(.point(Coordinate(.nan, 1))))
    }

    @Test func wkbPointIsTwentyOneBytesLittleEndian() {
        let bytes = WKB.encode(.point(.init(1, 2)))
        #expect(bytes.count == 21)
        #expect(bytes[0] == 1)
        #expect(Array(bytes[1..<5]) == [1, 0, 0, 0])
    }

    @Test func truncatedWKBIsAnErrorNotACrash() {
        let bytes = WKB.encode(.polygon(square))
        #expect(throws: GridwallError.self) { try WKB.decode(bytes.dropLast(3)) }
        #expect(throws: GridwallError.self) { try WKB.decode([UInt8]([1, 99, 0, 0, 0])) }
    }

    @Test func geoJSONFeaturesAndErrorsNameTheFeature() throws {
        let text = #"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":{"n":1},"geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[1,2]]}}]}"#
        do {
            _ = try GeoJSON.features(from: JSONValue.parse(Data(text.utf8)))
            Issue.record("expected an error")
        } catch let e as GridwallError {
            #expect(e.location == "feature 2")
        }
        let ok = #"{"type":"Feature","id":"a","properties":{"n":1,"b":true},"geometry":{"type":"Point","coordinates":[1,2]}}"#
        let f = try GeoJSON.features(from: JSONValue.parse(Data(ok.utf8)))
        #expect(f == [Feature(geometry: .point(.init(1, 2)), properties: ["n": .number(1), "b": .bool(true), "id": .string("a")])])
    }

    /// RFC 7946 rings: closed, at least four positions, and a polygon has its outer ring; the
    /// error names the feature and the ring.
    @Test func polygonRingsMustBeClosed() throws {
        func problem(_ coordinates: String) -> GridwallError? {
            let text = #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":\#(coordinates)}}"#
            do { _ = try GeoJSON.features(from: JSONValue.parse(Data(text.utf8))); return nil } catch { return error as? GridwallError }
        }
        let open = problem("[[[0,0],[1,0],[1,1],[0,1]]]")
        #expect(open?.location == "feature 1" && open?.message.contains("ring 1 of a polygon is not closed") == true, "\(String(describing: open))")
        let hole = problem("[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,1.5]]]")
        #expect(hole?.message.contains("ring 2") == true)
        #expect(problem("[[[0,0],[1,0],[0,0]]]")?.message.contains("has 3 positions") == true)
        #expect(problem("[]")?.message.contains("outer ring") == true)
        #expect(problem("[[[0,0],[1,0],[1,1],[0,0]]]") == nil)
    }

    @Test func geoJSONWriterRoundTrips() throws {
        let f = Feature(geometry: .polygon(square), properties: ["name": .string("a \"quoted\" name"), "v": .number(1.5)])
        let text = GeoJSON.featureCollection([f])
        #expect(try GeoJSON.features(from: JSONValue.parse(Data(text.utf8))) == [f])
    }

    @Test func fixedDecimalsSurviveTheRoundTrip() {
        for v in [120.1234567, 30.0000001, -0.5, 0] {
            let rounded = (v * 1e7).rounded() / 1e7
            #expect(Double(GeoJSON.formatFixed(rounded, decimals: 7)) == rounded)
        }
    }

    /// The fast fixed-point text equals printf's `%.Nf` (trailing zeros trimmed) for random
    /// values at every precision, for exact ties (printf rounds the binary value, half to even)
    /// and near them, negatives, tiny values that round to zero and values too large for it.
    @Test func fixedDecimalsAreThoseOfPrintf() {
        func printf(_ v: Double, _ d: Int) -> String {
            var t = String(format: "%.\(d)f", v)
            if t.contains(".") {
                while t.hasSuffix("0") { t.removeLast() }
                if t.hasSuffix(".") { t.removeLast() }
            }
            return t == "-0" ? "0" : t
        }
        var rng = TestData.random("fixed decimals")
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-9, -1e-9, 0.05, 0.15, 1.005, 2.675, 120.12345675,
                                9.9999999999, 123456789.123, 4.5e14, 1e15, 1e300, -1e300, .infinity, .nan, 30.0000001]
        for _ in 0..<20_000 {
            let scale = [1.0, 180, 1e4, 1e7, 1e12][rng.int(0, 4)]
            values.append(rng.uniform(-scale, scale))
            // Exact decimal ties and their neighbours at a random precision.
            let d = rng.int(0, 9)
            let tie = (Double(rng.int(-1_000_000, 1_000_000)) + 0.5) / Double((0..<d).reduce(1) { p, _ in p * 10 })
            values += [tie, tie.nextUp, tie.nextDown]
        }
        var mismatches: [String] = []
        for v in values {
            for d in [0, 1, 2, 3, 6, 7, 9, 12] where GeoJSON.formatFixed(v, decimals: d) != printf(v, d) {
                mismatches.append("\(v) at \(d): \(GeoJSON.formatFixed(v, decimals: d)) vs \(printf(v, d))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, e.g. \(mismatches.prefix(5))")
    }

    @Test func csvFields() throws {
        #expect(try CSV.fields(of: #"a,"b,c",1"#) == ["a", "b,c", "1"])
        #expect(try CSV.fields(of: #""say ""hi""",,x"#) == [#"say "hi""#, "", "x"])
        #expect(throws: GridwallError.self) { try CSV.fields(of: #""open"#) }
        #expect(CSV.coordinateColumns(["id", "Longitude", "Latitude"])! == (1, 2))
        #expect(CSV.coordinateColumns(["x", "y"])! == (0, 1))
        #expect(CSV.coordinateColumns(["a", "b"]) == nil)
    }

    @Test func isoTime() {
        #expect(ISOTime.format(0) == "1970-01-01T00:00:00Z")
        #expect(ISOTime.format(1_795_132_800) == "2026-11-20T00:00:00Z")
        #expect(ISOTime.parse("2026-11-20T00:00:00Z") == 1_795_132_800)
        #expect(ISOTime.parse("2026-11-20T08:00:00+08:00") == 1_795_132_800)
        #expect(ISOTime.parse("2026-11-20") == 1_795_132_800)
        #expect(ISOTime.parse("2026-13-20") == nil)
        #expect(ISOTime.parse("yesterday") == nil)
        // Every day of four years round-trips.
        for day in Int64(0)..<1461 {
            let t = 1_700_000_000 + day * 86_400 + 3_723
            #expect(ISOTime.parse(ISOTime.format(t)) == Double(t))
        }
        #expect(ISOTime.format(-1) == "1969-12-31T23:59:59Z")
        #expect(ISOTime.format(-86_400) == "1969-12-31T00:00:00Z")
        // Against Foundation's formatter (an independent reference), over the accepted range.
        let reference = ISO8601DateFormatter()
        reference.timeZone = TimeZone(identifier: "UTC")
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let t = Int64.random(in: Int64(ISOTime.acceptedRange.lowerBound)...Int64(ISOTime.acceptedRange.upperBound), using: &random)
            let text = ISOTime.format(t)
            #expect(text == reference.string(from: Date(timeIntervalSince1970: Double(t))))
            #expect(ISOTime.parse(text) == Double(t))
        }
    }
}
