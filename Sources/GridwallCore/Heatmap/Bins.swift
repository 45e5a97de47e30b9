import Foundation

// Hexagonal and square bins in projected metres, aligned to the CRS's origin, so the same place
// falls in the same bin, with the same id, in every request and on every server.

/// A bin's integer address: square bins are (column, row) = (⌊x / size⌋, ⌊y / size⌋); hexagons
/// are axial coordinates (q, r) of a pointy-top tiling with a centre at the CRS origin.
public struct BinKey: Sendable, Hashable, Comparable {
    public var a: Int32, b: Int32
    /// A key from its two coordinates.
    public init(_ a: Int32, _ b: Int32) { self.a = a; self.b = b }
    /// Row, then column: the order bins are listed in.
    public static func < (l: BinKey, r: BinKey) -> Bool { (l.b, l.a) < (r.b, r.a) }
}

/// Events in one bin.
public struct BinCount: Sendable, Hashable {
    public var key: BinKey
    public var count: Int
    /// A bin's count.
    public init(key: BinKey, count: Int) { self.key = key; self.count = count }
}

/// A tiling of projected metres into hexagons or squares of one size, aligned to the CRS origin.
public struct BinGrid: Sendable, Hashable {
    /// Hexagons (pointy top) or squares.
    public enum Shape: String, Sendable, CaseIterable { case hex, square }
    public let shape: Shape
    /// Square: the side. Hexagon: the side, which equals the distance from centre to corner.
    public let size: Double

    /// The hexagons' axial scales, 1 / size folded in (a multiplication per event instead of a
    /// division).
    private let hexQ: Double, hexQFromY: Double, hexR: Double

    /// A tiling of `shape` with sides of `size` metres.
    public init(_ shape: Shape, size: Double) {
        precondition(size > 0 && size.isFinite)
        self.shape = shape; self.size = size
        hexQ = Self.sqrt3 / 3 / size
        hexQFromY = 1.0 / 3 / size
        hexR = 2.0 / 3 / size
    }

    static let sqrt3 = 3.0.squareRoot()

    /// The bin holding a projected point. Points on a shared edge go to one bin consistently
    /// (squares: the one above/right; hexagons: by cube rounding).
    @inline(__always)
    public func key(of p: Coordinate) -> BinKey {
        switch shape {
        case .square:
            return BinKey(Self.floorKey(p.x / size), Self.floorKey(p.y / size))
        case .hex:
            let q = hexQ * p.x - hexQFromY * p.y
            let r = hexR * p.y
            // Cube rounding: round all three cube coordinates, then fix the one that moved most.
            // The rounding adds and subtracts 1.5 × 2⁵² (the sum keeps no fraction: the nearest
            // integer, ties to even), and the key is read from the sum's low bits, so no
            // conversion with its range checks runs per event (`keysFit` bounds the extent).
            // The choice is blended arithmetically (0/1 weights from the comparisons), not
            // branched on: the comparisons are random per event, and as branches they cost a
            // misprediction on every other event.
            let s = -q - r
            let rq = (q + Self.roundingShift) - Self.roundingShift
            let rr0 = (r + Self.roundingShift) - Self.roundingShift
            let rs = (s + Self.roundingShift) - Self.roundingShift
            let dq = abs(rq - q), dr = abs(rr0 - r), ds = abs(rs - s)
            let fixQ = Double(unsafeBitCast(dq > max(dr, ds), to: UInt8.self))
            let fixR = (1 - fixQ) * Double(unsafeBitCast(dr > ds, to: UInt8.self))
            let fq = rq + fixQ * (-rr0 - rs - rq)
            let rr = rr0 + fixR * (-rq - rs - rr0)
            return BinKey(Int32(truncatingIfNeeded: (fq + Self.roundingShift).bitPattern), Int32(truncatingIfNeeded: (rr + Self.roundingShift).bitPattern))
        }
    }

    /// 1.5 × 2⁵²: a double this large has no fractional bits, and adding it to |v| < 2⁵¹
    /// rounds v to an integer that the low bits of the sum hold in two's complement.
    static let roundingShift = 6_755_399_441_055_744.0

    /// ⌊v⌋ as a key: the nearest integer (by `roundingShift`), less one where that is above v;
    /// no conversion, no branch. Why not `rounded(.down)`: without SSE4.1 in the target (the
    /// default x86-64 baseline) that is a call into libm per use, and binning ten million events
    /// spent most of its time there; `Int(v)` checks its range on every call.
    @inline(__always)
    static func floorKey(_ v: Double) -> Int32 {
        let nearest = (v + roundingShift) - roundingShift
        let below = nearest - Double(unsafeBitCast(nearest > v, to: UInt8.self))
        return Int32(truncatingIfNeeded: (below + roundingShift).bitPattern)
    }

    /// Whether every point of `box` gets a key that fits the 32-bit key fields (keys are not
    /// range-checked per point, for speed: callers check the extent once).
    public func keysFit(_ box: BoundingBox) -> Bool {
        guard !box.isEmpty else { return true }
        let reach = max(abs(box.minX), abs(box.maxX), abs(box.minY), abs(box.maxY))
        // Hexagon axial coordinates reach (|x| + |y|) / size at most; squares |x| / size.
        return reach.isFinite && 2 * reach / size < Double(Int32.max - 2)
    }

    /// The centre of a bin, in projected metres.
    public func centre(_ k: BinKey) -> Coordinate {
        switch shape {
        case .square: return Coordinate((Double(k.a) + 0.5) * size, (Double(k.b) + 0.5) * size)
        case .hex: return Coordinate(size * Self.sqrt3 * (Double(k.a) + Double(k.b) / 2), size * 1.5 * Double(k.b))
        }
    }

    /// The bin's outline, counter-clockwise, closed (first corner repeated), projected metres.
    public func outline(_ k: BinKey) -> [Coordinate] {
        switch shape {
        case .square:
            let x0 = Double(k.a) * size, y0 = Double(k.b) * size
            return [Coordinate(x0, y0), Coordinate(x0 + size, y0), Coordinate(x0 + size, y0 + size), Coordinate(x0, y0 + size), Coordinate(x0, y0)]
        case .hex:
            let c = centre(k)
            var ring = (0..<6).map { i -> Coordinate in
                let angle = Double.pi / 180 * (60 * Double(i) - 30)
                return Coordinate(c.x + size * cos(angle), c.y + size * sin(angle))
            }
            ring.append(ring[0])
            return ring
        }
    }

    /// Square metres per bin.
    public var cellArea: Double { shape == .square ? size * size : 1.5 * Self.sqrt3 * size * size }

    /// A stable, readable id: `h250:q:r` or `s500:column:row` (size in metres, as given).
    public func id(_ k: BinKey) -> String {
        let s = size == size.rounded() ? String(Int(size)) : String(size)
        return "\(shape == .hex ? "h" : "s")\(s):\(k.a):\(k.b)"
    }

    /// The lattice neighbours of a bin: 6 for hexagons; 8 (queen) or 4 (rook) for squares.
    public func neighbours(_ k: BinKey, _ rule: SpatialWeights.Contiguity = .queen) -> [BinKey] {
        switch shape {
        case .hex:
            return [(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)].map { BinKey(k.a + Int32($0.0), k.b + Int32($0.1)) }
        case .square:
            var out: [BinKey] = []
            for db in -1...1 { for da in -1...1 where (da != 0 || db != 0) && (rule == .queen || da == 0 || db == 0) {
                out.append(BinKey(k.a + Int32(da), k.b + Int32(db)))
            } }
            return out
        }
    }
}

/// Square cells over the rectangle covering some points, aligned to multiples of the cell size,
/// numbered row by row from the lower left: the layout hot-spot statistics over bins use when
/// empty cells count (PySAL's `lat2W` numbers a lattice the same way).
public struct SquareLattice: Sendable, Hashable {
    public let cellSize: Double
    public let firstColumn: Int, firstRow: Int
    public let columns: Int, rows: Int
    public var cellCount: Int { columns * rows }

    /// A lattice from its first cell and its size in cells.
    public init(cellSize: Double, firstColumn: Int, firstRow: Int, columns: Int, rows: Int) {
        self.cellSize = cellSize; self.firstColumn = firstColumn; self.firstRow = firstRow
        self.columns = max(0, columns); self.rows = max(0, rows)
    }

    /// The lattice covering `points`.
    public init(cellSize: Double, covering points: [Coordinate]) {
        var box = BoundingBox.empty
        for p in points { box.extend(p) }
        self.init(cellSize: cellSize, covering: box)
    }

    /// The lattice covering `box`.
    public init(cellSize: Double, covering box: BoundingBox) {
        guard !box.isEmpty else { self.init(cellSize: cellSize, firstColumn: 0, firstRow: 0, columns: 0, rows: 0); return }
        let c0 = Int((box.minX / cellSize).rounded(.down)), r0 = Int((box.minY / cellSize).rounded(.down))
        let c1 = Int((box.maxX / cellSize).rounded(.down)), r1 = Int((box.maxY / cellSize).rounded(.down))
        self.init(cellSize: cellSize, firstColumn: c0, firstRow: r0, columns: c1 - c0 + 1, rows: r1 - r0 + 1)
    }

    /// The cell number of a point inside the rectangle.
    @inline(__always)
    public func cell(of p: Coordinate) -> Int {
        let c = Int((p.x / cellSize).rounded(.down)) - firstColumn, r = Int((p.y / cellSize).rounded(.down)) - firstRow
        return r * columns + c
    }

    /// Whether a point falls inside the rectangle.
    public func contains(_ p: Coordinate) -> Bool {
        let c = Int((p.x / cellSize).rounded(.down)) - firstColumn, r = Int((p.y / cellSize).rounded(.down)) - firstRow
        return c >= 0 && c < columns && r >= 0 && r < rows
    }

    /// The absolute (column, row) of cell i: the same as a `BinGrid(.square)` key.
    public func columnRow(_ i: Int) -> (Int, Int) { (firstColumn + i % columns, firstRow + i / columns) }
}
