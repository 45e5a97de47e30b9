// Isobands against the surface they describe: at random points, the band polygon (GEOS) that
// contains the point is the one whose range holds the piecewise-linear density there.
import Foundation
import Testing
import GridwallAnalysis
@testable import GridwallCore
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

    /// Each band's polygons are GEOS's coverage union of its pieces: the same area (no
    /// difference either way), as many parts, valid; on a real density, on noise full of
    /// islands and holes, on a checkerboard, and on two wedges that touch at one point.
    @Test func polygonsAreTheUnionOfThePieces() throws {
        let (analysis, _, _) = EventAnalysisTests.sample
        let kde = try analysis.density(filter: DensityTests.month, bandwidth: 400, cellSize: 60)
        var noise = DensityRaster(minX: 1000, minY: 2000, cellSize: 10, columns: 60, rows: 45)
        var rng = TestData.random("isoband-noise")
        for i in noise.values.indices { noise.values[i] = rng.unit() * 100 }
        var checkerboard = DensityRaster(minX: 0, minY: 0, cellSize: 1, columns: 12, rows: 9)
        for r in 0..<9 { for c in 0..<12 { checkerboard.values[r * 12 + c] = (r + c) % 2 == 0 ? 10 : 0 } }
        // Two wedges of the band meeting only at the centre, whose value is the band's lower level.
        var pinch = DensityRaster(minX: 0, minY: 0, cellSize: 1, columns: 3, rows: 3)
        pinch.values = [6, 4, 4, 4, 5, 4, 4, 4, 6]
        let context = GeosContext()
        var compared = 0, holes = 0
        for (raster, levels) in [(kde, [0.05, 0.2, 0.4, 0.6, 0.8].map { $0 * kde.displayScale }), (noise, [10.0, 30, 50, 70, 90]),
                                 (checkerboard, [5.0, 20]), (pinch, [5.0])] {
            for (k, low) in levels.enumerated() {
                let high = k + 1 < levels.count ? levels[k + 1] : .infinity
                let pieces = Isobands.pieces(raster, low: low, high: high)
                let ours = Isobands.polygons(raster, low: low, high: high)
                guard !pieces.isEmpty else { #expect(ours.isEmpty); continue }
                let theirs = try context.geometry(.multiPolygon(pieces.map { Polygon(exterior: $0) })).coverageUnion()
                let mine = try context.geometry(.multiPolygon(ours))
                #expect(try mine.invalidity() == nil, "band \(low)…\(high)")
                let area = try theirs.area()
                #expect(try mine.symmetricDifference(theirs).area() <= 1e-9 * area, "band \(low)…\(high)")
                #expect(abs(try mine.area() - area) <= 1e-9 * area)
                #expect(ours.count == (try theirs.parts().count), "band \(low)…\(high)")
                #expect(ours.allSatisfy { BoundaryEdges.signedArea(Array($0.exterior.dropLast())) > 0 })
                holes += ours.reduce(0) { $0 + $1.holes.count }
                compared += 1
            }
        }
        #expect(compared >= 10 && holes > 20, "\(compared) bands, \(holes) holes")
    }

    /// Edges that do not close into rings (never made from a raster's pieces) give no polygon
    /// and neither crash nor hang: an open path, and a loop entered from a tail; a square closes.
    @Test func brokenChainsAreLeftOut() {
        let a = Coordinate(0, 0), b = Coordinate(1, 0), c = Coordinate(1, 1), d = Coordinate(0, 1), e = Coordinate(2, 2)
        var open = BoundaryEdges()
        open.add(a, b); open.add(b, c)
        #expect(open.polygons().isEmpty)
        var tailed = BoundaryEdges()
        tailed.add(e, b); tailed.add(b, c); tailed.add(c, d); tailed.add(d, b)
        #expect(tailed.polygons().isEmpty)
        var square = BoundaryEdges()
        square.add(a, b); square.add(b, c); square.add(c, d); square.add(d, a)
        #expect(square.polygons() == [Polygon(exterior: [a, b, c, d, a])])
    }
}
