// Kernel density of events: the quartic (biweight) kernel, as heatmap tools use it,
//   K(d) = 3 / (π h²) · (1 − d² / h²)²  for d < h, 0 beyond,
// which integrates to 1 over the plane, so a raster of it integrates to the number of events.
// Values are events per square kilometre.
//
// Two ways to the raster. Exact: each event adds its kernel to every cell centre within h, so
// the work grows with events × (h / cell)². Binned (KernelDensityBinned.swift): events are
// first spread over the nine nearest cell centres (quadratic binning, which keeps each event's
// mean and spread), then the binned counts are convolved with the kernel sampled at the cell
// offsets, so the work is one pass over the events plus cells × (h / cell)², whatever the number
// of events. `raster` picks the cheaper.

/// A grid of density values over a rectangle in projected metres.
public struct DensityRaster: Sendable, Hashable {
    /// The lower-left corner of the raster (projected metres).
    public let minX: Double, minY: Double
    public let cellSize: Double
    public let columns: Int, rows: Int
    /// Events per km² at each cell centre, row by row from the bottom.
    public var values: [Double]

    /// An all-zero raster.
    public init(minX: Double, minY: Double, cellSize: Double, columns: Int, rows: Int) {
        self.minX = minX; self.minY = minY; self.cellSize = cellSize; self.columns = columns; self.rows = rows
        values = [Double](repeating: 0, count: columns * rows)
    }

    public var extent: BoundingBox { BoundingBox(minX: minX, minY: minY, maxX: minX + Double(columns) * cellSize, maxY: minY + Double(rows) * cellSize) }

    /// The centre of a cell, in projected metres.
    public func centre(column c: Int, row r: Int) -> Coordinate { Coordinate(minX + (Double(c) + 0.5) * cellSize, minY + (Double(r) + 0.5) * cellSize) }

    /// The value of a cell.
    public subscript(column c: Int, row r: Int) -> Double { values[r * columns + c] }

    public var maximum: Double { values.max() ?? 0 }

    /// The density shown as the top of the colour ramp: the 99th percentile of the non-zero
    /// cells, so that one extreme spot does not leave the rest of the map a uniform pale blue.
    public var displayScale: Double {
        let positive = values.filter { $0 > 0 }
        guard !positive.isEmpty else { return 0 }
        return positive.kthSmallest(min(positive.count - 1, Int(Double(positive.count) * 0.99)))
    }

    /// Events in the raster: the sum of density × cell area.
    public var total: Double { values.reduce(0, +) * cellSize * cellSize / 1e6 }

    /// The density at a point, interpolated bilinearly between cell centres (0 outside).
    public func value(at p: Coordinate) -> Double {
        let fx = (p.x - minX) / cellSize - 0.5, fy = (p.y - minY) / cellSize - 0.5
        guard fx >= -0.5, fy >= -0.5, fx <= Double(columns) - 0.5, fy <= Double(rows) - 0.5 else { return 0 }
        let c0 = max(0, min(columns - 1, Int(fx.rounded(.down)))), r0 = max(0, min(rows - 1, Int(fy.rounded(.down))))
        let c1 = min(columns - 1, c0 + 1), r1 = min(rows - 1, r0 + 1)
        let tx = max(0, min(1, fx - Double(c0))), ty = max(0, min(1, fy - Double(r0)))
        let bottom = self[column: c0, row: r0] * (1 - tx) + self[column: c1, row: r0] * tx
        let top = self[column: c0, row: r1] * (1 - tx) + self[column: c1, row: r1] * tx
        return bottom * (1 - ty) + top * ty
    }
}

/// Quartic-kernel density of points on a raster, and the direct sum at one point (the reference).
public enum KernelDensity {
    /// The quartic kernel at squared distance `d2`, per square metre.
    @inline(__always)
    public static func quartic(squaredDistance d2: Double, bandwidth h: Double) -> Double {
        let h2 = h * h
        guard d2 < h2 else { return 0 }
        let t = 1 - d2 / h2
        return 3 / (Double.pi * h2) * t * t
    }

    /// How a raster is computed.
    public enum Method: String, Sendable, CaseIterable {
        /// The cheaper of the two for these events and this raster (`prefersBinned`).
        case auto
        /// Every event's kernel at every cell centre within the bandwidth.
        case exact
        /// Quadratic binning, then the kernel stencil (how near exact: KernelDensityBinned.swift and the tests).
        case binned

        /// Whether this method, for these events and this raster, is the binned one.
        public func bins(events: Int, reach: Double, cells: Int) -> Bool {
            self == .binned || (self == .auto && KernelDensity.prefersBinned(events: events, reach: reach, cells: cells))
        }
    }

    /// Density (events per km²) at cell centres over `extent`, by `method`.
    public static func raster(_ points: [Coordinate], bandwidth h: Double, cellSize c: Double, extent: BoundingBox,
                              method: Method) -> DensityRaster {
        let columns = max(1, Int((extent.width / c).rounded(.up))), rows = max(1, Int((extent.height / c).rounded(.up)))
        let binned = method.bins(events: points.count, reach: h / c, cells: columns * rows)
        return binned ? binnedRaster(points, bandwidth: h, cellSize: c, extent: extent) : raster(points, bandwidth: h, cellSize: c, extent: extent)
    }

    /// Whether binning costs less than the exact sum: the exact sum touches (2r + 1)² cells per
    /// event; binning touches 9 per event, then every cell of the raster gathers a stencil of
    /// about π r² cells, half of them as multiplications (its symmetry).
    public static func prefersBinned(events: Int, reach r: Double, cells: Int) -> Bool {
        let exact = Double(events) * (2 * r + 1) * (2 * r + 1)
        let binned = 9 * Double(events) + stencilWork(reach: r, cells: Double(cells))
        return binned < exact
    }

    /// The binned path's convolution work: every cell gathers a stencil of about π (r + 1)²
    /// cells, half of them as multiplications (its symmetry).
    public static func stencilWork(reach r: Double, cells: Double) -> Double {
        cells * Double.pi * (r + 1) * (r + 1) / 2
    }

    /// Density (events per km²) at cell centres over `extent`, each event spread over the cells
    /// within `bandwidth` of it (work grows with events × (bandwidth / cell)², not with the area).
    public static func raster(_ points: [Coordinate], bandwidth h: Double, cellSize c: Double, extent: BoundingBox) -> DensityRaster {
        let columns = max(1, Int((extent.width / c).rounded(.up))), rows = max(1, Int((extent.height / c).rounded(.up)))
        var raster = DensityRaster(minX: extent.minX, minY: extent.minY, cellSize: c, columns: columns, rows: rows)
        let scale = 1e6   // per m² → per km²
        raster.values.withUnsafeMutableBufferPointer { v in
            for p in points {
                let c0 = max(0, Int(((p.x - h - extent.minX) / c - 0.5).rounded(.up)))
                let c1 = min(columns - 1, Int(((p.x + h - extent.minX) / c - 0.5).rounded(.down)))
                let r0 = max(0, Int(((p.y - h - extent.minY) / c - 0.5).rounded(.up)))
                let r1 = min(rows - 1, Int(((p.y + h - extent.minY) / c - 0.5).rounded(.down)))
                guard c0 <= c1, r0 <= r1 else { continue }
                for r in r0...r1 {
                    let dy = extent.minY + (Double(r) + 0.5) * c - p.y
                    for col in c0...c1 {
                        let dx = extent.minX + (Double(col) + 0.5) * c - p.x
                        v[r * columns + col] += quartic(squaredDistance: dx * dx + dy * dy, bandwidth: h) * scale
                    }
                }
            }
        }
        return raster
    }

    /// The density (events per km²) at one point by summing every event: the reference.
    public static func density(at q: Coordinate, points: [Coordinate], bandwidth h: Double) -> Double {
        points.reduce(0) { sum, p in
            let dx = p.x - q.x, dy = p.y - q.y
            return sum + quartic(squaredDistance: dx * dx + dy * dy, bandwidth: h)
        } * 1e6
    }
}
