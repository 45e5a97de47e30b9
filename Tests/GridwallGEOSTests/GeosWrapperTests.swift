import Foundation
import Testing
import GridwallCore
import GridwallGEOS

@Suite struct GeosWrapperTests {
    @Test func bowtieIsInvalidWithReasonAndLocation() throws {
        let geos = GeosContext()
        let bowtie = try geos.geometry(wkt: "POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))")
        let problem = try #require(try bowtie.invalidity())
        #expect(problem.reason.contains("Self-intersection"))
        #expect(problem.location == Coordinate(1, 1))
        let fixed = try bowtie.makeValid()
        #expect(try fixed.invalidity() == nil)
        #expect(abs(try fixed.area() - 2) < 1e-12)
        #expect(try fixed.polygonalPart()?.polygons.count == 2)
    }

    @Test func errorsBecomeSwiftErrorsNotPrints() {
        let geos = GeosContext()
        do {
            _ = try geos.geometry(wkt: "POLYGON((0 0, 1 1")
            Issue.record("expected a parse error")
        } catch let e as GridwallError {
            #expect(e.code == .geos)
            #expect(e.message.contains("WKT"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func overlayAndMeasures() throws {
        let geos = GeosContext()
        let a = try geos.geometry(wkt: "POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))")
        let b = try geos.geometry(wkt: "POLYGON((1 1, 3 1, 3 3, 1 3, 1 1))")
        #expect(try a.union(b).area() == 7)
        #expect(try a.intersection(b).area() == 1)
        #expect(try a.difference(b).area() == 3)
        #expect(try a.symmetricDifference(b).area() == 6)
        #expect(try a.length() == 8)
        #expect(try a.intersects(b))
        #expect(try a.overlaps(b))
        #expect(try !a.contains(b))
        #expect(try a.distance(to: geos.geometry(wkt: "POINT(5 2)")) == 3)
    }

    @Test func formatsRoundTrip() throws {
        let geos = GeosContext()
        let value = Geometry.polygon(Polygon(exterior: [.init(120.1, 30.2), .init(120.3, 30.2), .init(120.3, 30.4), .init(120.1, 30.2)]))
        let g = try geos.geometry(value)
        #expect(try g.value() == value)
        #expect(try geos.geometry(wkt: g.wkt()).value() == value)
        #expect(try geos.geometry(geoJSON: g.geoJSON()).value() == value)
    }

    @Test func preparedAndSTRtree() throws {
        let geos = GeosContext()
        let tree = try GeosSTRtree(context: geos)
        var squares: [PreparedGeosGeometry] = []
        for i in 0..<10 {
            let s = try geos.geometry(wkt: "POLYGON((\(i) 0, \(i + 1) 0, \(i + 1) 1, \(i) 1, \(i) 0))")
            tree.insert(s, id: i)
            squares.append(try s.prepared())
        }
        var hits: [Int] = []
        let p = try geos.point(x: 3.5, y: 0.5)
        tree.query(p, into: &hits)
        #expect(hits == [3])
        #expect(try squares[3].contains(p))
        #expect(try !squares[4].contains(p))
        // A point on the shared edge is in neither interior: GEOS gives no single answer there.
        let edge = try geos.point(x: 4, y: 0.5)
        #expect(try !squares[3].contains(edge) && !squares[4].contains(edge))
        #expect(try squares[3].covers(edge) && squares[4].covers(edge))
    }
}
