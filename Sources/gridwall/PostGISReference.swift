// PostGIS as the point-in-grid reference: the grids and the points each with a GiST index, and
// the timed join a user would write:
// SELECT … FROM points JOIN grids ON ST_Contains(grids.geom, points.geom).
import Foundation
import GridwallCore

enum PostGISReference {
    struct Result { var seconds: Double; var answers: [Int32] }

    /// nil when PostgreSQL 15 with PostGIS is not installed.
    static func run(grids: [[Polygon]], xs: [Double], ys: [Double]) throws -> Result? {
        guard let cluster = try PostGISCluster.start() else { return nil }
        defer { cluster.stop() }
        // Hex WKB keeps every coordinate bit; PostGIS parses it as geometry input.
        var gridText = ""
        for (i, polygons) in grids.enumerated() {
            let wkb = WKB.encode(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
            gridText += "\(i)\t" + wkb.map { String(format: "%02X", $0) }.joined() + "\n"
        }
        var pointText = ""
        pointText.reserveCapacity(xs.count * 40)
        for i in 0..<xs.count { pointText += "\(i),\(xs[i]),\(ys[i])\n" }
        let gridsFile = try cluster.file("grids.tsv", gridText), pointsFile = try cluster.file("points.csv", pointText)
        let resultFile = try cluster.file("result.csv", "")
        let output = try cluster.psql("""
            CREATE EXTENSION postgis;
            CREATE TABLE grids (id int PRIMARY KEY, geom geometry);
            \\copy grids FROM '\(gridsFile)'
            CREATE INDEX ON grids USING gist (geom);
            CREATE TABLE raw (id int, lon float8, lat float8);
            \\copy raw FROM '\(pointsFile)' CSV
            CREATE TABLE points AS SELECT id, ST_MakePoint(lon, lat) AS geom FROM raw;
            -- Both sides indexed, so the planner may loop over grids (reusing each prepared grid).
            CREATE INDEX ON points USING gist (geom);
            VACUUM ANALYZE;
            \\timing on
            CREATE TABLE result AS SELECT p.id AS pid, g.id AS gid FROM points p JOIN grids g ON ST_Contains(g.geom, p.geom);
            \\timing off
            \\copy result TO '\(resultFile)' CSV
            """)
        let milliseconds = try PostGISCluster.lastTiming(output)
        var answers = [Int32](repeating: -1, count: xs.count)
        for row in try String(contentsOfFile: resultFile, encoding: .utf8).split(separator: "\n") {
            let f = row.split(separator: ",")
            if f.count == 2, let p = Int(f[0]), let g = Int32(f[1]) { answers[p] = g }
        }
        return Result(seconds: milliseconds / 1000, answers: answers)
    }
}
