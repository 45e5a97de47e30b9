// Kernel density as XYZ map tiles (Web Mercator, 256 × 256 PNG): each pixel's centre is taken
// to the analysis CRS and reads the density raster there (bilinear), so tiles at every zoom show
// the same surface, coloured on the same scale.
import Foundation
import GridwallCore
import GridwallPROJ

/// Kernel density as 256 × 256 XYZ tiles in Web Mercator.
public enum HeatTiles {
    public static let size = 256

    /// WGS84 longitude/latitude of pixel centres of tile z/x/y, row by row from the top.
    public static func pixelCentres(z: Int, x: Int, y: Int) -> [Coordinate] {
        let n = Double(1 << z)
        var out: [Coordinate] = []
        out.reserveCapacity(size * size)
        for row in 0..<size {
            let ty = (Double(y) + (Double(row) + 0.5) / Double(size)) / n
            let lat = atan(sinh(Double.pi * (1 - 2 * ty))) * 180 / .pi
            for col in 0..<size {
                let tx = (Double(x) + (Double(col) + 0.5) / Double(size)) / n
                out.append(Coordinate(tx * 360 - 180, lat))
            }
        }
        return out
    }

    /// The WGS84 box of tile z/x/y.
    public static func bounds(z: Int, x: Int, y: Int) -> BoundingBox {
        let n = Double(1 << z)
        func lat(_ ty: Double) -> Double { atan(sinh(Double.pi * (1 - 2 * ty / n))) * 180 / .pi }
        return BoundingBox(minX: Double(x) / n * 360 - 180, minY: lat(Double(y + 1)), maxX: Double(x + 1) / n * 360 - 180, maxY: lat(Double(y)))
    }

    /// Checks z/x/y; the error names the part at fault.
    public static func validate(z: Int, x: Int, y: Int) throws {
        guard (0...22).contains(z) else { throw GridwallError(.invalidParameter, "zoom must be 0 to 22", at: "z") }
        guard (0..<(1 << z)).contains(x) else { throw GridwallError(.invalidParameter, "x must be 0 to \((1 << z) - 1) at zoom \(z)", at: "x") }
        guard (0..<(1 << z)).contains(y) else { throw GridwallError(.invalidParameter, "y must be 0 to \((1 << z) - 1) at zoom \(z)", at: "y") }
    }
}

extension EventAnalysis {
    /// The RGBA pixels of one tile of `raster` (rows from the top), coloured on `scale`.
    public func heatTilePixels(_ raster: DensityRaster, scale: Double, z: Int, x: Int, y: Int) throws -> [UInt8] {
        try HeatTiles.validate(z: z, x: x, y: y)
        var rgba = [UInt8](repeating: 0, count: HeatTiles.size * HeatTiles.size * 4)
        // A tile that misses the raster is transparent: no projection needed.
        let box = HeatTiles.bounds(z: z, x: x, y: y)
        let rasterBox = try corners(of: raster).reduce(into: BoundingBox.empty) { $0.extend($1) }
        guard box.intersects(rasterBox), scale > 0 else { return rgba }
        // Only the pixels over the raster are projected: the rest are transparent, and at low
        // zooms they lie beyond the analysis CRS's domain, where PROJ fails or answers nonsense.
        var pixels: [Int] = [], points: [Coordinate] = []
        for (i, c) in HeatTiles.pixelCentres(z: z, x: x, y: y).enumerated() where rasterBox.contains(c) {
            pixels.append(i); points.append(c)
        }
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.forward(&points) }
        for (i, p) in zip(pixels, points) {
            let (r, g, b, a) = ColourRamp.rgba(raster.value(at: p) / scale)
            rgba[i * 4] = r; rgba[i * 4 + 1] = g; rgba[i * 4 + 2] = b; rgba[i * 4 + 3] = a
        }
        return rgba
    }

    /// One tile as a PNG.
    public func heatTile(_ raster: DensityRaster, scale: Double, z: Int, x: Int, y: Int) throws -> [UInt8] {
        try PNG.encode(width: HeatTiles.size, height: HeatTiles.size, rgba: heatTilePixels(raster, scale: scale, z: z, x: x, y: y))
    }
}

extension EventAnalysis {
    /// The density of tile z/x/y at the tile's own resolution: a raster over the tile alone (in
    /// the analysis CRS, a cell beyond it on every side) with cells as fine as the tile's pixels,
    /// but no finer than a twelfth of the bandwidth (so a tile's work stays bounded), from the
    /// events within reach of it. Nil when the filter's raster (`cellSize`) is already as fine:
    /// low zooms read that one; nil too for a tile no event can reach.
    public func tileRaster(filter: EventFilter, bandwidth: Double, cellSize: Double, z: Int, x: Int, y: Int) throws -> DensityRaster? {
        try HeatTiles.validate(z: z, x: x, y: y)
        let wgs = HeatTiles.bounds(z: z, x: x, y: y)
        // Both checked before the tile's corners are projected: a low-zoom tile, or one far from
        // the events, reaches beyond the analysis CRS's domain, where PROJ fails or answers
        // nonsense. The ground size of a pixel (Web Mercator's scale at the tile's middle) is
        // within a few per cent of its size in the analysis CRS near the events.
        let groundPixel = 40_075_016.686 * cos(wgs.center.y * .pi / 180) / Double(HeatTiles.size << z)
        guard groundPixel < 2 * cellSize, !events.projectedBox.isEmpty else { return nil }
        let reached = try corners(of: events.projectedBox.expanded(by: bandwidth)).reduce(into: BoundingBox.empty) { $0.extend($1) }
        guard wgs.intersects(reached) else { return nil }
        var corners = [Coordinate(wgs.minX, wgs.minY), Coordinate(wgs.maxX, wgs.minY), Coordinate(wgs.maxX, wgs.maxY), Coordinate(wgs.minX, wgs.maxY)]
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.forward(&corners) }
        let box = corners.reduce(into: BoundingBox.empty) { $0.extend($1) }
        let cell = max(box.width / Double(HeatTiles.size), bandwidth / HeatmapLimits.bandwidthInCells)
        guard cell < cellSize else { return nil }
        // Only the events that can reach the tile: its box widened by the bandwidth (in degrees,
        // generously: a degree of latitude is at least 110.5 km).
        let marginY = 1.5 * bandwidth / 110_500, marginX = marginY / max(0.05, cos(wgs.center.y * .pi / 180))
        let reach = BoundingBox(minX: wgs.minX - marginX, minY: wgs.minY - marginY, maxX: wgs.maxX + marginX, maxY: wgs.maxY + marginY)
        var near = filter
        if let given = filter.bbox {
            near.bbox = BoundingBox(minX: max(given.minX, reach.minX), minY: max(given.minY, reach.minY),
                                    maxX: min(given.maxX, reach.maxX), maxY: min(given.maxY, reach.maxY))
        } else {
            near.bbox = reach
        }
        let extent = BoundingBox(minX: ((box.minX / cell).rounded(.down) - 1) * cell, minY: ((box.minY / cell).rounded(.down) - 1) * cell,
                                 maxX: ((box.maxX / cell).rounded(.up) + 1) * cell, maxY: ((box.maxY / cell).rounded(.up) + 1) * cell)
        return try density(filter: near, bandwidth: bandwidth, cellSize: cell, extent: extent)
    }
}
