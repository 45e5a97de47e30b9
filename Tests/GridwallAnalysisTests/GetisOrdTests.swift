// Gi* against PySAL: z-scores from esda.G_Local(star=True) on the same values and weights, to
// 1e-9, on the sample district's grids (GEOS contiguity, k nearest, distance band), on real
// Toronto events in 500 m squares (lattice), and on the Boston tracts' crime rate.
// Reference values: Tests/Fixtures/gistar (scripts/reference/gistar_reference.py) and
// Tests/Fixtures/realdata/boston_tracts/reference.
import Foundation
import Testing
import GridwallCore
import GridwallGEOS
import GridwallPROJ
import GridwallTestSupport

@Suite struct GetisOrdTests {
    static let tolerance = 1e-9

    func expectSame(_ ours: [GetisOrd.Result], _ theirs: [Double], _ what: String) {
        #expect(ours.count == theirs.count)
        var worst = 0.0
        for (o, t) in zip(ours, theirs) { worst = max(worst, abs(o.z - t)) }
        #expect(worst < Self.tolerance, "\(what): largest |z − esda| = \(worst)")
    }

    @Test func sampleDistrictGridsMatchPySAL() throws {
        let rows = try TestData.csv(TestData.url("Tests/Fixtures/gistar/sample_grids.csv"))
        let grids = try TestData.sampleAreas().filter { $0.level == .grid }
        #expect(grids.map(\.id) == rows.map { $0["grid_id"]! })
        let counts = rows.map { Double($0["count"]!)! }
        func z(_ column: String) -> [Double] { rows.map { Double($0[column]!)! } }

        let queen = try Contiguity.weights(grids.map(\.geometry), rule: .queen)
        let rook = try Contiguity.weights(grids.map(\.geometry), rule: .rook)
        #expect((0..<grids.count).map { queen.neighbours(of: $0).count } == rows.map { Int($0["n_queen"]!)! })
        #expect((0..<grids.count).map { rook.neighbours(of: $0).count } == rows.map { Int($0["n_rook"]!)! })
        expectSame(GetisOrd.giStar(counts, weights: queen, transform: .binary), z("z_queen_b"), "queen, binary")
        expectSame(GetisOrd.giStar(counts, weights: queen, transform: .rowStandardised), z("z_queen_r"), "queen, row-standardised")
        expectSame(GetisOrd.giStar(counts, weights: rook, transform: .binary), z("z_rook_b"), "rook, binary")

        let centroids = rows.map { Coordinate(Double($0["x"]!)!, Double($0["y"]!)!) }
        expectSame(GetisOrd.giStar(counts, weights: .nearest(centroids, k: 6)), z("z_knn6_b"), "6 nearest, binary")
        let band = SpatialWeights.distanceBand(centroids, threshold: 1200)
        expectSame(GetisOrd.giStar(counts, weights: band), z("z_band1200_b"), "1,200 m band, binary")
        expectSame(GetisOrd.giStar(counts, weights: band, transform: .rowStandardised), z("z_band1200_r"), "1,200 m band, row-standardised")
    }

    @Test func torontoSquaresMatchPySAL() throws {
        let realdata = TestData.realdata
        let rows = try TestData.csv(TestData.url("Tests/Fixtures/gistar/toronto_squares.csv"))
        let events = try TestData.csv(realdata.appendingPathComponent("toronto_mci_2020/events_2020.csv"))
        // Our own binning: project with PROJ, 500 m squares aligned to multiples of 500 m.
        var points = events.map { Coordinate(Double($0["lon"]!)!, Double($0["lat"]!)!) }
        try ProjTransformer(fromEPSG: 4326, toEPSG: 32617).forward(&points)
        let grid = SquareLattice(cellSize: 500, covering: points)
        var all = [Double](repeating: 0, count: grid.cellCount), assault = all
        for (p, e) in zip(points, events) {
            let cell = grid.cell(of: p)
            all[cell] += 1
            if e["category"] == "Assault" { assault[cell] += 1 }
        }
        #expect(grid.cellCount == rows.count)
        // The fixture lists cells row by row from the lower left, as the lattice numbers them.
        for (i, row) in rows.enumerated() {
            let (c, r) = grid.columnRow(i)
            #expect(c == Int(row["col"]!)! && r == Int(row["row"]!)!, "cell \(i)")
            #expect(all[i] == Double(row["count"]!)! && assault[i] == Double(row["assault"]!)!, "counts of cell \(i)")
        }
        let weights = SpatialWeights.lattice(columns: grid.columns, rows: grid.rows, .queen)
        func z(_ column: String) -> [Double] { rows.map { Double($0[column]!)! } }
        expectSame(GetisOrd.giStar(all, weights: weights), z("z_all_b"), "Toronto, all events, binary")
        expectSame(GetisOrd.giStar(all, weights: weights, transform: .rowStandardised), z("z_all_r"), "Toronto, row-standardised")
        expectSame(GetisOrd.giStar(assault, weights: weights), z("z_assault_b"), "Toronto, Assault, binary")
    }

    @Test func bostonTractsMatchPySAL() throws {
        let realdata = TestData.realdata
        let features = try TestData.features(realdata.appendingPathComponent("boston_tracts/boston_tracts.geojson"))
        let rows = try TestData.csv(TestData.url("Tests/Fixtures/gistar/boston_crim_queen.csv"))
        let queen = try Contiguity.weights(features.map(\.geometry), rule: .queen)
        #expect((0..<features.count).map { queen.neighbours(of: $0).count } == rows.map { Int($0["n_queen"]!)! })
        let crime = features.map { $0.properties["CRIM"]!.doubleValue! }
        let binary = GetisOrd.giStar(crime, weights: queen)
        expectSame(binary, rows.map { Double($0["z_b"]!)! }, "Boston CRIM, binary")
        expectSame(GetisOrd.giStar(crime, weights: queen, transform: .rowStandardised), rows.map { Double($0["z_r"]!)! },
                   "Boston CRIM, row-standardised")
        // The dataset's own reference (ten significant digits; p_norm one-sided, ours two-sided).
        let reference = try TestData.csv(realdata.appendingPathComponent("boston_tracts/reference/gistar_CRIM_queen.csv"))
        for row in reference {
            let ours = binary[Int(row["feature_index"]!)!]
            let z = Double(row["z_norm"]!)!, p = Double(row["p_norm"]!)!
            #expect(abs(ours.z - z) <= 1e-9 * max(1, abs(z)), "tract \(row["poltract"]!)")
            #expect(abs(ours.p / 2 - p) <= 1e-9 * max(1e-3, p), "tract \(row["poltract"]!)")
        }
        #expect(binary.filter { $0.z > 1.96 }.count == 59)
    }

    @Test func falseDiscoveryRateIsStricter() {
        // A hand-made case: Benjamini–Hochberg over p = 0.001, 0.008, 0.039, 0.041, 0.6 at 5 %
        // accepts p ≤ 0.008 (k = 2: 0.008 ≤ 2/5 × 0.05 = 0.02; k = 3: 0.039 > 0.03; k = 4: 0.041 > 0.04).
        #expect(GetisOrd.benjaminiHochberg([0.6, 0.041, 0.001, 0.039, 0.008], alpha: 0.05) == 0.008)
        #expect(GetisOrd.benjaminiHochberg([0.2, 0.3], alpha: 0.05) == 0)
    }
}
