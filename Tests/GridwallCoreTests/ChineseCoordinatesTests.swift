import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

/// Checked against PyPI's prcoords (an independent implementation), values produced by
/// scripts/reference/gcj02_reference.py into Tests/Fixtures/gcj02_reference.csv.
@Suite struct ChineseCoordinatesTests {
    let rows = try! TestData.csv(TestData.url("Tests/Fixtures/gcj02_reference.csv"))

    @Test func forwardMatchesTheReference() {
        #expect(rows.count > 300)
        for r in rows {
            let wgs = Coordinate(Double(r["wgs_lon"]!)!, Double(r["wgs_lat"]!)!)
            let gcj = ChineseCoordinates.wgs84ToGCJ02(wgs)
            #expect(abs(gcj.x - Double(r["gcj_lon"]!)!) < 1e-12 && abs(gcj.y - Double(r["gcj_lat"]!)!) < 1e-12, "\(wgs)")
            let bd = ChineseCoordinates.wgs84ToBD09(wgs)
            #expect(abs(bd.x - Double(r["bd_lon"]!)!) < 1e-12 && abs(bd.y - Double(r["bd_lat"]!)!) < 1e-12, "\(wgs)")
        }
    }

    @Test func inversesRecoverWGS84ToBetterThan1e9Degrees() {
        var worst = 0.0
        for r in rows {
            let wgs = Coordinate(Double(r["wgs_lon"]!)!, Double(r["wgs_lat"]!)!)
            let fromGCJ = ChineseCoordinates.gcj02ToWGS84(Coordinate(Double(r["gcj_lon"]!)!, Double(r["gcj_lat"]!)!))
            let fromBD = ChineseCoordinates.bd09ToWGS84(Coordinate(Double(r["bd_lon"]!)!, Double(r["bd_lat"]!)!))
            worst = max(worst, abs(fromGCJ.x - wgs.x), abs(fromGCJ.y - wgs.y), abs(fromBD.x - wgs.x), abs(fromBD.y - wgs.y))
        }
        #expect(worst < 1e-9, "worst inverse error \(worst)°")
    }

    @Test func outsideChinaNothingMoves() {
        let paris = Coordinate(2.35, 48.85)
        #expect(ChineseCoordinates.wgs84ToGCJ02(paris) == paris)
        #expect(ChineseCoordinates.gcj02ToWGS84(paris) == paris)
    }

    @Test func coordinateSystemNames() throws {
        #expect(try CoordinateSystem(parsing: "EPSG:4326") == .wgs84)
        #expect(try CoordinateSystem(parsing: "gcj02") == .gcj02)
        #expect(try CoordinateSystem(parsing: "BD09") == .bd09)
        #expect(try CoordinateSystem(parsing: "32651") == .epsg(32651))
        #expect(throws: GridwallError.self) { try CoordinateSystem(parsing: "mars") }
        // The URI /collections advertises, as OGC API clients send it back.
        #expect(try CoordinateSystem(parsing: "http://www.opengis.net/def/crs/OGC/1.3/CRS84") == .wgs84)
        #expect(try CoordinateSystem(parsing: "OGC:CRS84") == .wgs84)
    }
}
