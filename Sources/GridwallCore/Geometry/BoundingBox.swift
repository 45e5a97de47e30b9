/// An axis-aligned box; `empty` has min > max so that extending it by a point yields that point.
public struct BoundingBox: Sendable, Hashable, Codable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double

    /// A box from its corners.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    public static let empty = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    public var isEmpty: Bool { minX > maxX || minY > maxY }
    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var center: Coordinate { Coordinate((minX + maxX) / 2, (minY + maxY) / 2) }

    /// Grows the box to hold `c`.
    public mutating func extend(_ c: Coordinate) {
        if c.x < minX { minX = c.x }
        if c.x > maxX { maxX = c.x }
        if c.y < minY { minY = c.y }
        if c.y > maxY { maxY = c.y }
    }

    /// Grows the box to hold `other`.
    public mutating func extend(_ other: BoundingBox) {
        guard !other.isEmpty else { return }
        minX = Swift.min(minX, other.minX); minY = Swift.min(minY, other.minY)
        maxX = Swift.max(maxX, other.maxX); maxY = Swift.max(maxY, other.maxY)
    }

    /// Whether `c` lies inside or on the box.
    public func contains(_ c: Coordinate) -> Bool {
        c.x >= minX && c.x <= maxX && c.y >= minY && c.y <= maxY
    }

    /// Whether the boxes share at least a point.
    public func intersects(_ o: BoundingBox) -> Bool {
        !(o.minX > maxX || o.maxX < minX || o.minY > maxY || o.maxY < minY)
    }

    /// The box grown by `margin` on every side.
    public func expanded(by margin: Double) -> BoundingBox {
        BoundingBox(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    /// As GeoJSON writes a bbox: [minX, minY, maxX, maxY].
    public var array: [Double] { [minX, minY, maxX, maxY] }
}

extension BoundingBox {
    /// Where most of these longitude/latitude positions lie: the 1st to 99th percentile in each
    /// axis, widened by a quarter of its size on every side (at least 0.01°), so ordinary
    /// positions stay inside and only outliers fall out. The indexes size their buckets from
    /// this, not from the extent of all positions, which one far-off point could stretch.
    public static func bulk(of positions: [Coordinate]) -> BoundingBox {
        let finite = positions.filter { $0.isFinite && abs($0.x) <= 180 && abs($0.y) <= 90 }
        guard !finite.isEmpty else { return BoundingBox(minX: 120, minY: 30, maxX: 120, maxY: 30) }
        let xs = finite.map(\.x).sorted(), ys = finite.map(\.y).sorted()
        let lo = finite.count / 100, hi = finite.count - 1 - finite.count / 100
        let box = BoundingBox(minX: xs[lo], minY: ys[lo], maxX: xs[hi], maxY: ys[hi])
            .expanded(by: Swift.max(0.01, 0.25 * Swift.max(xs[hi] - xs[lo], ys[hi] - ys[lo])))
        return BoundingBox(minX: Swift.max(-180, box.minX), minY: Swift.max(-90, box.minY),
                           maxX: Swift.min(180, box.maxX), maxY: Swift.min(90, box.maxY))
    }
}
