// Kernel density of the selected events as a raster in the analysis CRS, and as a PNG with
// the corners to place it on a map.
import Foundation
import GridwallCore
import GridwallPROJ

extension EventAnalysis {
    /// Quartic-kernel density (events per km²) of the events passing `filter`, over their
    /// extent widened by the bandwidth (so the raster holds all of every kernel), or over
    /// `extent` (analysis CRS) when given; exact or binned, whichever costs less (`method`).
    /// Throws `over_budget` past `HeatmapLimits` (raster cells, kernel reach in cells, kernel work).
    public func density(filter: EventFilter, bandwidth: Double, cellSize: Double, extent requested: BoundingBox? = nil,
                        maximumCells: Int = HeatmapLimits.rasterCells, method: KernelDensity.Method = .auto) throws -> DensityRaster {
        try densityInput(filter: filter, bandwidth: bandwidth, cellSize: cellSize, extent: requested, maximumCells: maximumCells, method: method).raster()
    }

    /// What `density` reads of the analysis, checked against the limits: the positions, the
    /// extent and the method. The raster is then made from it alone (`DensityInput.raster()`),
    /// so a server can make it without holding the analysis, whose new events would wait.
    public func densityInput(filter: EventFilter, bandwidth: Double, cellSize: Double, extent requested: BoundingBox? = nil,
                             maximumCells: Int = HeatmapLimits.rasterCells, method: KernelDensity.Method = .auto) throws -> DensityInput {
        guard bandwidth > 0, bandwidth.isFinite else { throw GridwallError(.invalidParameter, "the bandwidth must be a positive number of metres", at: "bandwidth_m") }
        guard cellSize > 0, cellSize.isFinite else { throw GridwallError(.invalidParameter, "the cell size must be a positive number of metres", at: "cell_m") }
        let reach = bandwidth / cellSize
        guard reach <= HeatmapLimits.bandwidthInCells else {
            throw GridwallError(.overBudget, "bandwidth_m / cell_m is \(HeatmapRequest.format(reach)), more than the limit of "
                                + "\(HeatmapRequest.format(HeatmapLimits.bandwidthInCells)); use cells of at least "
                                + "\(HeatmapRequest.format((bandwidth / HeatmapLimits.bandwidthInCells).rounded(.up))) m for this bandwidth", at: "cell_m")
        }
        let (points, box) = events.positions(matching: filter)
        var extent = requested ?? .empty
        if requested == nil {
            extent = box
            if extent.isEmpty { extent = events.projectedBox }
            if extent.isEmpty { extent = BoundingBox(minX: 0, minY: 0, maxX: cellSize, maxY: cellSize) }
            extent = extent.expanded(by: bandwidth)
            // Align to multiples of the cell so the same place gets the same cell in every request.
            extent = BoundingBox(minX: (extent.minX / cellSize).rounded(.down) * cellSize, minY: (extent.minY / cellSize).rounded(.down) * cellSize,
                                 maxX: (extent.maxX / cellSize).rounded(.up) * cellSize, maxY: (extent.maxY / cellSize).rounded(.up) * cellSize)
        }
        let cells = (extent.width / cellSize).rounded(.up) * (extent.height / cellSize).rounded(.up)
        let smallest = (extent.width * extent.height / Double(maximumCells)).squareRoot().rounded(.up)
        try HeatmapLimits.check(cells, atMost: Double(maximumCells), "the raster's cells", change: "cell_m",
                                hint: "use cells of at least \(HeatmapRequest.format(smallest)) m, or a bbox")
        let binned = method.bins(events: points.count, reach: reach, cells: Int(cells))
        if binned {
            // Binning is one pass over the events; the stencil runs over every cell.
            try HeatmapLimits.check(KernelDensity.stencilWork(reach: reach, cells: cells), atMost: HeatmapLimits.kernelWork, "cells × cells each gathers", change: "bandwidth_m",
                                    hint: "use a smaller bandwidth or larger cells, or a bbox")
        } else {
            // Each event touches the cells of the square around it that holds its kernel.
            let touched = (2 * reach + 1) * (2 * reach + 1)
            try HeatmapLimits.check(Double(points.count) * touched, atMost: HeatmapLimits.kernelWork, "events × cells each touches", change: "bandwidth_m",
                                    hint: "narrow the window or the categories, or use a smaller bandwidth or larger cells")
        }
        return DensityInput(points: points, bandwidth: bandwidth, cellSize: cellSize, extent: extent, binned: binned)
    }

    /// The raster's corners in WGS84 longitude/latitude: lower left, lower right, upper right,
    /// upper left (a map places the image by these four; the raster is square in the analysis
    /// CRS, so on a web map it is very slightly skewed).
    public func corners(of raster: DensityRaster) throws -> [Coordinate] { try corners(of: raster.extent) }

    /// The corners of a box in the analysis CRS, in WGS84 longitude/latitude (same order).
    func corners(of e: BoundingBox) throws -> [Coordinate] { try Self.corners(of: e, crs: crs) }

    /// The corners of a box in `crs`, in WGS84 longitude/latitude (same order).
    static func corners(of e: BoundingBox, crs: Int) throws -> [Coordinate] {
        var c = [Coordinate(e.minX, e.minY), Coordinate(e.maxX, e.minY), Coordinate(e.maxX, e.maxY), Coordinate(e.minX, e.maxY)]
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.inverse(&c) }
        return c
    }

    /// The raster as a PNG through the colour ramp, the top of the scale at `scale` events per
    /// km² (default: the raster's display scale, its 99th percentile).
    public func png(_ raster: DensityRaster, scale: Double? = nil) throws -> [UInt8] { try Self.png(raster, scale: scale) }

    static func png(_ raster: DensityRaster, scale: Double? = nil) throws -> [UInt8] {
        try PNG.encode(width: raster.columns, height: raster.rows, rgba: ColourRamp.image(raster, scale: scale ?? raster.displayScale))
    }
}

/// The positions a kernel density is made from, with its extent and method, read from the
/// analysis and checked against the limits (`EventAnalysis.densityInput`).
public struct DensityInput: Sendable {
    public let points: [Coordinate]
    public let bandwidth: Double, cellSize: Double
    public let extent: BoundingBox
    /// Binned (cost: one pass over the events and the stencil) or the exact sum.
    public let binned: Bool

    /// The raster; binned on every core (one per 200,000 events, `binnedRaster`).
    public func raster() -> DensityRaster {
        binned ? KernelDensity.binnedRaster(points, bandwidth: bandwidth, cellSize: cellSize, extent: extent,
                                            threads: ProcessInfo.processInfo.activeProcessorCount)
            : KernelDensity.raster(points, bandwidth: bandwidth, cellSize: cellSize, extent: extent)
    }
}

extension EventAnalysis {
    /// A position in the analysis CRS as WGS84 longitude/latitude.
    public func lonLat(_ p: Coordinate) throws -> Coordinate {
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.inverse(p) }
    }
}

/// One isoband: where the density lies in [low, high), in WGS84.
public struct DensityBand: Sendable {
    public var low: Double, high: Double
    public var riskClass: RiskClass
    public var geometry: Geometry
}

extension EventAnalysis {
    /// The five density bands of a raster, from `levels` (five ascending lower bounds in events
    /// per km²; by default 5, 20, 40, 60 and 80 % of the display scale), lowest band green,
    /// highest red; empty bands left out.
    public func isobands(_ raster: DensityRaster, levels requested: [Double]? = nil) throws -> [DensityBand] {
        try Self.isobands(raster, levels: requested, crs: crs)
    }

    /// `isobands` of a raster in `crs`.
    static func isobands(_ raster: DensityRaster, levels requested: [Double]?, crs: Int) throws -> [DensityBand] {
        let scale = raster.displayScale
        let levels = requested ?? [0.05, 0.2, 0.4, 0.6, 0.8].map { $0 * scale }
        guard levels.count == 5, zip(levels, levels.dropFirst()).allSatisfy({ $0 < $1 }), levels[0] > 0 else {
            throw GridwallError(.invalidParameter, "five ascending positive density levels are needed", at: "thresholds")
        }
        let transformer = try ProjTransformer(fromEPSG: 4326, toEPSG: crs)
        var bands: [DensityBand] = []
        for k in 0..<5 {
            let high = k < 4 ? levels[k + 1] : .infinity
            let polygons = Isobands.polygons(raster, low: levels[k], high: high)
            guard !polygons.isEmpty else { continue }
            let wgs84 = try Geometry.multiPolygon(polygons).mapCoordinates { try transformer.inverse($0) }
            bands.append(DensityBand(low: levels[k], high: high, riskClass: RiskClass(rawValue: k + 1)!, geometry: wgs84))
        }
        return bands
    }
}

extension EventAnalysis {
    /// The raster's non-zero cells as CSV: centre in the analysis CRS and in WGS84, density.
    public func rasterCSV(_ raster: DensityRaster) throws -> String {
        var cells: [(Int, Int)] = []
        var centres: [Coordinate] = []
        for r in 0..<raster.rows { for c in 0..<raster.columns where raster[column: c, row: r] > 0 {
            cells.append((c, r)); centres.append(raster.centre(column: c, row: r))
        } }
        var lonLat = centres
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.inverse(&lonLat) }
        var s = "column,row,x,y,lon,lat,per_km2\n"
        for (i, (c, r)) in cells.enumerated() {
            s += "\(c),\(r),\(centres[i].x),\(centres[i].y),\(GeoJSON.formatFixed(lonLat[i].x, decimals: 7)),"
                + "\(GeoJSON.formatFixed(lonLat[i].y, decimals: 7)),\(GeoJSON.formatFixed(raster[column: c, row: r], decimals: 4))\n"
        }
        return s
    }
}
