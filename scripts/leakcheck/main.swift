// Exercises every GEOS wrapper operation many times under AddressSanitizer/LeakSanitizer:
// any GEOS object the wrapper forgets to free shows up as a leak report and a non-zero exit.
// Run with scripts/leakcheck/run (valgrind 3.19 cannot read the Swift 6.3 toolchain's DWARF 5).
import GridwallCore
import GridwallGEOS

func exercise() throws {
    let geos = GeosContext()
    let bowtie = try geos.geometry(wkt: "POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))")
    _ = try bowtie.invalidity()
    let fixed = try bowtie.makeValid()
    _ = try fixed.polygonalPart()
    _ = try fixed.parts()
    let a = try geos.geometry(wkt: "POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))")
    let b = try geos.geometry(.polygon(Polygon(exterior: [.init(1, 1), .init(3, 1), .init(3, 3), .init(1, 3), .init(1, 1)])))
    _ = try a.union(b).area() + a.intersection(b).area() + a.difference(b).area() + a.symmetricDifference(b).area()
    _ = try a.unaryUnion().length() + a.boundary().length()
    _ = try a.intersects(b) && a.overlaps(b) && a.contains(b) && a.covers(b) && a.touches(b) && a.equals(b)
    _ = try a.relate(b, pattern: "2********")
    _ = try geos.geometry(.multiPolygon([Polygon(exterior: [.init(0, 0), .init(1, 0), .init(1, 1), .init(0, 0)]),
                                         Polygon(exterior: [.init(1, 0), .init(2, 0), .init(1, 1), .init(1, 0)])])).coverageUnion()
    _ = try geos.geometry(wkb: a.wkb()).value()
    _ = try geos.geometry(geoJSON: a.geoJSON()).wkt()
    let prepared = try a.prepared()
    let tree = try GeosSTRtree(context: geos)
    tree.insert(a, id: 0)
    tree.insert(b, id: 1)
    var hits: [Int] = []
    for i in 0..<100 {
        let p = try geos.point(x: Double(i) / 50, y: 1)
        tree.query(p, into: &hits)
        _ = try prepared.contains(p) || prepared.covers(p) || prepared.intersects(p)
        _ = try a.distance(to: p)
    }
    // Errors must not leak either.
    _ = try? geos.geometry(wkt: "POLYGON((0 0, 1 1")
    _ = try? geos.geometry(wkb: [1, 3, 0, 0])
}

for _ in 0..<200 { try exercise() }
print("leakcheck: 200 rounds of every GEOS wrapper operation done")
