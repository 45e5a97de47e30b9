// A wholesale redraw for tests and benchmarks of plan impact: each parent area cut into squares
// of a given side (metres), clipped to the parent, so every old grid inside it changes and its
// buildings, cameras and events move. Coordinates stay WGS84.
import GridwallCore
import GridwallGEOS

public enum SquareRedraw {
    /// Each parent's squares (ids "<parent>-S<n>"), in parent order.
    public static func grids(parents: [(id: String, geometry: Geometry)], side: Double) throws -> [(id: String, parentID: String, geometry: Geometry)] {
        let geos = GeosContext()
        var out: [(String, String, Geometry)] = []
        for parent in parents {
            guard let box = parent.geometry.boundingBox else { continue }
            let frame = LocalFrame(origin: box.center)
            let shape = try geos.geometry(parent.geometry.mapCoordinates(frame.project))
            let low = frame.project(Coordinate(box.minX, box.minY)), high = frame.project(Coordinate(box.maxX, box.maxY))
            var n = 0
            var y = low.y
            while y < high.y {
                var x = low.x
                while x < high.x {
                    let square = Polygon(rings: [[Coordinate(x, y), Coordinate(x + side, y), Coordinate(x + side, y + side),
                                                  Coordinate(x, y + side), Coordinate(x, y)]])
                    if let part = try shape.intersection(try geos.geometry(.polygon(square))).polygonalPart(), !part.polygons.isEmpty {
                        n += 1
                        out.append(("\(parent.id)-S\(n)", parent.id, part.mapCoordinates(frame.unproject)))
                    }
                    x += side
                }
                y += side
            }
        }
        return out
    }
}
