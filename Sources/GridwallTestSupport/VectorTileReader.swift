// Vector tiles read back by an independent reader, GDAL's MVT driver, for the tests of every
// target that makes tiles (the tile encoder's own, the server's live sources).
import Foundation
import GridwallCore

extension TestData {
    /// Decodes one tile with GDAL (ogr2ogr to GeoJSON in WGS84): the features of its layers.
    /// Throws when ogr2ogr is missing or refuses the tile.
    public static func decodeMVT(_ bytes: [UInt8], _ tile: TileID) throws -> [Feature] {
        guard let ogr2ogr = tool("ogr2ogr") else { throw GridwallError(.io, "ogr2ogr is missing (scripts/setup-debian --tests)") }
        let dir = try scratchFolder("mvt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("\(tile.z)/\(tile.x)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(tile.y).pbf"), out = dir.appendingPathComponent("out.geojson")
        try Data(bytes).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ogr2ogr)
        // CLIP=NO: GDAL would otherwise cut features to the tile and drop those only in the buffer.
        p.arguments = ["-oo", "CLIP=NO", "-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=9", out.path, file.path]
        let err = Pipe()
        p.standardError = err
        try p.run(); p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard p.terminationStatus == 0 else { throw GridwallError(.io, "ogr2ogr: \(message)") }
        return try GeoJSON.features(from: JSONValue.parse(Data(contentsOf: out)))
    }
}
