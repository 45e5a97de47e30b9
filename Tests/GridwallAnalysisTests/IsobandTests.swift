// Isobands against the surface they describe: at random points, the band polygon (GEOS) that
// contains the point is the one whose range holds the piecewise-linear density there.
import Foundation
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallGEOS
import GridwallPROJ
import GridwallTestSupport

@Suite struct IsobandTests {
    @Test func bandsContainExactlyThePointsInTheirRange() throws {
        let (analysis, _, _) = EventAnalysisTests.sample
        let raster = try analysis.density(filter: DensityTests.month, bandwidth: 400, cellSize: 60)
        let bands = try analysis.isobands(raster)
        #expect(bands.count == 5)
        let context = GeosContext()
        let prepared = try bands.map { try context.geometry($0.geometry).prepared() }
        let transformer = try ProjTransformer(fromEPSG: 4326, toEPSG: analysis.crs)
        var rng = TestData.random("isobands")
        var checked = 0, inBands = 0
        let e = raster.extent
        while checked < 600 {
            let p = Coordinate(rng.uniform(e.minX, e.maxX), rng.uniform(e.minY, e.maxY))
            let v = Isobands.surface(raster, at: p)
            // Skip points within a hair of a level, where rounding may decide either way.
            if bands.contains(where: { abs(v - $0.low) < 1e-6 * $0.low }) { continue }
            let lonLat = try transformer.inverse(p)
            let point = try context.point(x: lonLat.x, y: lonLat.y)
            let containing = try prepared.indices.filter { try prepared[$0].contains(point) }
            if let k = bands.firstIndex(where: { v >= $0.low && v < $0.high }) {
                #expect(containing == [k], "density \(v) at \(p): in bands \(containing), expected \(k)")
                inBands += 1
            } else {
                #expect(containing.isEmpty, "density \(v) at \(p) is below every band, yet in \(containing)")
            }
            checked += 1
        }
        #expect(inBands > 50)
        // The bands are valid polygons (GEOS).
        for b in bands { #expect(try context.geometry(b.geometry).invalidity() == nil) }
    }
}
