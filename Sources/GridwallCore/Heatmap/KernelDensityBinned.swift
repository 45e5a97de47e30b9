// The binned kernel density: quadratic binning onto the cell centres, then the quartic kernel as
// a stencil. Why a stencil and not an FFT, as numpy users do: the stencil is at most (2·12 + 1)²
// cells (the bandwidth is limited to 12 cells, HeatmapLimits), its symmetry halves the work
// twice over, and it needs no FFT library.
//
// Binning: each event goes to the 3 × 3 cell centres around it, with weights per axis
// ((t² − t)/2, 1 − t², (t² + t)/2) for an event t cells from the middle one. They keep the
// event's count, its mean and its spread (t², where linear binning onto two centres adds
// t(1 − t) and blurs the kernel), so the kernel stencil alone is right to second order: one
// stencil where linear binning needed two more to take its blur back out. Measured against the
// exact sum on the dense cells (at least a tenth of the peak; BinnedDensityTests): within 0.3 %
// on the sample district and 0.6 % on tight clusters. Events piled on one position are the
// exception (the kernel's rim, where its second derivative jumps, falls between centres the same
// way for all of them): they add their exact kernels instead (KernelDensityPiles.swift), which
// takes Toronto's geocoded 2020 crime events at 300 m / 50 m from 3.9 % to 0.15 %. The outer weights are negative, so a cell at the very rim of an
// isolated event can come out slightly below zero (a thousandth of the peak); nothing is clamped,
// so every event adds exactly one event to the raster (before the edges crop anything).

import Dispatch

extension KernelDensity {
    /// Density (events per km²) at cell centres over `extent` by quadratic binning and the kernel
    /// stencil, on up to `threads` threads: each bins its share of the events into bins of its
    /// own (the bins are added up after), then each convolves its share of the output rows.
    public static func binnedRaster(_ points: [Coordinate], bandwidth h: Double, cellSize c: Double, extent: BoundingBox,
                                    threads: Int = 1) -> DensityRaster {
        let columns = max(1, Int((extent.width / c).rounded(.up))), rows = max(1, Int((extent.height / c).rounded(.up)))
        var raster = DensityRaster(minX: extent.minX, minY: extent.minY, cellSize: c, columns: columns, rows: rows)
        // The bins reach a kernel beyond the raster on every side, and an event one more cell
        // beyond: events just outside still add to the cells inside, as in the exact sum.
        let reach = Int((h / c).rounded(.down))
        let pad = reach + 2
        let grid = PaddedBins(width: columns + 2 * pad, height: rows + 2 * pad, pad: pad, cell: c,
                              originX: extent.minX - Double(pad) * c, originY: extent.minY - Double(pad) * c)
        let stencil = Stencil(bandwidth: h, cellSize: c, reach: reach)
        // Events piled on one position add their exact kernels (KernelDensityPiles.swift), for
        // at most the convolution's work again.
        let piles = Piles.find(in: points, grid: grid, reach: reach,
                               budget: max(9 * Double(points.count), stencilWork(reach: Double(reach), cells: Double(columns * rows))),
                               threads: threads)
        let points = piles?.scattered ?? points
        // A share below a few hundred thousand events is not worth a thread and its own bins.
        let parts = max(1, min(threads, points.count / 200_000))
        var bins = [Double](repeating: 0, count: parts * grid.count)
        points.withUnsafeBufferPointer { all in bins.withUnsafeMutableBufferPointer { b in
            // Safe: each part reads its own range of points and writes its own bins;
            // concurrentPerform returns when every part has.
            nonisolated(unsafe) let (all, b) = (all, b)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let range = (all.count * part / parts)..<(all.count * (part + 1) / parts)
                grid.bin(UnsafeBufferPointer(rebasing: all[range]), into: b.baseAddress! + part * grid.count)
            }
            for part in 1..<parts {
                let from = b.baseAddress! + part * grid.count
                for k in 0..<grid.count { b[k] += from[k] }
            }
            piles?.unbin(from: b.baseAddress!, grid: grid)
        } }
        // The rows the convolution can skip: found once over the bins rather than marked by
        // every event (three stores an event, a tenth of the binning). A row whose bins all
        // came to zero adds nothing, so skipping it changes no cell.
        let occupiedRows = bins.withUnsafeBufferPointer { b in
            (0..<grid.height).map { r in UnsafeBufferPointer(rebasing: b[(r * grid.width)..<((r + 1) * grid.width)]).contains { $0 != 0 } }
        }
        let bands = max(1, min(threads, rows / 64))
        bins.withUnsafeBufferPointer { b in occupiedRows.withUnsafeBufferPointer { o in raster.values.withUnsafeMutableBufferPointer { out in
            // Safe: each band writes its own output rows.
            nonisolated(unsafe) let (b, o, out) = (b, o, out)
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                convolve(b, grid: grid, occupiedRows: o, stencil: stencil, rows: (rows * band / bands)..<(rows * (band + 1) / bands),
                         columns: columns, into: out)
            }
        } } }
        piles?.add(to: &raster, bandwidth: h, threads: threads)
        return raster
    }

    /// The padded grid of bins: `pad` cells beyond the raster on every side.
    struct PaddedBins: Sendable {
        let width: Int, height: Int, pad: Int
        let cell: Double, originX: Double, originY: Double
        var count: Int { width * height }

        /// Whether `p` is binned: its nine cell centres are all in the grid (NaN is not). The
        /// nearest centre of a position is rounded to even on a tie, so a position exactly half
        /// a cell from the grid's first centre (which would round to it) is not binned; it lies
        /// in the padding, a kernel and a cell away from the raster.
        func holds(_ p: Coordinate) -> Bool { offsets(p) != nil }

        /// `p` in cell-centre units of the padded grid, when the grid holds it.
        @inline(__always)
        private func offsets(_ p: Coordinate) -> (fx: Double, fy: Double)? {
            let inverse = 1 / cell
            let fx = (p.x - originX) * inverse - 0.5, fy = (p.y - originY) * inverse - 0.5
            return fx > 0.5 && fy > 0.5 && fx < Double(width) - 1.5 && fy < Double(height) - 1.5 ? (fx, fy) : nil
        }

        /// Adds each point's nine weights to `b`.
        func bin(_ points: UnsafeBufferPointer<Coordinate>, into b: UnsafeMutablePointer<Double>) {
            for p in points { spread(p, weight: 1, into: b) }
        }

        /// Adds `weight` times `p`'s nine weights to `b`, if the grid holds `p`.
        @inline(__always)
        func spread(_ p: Coordinate, weight: Double, into b: UnsafeMutablePointer<Double>) {
            // Position in cell-centre units of the padded grid; the nearest centre and the
            // offset from it, t in [−½, ½].
            guard let (fx, fy) = offsets(p) else { return }
            // The nearest centre without Swift's checked conversion (its range tests and
            // the index arithmetic's overflow tests were a third of the binning): adding
            // 1.5 · 2⁵² rounds a double in [0, 2³¹) to an integer, which then sits in the
            // low bits of its pattern. The guard above keeps fx and fy in that range.
            let rx = fx + Self.roundingMagic, ry = fy + Self.roundingMagic
            let i = Int(truncatingIfNeeded: rx.bitPattern & 0xFFFF_FFFF), j = Int(truncatingIfNeeded: ry.bitPattern & 0xFFFF_FFFF)
            let tx = fx - (rx - Self.roundingMagic), ty = fy - (ry - Self.roundingMagic)
            // ((t² − t)/2, 1 − t², (t² + t)/2), from t²/2 and t/2.
            let sx = 0.5 * tx * tx, hx = 0.5 * tx, sy = 0.5 * ty * ty, hy = 0.5 * ty
            let x0 = (sx - hx) * weight, x1 = (1 - 2 * sx) * weight, x2 = (sx + hx) * weight
            let y0 = sy - hy, y1 = 1 - 2 * sy, y2 = sy + hy
            var k = (j &- 1) &* width &+ i &- 1
            b[k] += x0 * y0; b[k &+ 1] += x1 * y0; b[k &+ 2] += x2 * y0
            k &+= width
            b[k] += x0 * y1; b[k &+ 1] += x1 * y1; b[k &+ 2] += x2 * y1
            k &+= width
            b[k] += x0 * y2; b[k &+ 1] += x1 * y2; b[k &+ 2] += x2 * y2
        }

        /// 1.5 · 2⁵²: a double in [−2⁵¹, 2⁵¹) plus this is rounded to an integer (to even on a tie).
        static let roundingMagic = 6_755_399_441_055_744.0
    }

    /// Adds the stencil around every bin to output `rows` of the raster, one row at a time. The
    /// kernel is symmetric in x and in y, so the two bin rows dy above and below are summed
    /// first, and then the two columns dx left and right: about a third of the multiplications
    /// of a plain stencil, in loops along whole rows that the compiler vectorises.
    static func convolve(_ b: UnsafeBufferPointer<Double>, grid: PaddedBins, occupiedRows: UnsafeBufferPointer<Bool>, stencil: Stencil,
                         rows: Range<Int>, columns: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let width = grid.width, pad = grid.pad
        var pair = [Double](repeating: 0, count: width)
        pair.withUnsafeMutableBufferPointer { v in
            for r in rows {
                let o = out.baseAddress! + r * columns, centre = r + pad
                for dy in 0...stencil.reach {
                    let above = centre + dy, below = centre - dy
                    guard occupiedRows[above] || occupiedRows[below] else { continue }
                    let a = b.baseAddress! + above * width, d = b.baseAddress! + below * width
                    if dy == 0 {
                        for t in 0..<width { v[t] = a[t] }
                    } else {
                        for t in 0..<width { v[t] = a[t] + d[t] }
                    }
                    let weights = stencil.weights[dy]
                    let middle = v.baseAddress! + pad
                    let w0 = weights[0]
                    for t in 0..<columns { o[t] += w0 * middle[t] }
                    for dx in 1..<max(1, weights.count) {
                        let w = weights[dx], right = middle + dx, left = middle - dx
                        for t in 0..<columns { o[t] += w * (right[t] + left[t]) }
                    }
                }
            }
        }
    }

    /// The kernel sampled at the cell offsets within the bandwidth, one quadrant: `weights[dy][dx]`
    /// for dy, dx = 0… (the other three quadrants mirror it), in events per km², normalised so
    /// that the whole stencil adds up to one event.
    struct Stencil: Sendable {
        let reach: Int
        var weights: [[Double]] = []

        init(bandwidth h: Double, cellSize c: Double, reach: Int) {
            self.reach = reach
            let h2 = h * h, a = 3 / (Double.pi * h2)
            var sum = 0.0
            for dy in 0...reach {
                let y = Double(dy) * c
                let span = Int(((max(0, h2 - y * y)).squareRoot() / c).rounded(.down))
                var row: [Double] = []
                for dx in 0...span {
                    let x = Double(dx) * c
                    let u = max(0, 1 - (x * x + y * y) / h2)
                    row.append(a * u * u)
                    sum += a * u * u * Double((dx == 0 ? 1 : 2) * (dy == 0 ? 1 : 2))
                }
                weights.append(row)
            }
            let scale = sum > 0 ? 1e6 / (sum * c * c) : 0
            weights = weights.map { $0.map { $0 * scale } }
        }
    }
}
