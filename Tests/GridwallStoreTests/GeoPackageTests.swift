import Foundation
import Testing
import GridwallCore
import GridwallStore
import GridwallTestSupport

/// The store as other tools see it: GDAL's own GeoPackage driver, an independent reader and writer.
@Suite struct GeoPackageTests {
    static let hasGDAL = TestData.tool("ogrinfo") != nil && TestData.tool("ogr2ogr") != nil

    func gdal(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let path = try #require(TestData.tool(tool), "\(tool) not installed (apt-get install gdal-bin)")
        return try TestData.run(path, arguments)
    }

    @Test(.enabled(if: hasGDAL, "needs gdal-bin")) func ogrinfoReadsEveryLayerAndFeature() throws {
        let (store, dir) = try temporaryStore()
        _ = try importFile(try write(buildingsCollection([square, square.replacingOccurrences(of: "120.2,", with: "120.25,")]), "b.geojson", in: dir),
                           layer: .buildings, into: store)
        let (status, listing) = try gdal("ogrinfo", ["-ro", store.path])
        #expect(status == 0)
        for layer in LayerSchema.all { #expect(listing.contains(": \(layer.name)"), "\(listing)") }
        let (_, summary) = try gdal("ogrinfo", ["-ro", "-so", store.path, "buildings"])
        #expect(summary.contains("Feature Count: 2"))
        #expect(summary.contains("Extent: (120.200000, 30.300000) - (120.250000, 30.310000)"))
    }

    @Test(.enabled(if: hasGDAL, "needs gdal-bin")) func importsAGeoPackageWrittenByGDAL() throws {
        let (store, dir) = try temporaryStore()
        let source = try write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"g1","level":"grid","population":12},"geometry":\#(square)}]}"#,
                               "a.geojson", in: dir)
        let gpkg = dir.appendingPathComponent("from-gdal.gpkg").path
        let (status, output) = try gdal("ogr2ogr", ["-f", "GPKG", gpkg, source])
        #expect(status == 0, "\(output)")
        let report = try importFile(gpkg, layer: .areas, into: store)
        #expect(report.imported == 1)
        let area = try #require(try store.areas().first)
        #expect(area.id == "g1" && area.level == .grid && area.population == 12)
        #expect(area.geometry.polygons.first?.exterior.count == 5)
    }
}
