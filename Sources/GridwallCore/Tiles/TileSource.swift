// One tile source: features prepared once in world coordinates with their attributes, cut into
// any tile on request. A source is immutable; a layer change builds a new one.

/// A feature ready for tiling.
public struct TileFeature: Sendable {
    /// The MVT feature id (numeric, as MVT requires; the string id travels as the `id` attribute).
    public var id: UInt64
    public var properties: [(String, MVTValue?)]
    public var shape: WorldShape
    public var box: BoundingBox

    public init(id: UInt64, properties: [(String, MVTValue?)], shape: WorldShape) {
        self.id = id; self.properties = properties; self.shape = shape; box = shape.box
    }
}

/// The attribute types a source's features carry, for TileJSON's `vector_layers`.
public enum TileFieldType: String, Sendable {
    case string = "String", number = "Number", boolean = "Boolean"
}

/// Features of one layer, found per tile through a bucket grid over their boxes.
public struct TileSource: Sendable {
    public let name: String
    public let description: String
    public let minZoom: Int, maxZoom: Int
    public let features: [TileFeature]
    /// Attribute names and types, in first-seen order.
    public let fields: [(name: String, type: TileFieldType)]
    /// The WGS84 box of every feature.
    public let bounds: BoundingBox
    // A 64 × 64 bucket grid over the features' world box; a feature sits in every bucket its
    // box touches. A tile reads the buckets under it instead of every feature.
    private let grid: BoundingBox
    private static let side = 64
    private let buckets: [[Int32]]
    /// The first bucket (column, row) of each feature's box: a feature is taken from the
    /// first bucket of a query that holds it, so no set is needed to take it once.
    private let firstCell: [(Int16, Int16)]
    /// Every feature's attributes interned once (`MVTAttributeTable`).
    public let attributes: MVTAttributeTable
    private let tags: [[UInt32]]
    /// Every feature's polygons, flat, for cutting without nested arrays.
    private let polygons: WorldPolygonStore

    public init(name: String, description: String, minZoom: Int = 0, maxZoom: Int = 16, features: [TileFeature]) {
        self.name = name; self.description = description
        self.minZoom = minZoom; self.maxZoom = maxZoom
        self.features = features
        var seen: [String: TileFieldType] = [:], order: [(String, TileFieldType)] = []
        for f in features {
            for (key, value) in f.properties where seen[key] == nil {
                guard let value else { continue }
                let type: TileFieldType
                switch value { case .string: type = .string; case .bool: type = .boolean; default: type = .number }
                seen[key] = type; order.append((key, type))
            }
        }
        fields = order
        var world = BoundingBox.empty
        for f in features { world.extend(f.box) }
        grid = world
        bounds = world.isEmpty ? .empty
            : BoundingBox(minX: world.minX * 360 - 180, minY: TileID.latitude(worldY: world.maxY),
                          maxX: world.maxX * 360 - 180, maxY: TileID.latitude(worldY: world.minY))
        var buckets = [[Int32]](repeating: [], count: Self.side * Self.side)
        var firstCell = [(Int16, Int16)](repeating: (0, 0), count: features.count)
        if !world.isEmpty {
            for (i, f) in features.enumerated() {
                let (c0, r0) = Self.cell(Coordinate(f.box.minX, f.box.minY), world), (c1, r1) = Self.cell(Coordinate(f.box.maxX, f.box.maxY), world)
                firstCell[i] = (Int16(c0), Int16(r0))
                for r in r0...r1 { for c in c0...c1 { buckets[r * Self.side + c].append(Int32(i)) } }
            }
        }
        self.buckets = buckets
        self.firstCell = firstCell
        var polygons = WorldPolygonStore()
        for f in features { polygons.append(f.shape) }
        self.polygons = polygons
        var table = MVTAttributeTable()
        tags = features.map { table.intern($0.properties) }
        attributes = table
    }

    private static func cell(_ p: Coordinate, _ world: BoundingBox) -> (Int, Int) {
        let fx = world.width > 0 ? (p.x - world.minX) / world.width : 0, fy = world.height > 0 ? (p.y - world.minY) / world.height : 0
        return (max(0, min(side - 1, Int(fx * Double(side)))), max(0, min(side - 1, Int(fy * Double(side)))))
    }

    /// The indices of features whose boxes meet `box` (world units), ascending.
    public func candidates(in box: BoundingBox) -> [Int] {
        guard !grid.isEmpty, box.intersects(grid) else { return [] }
        let (c0, r0) = Self.cell(Coordinate(max(box.minX, grid.minX), max(box.minY, grid.minY)), grid)
        let (c1, r1) = Self.cell(Coordinate(min(box.maxX, grid.maxX), min(box.maxY, grid.maxY)), grid)
        var out: [Int] = []
        for r in r0...r1 { for c in c0...c1 {
            for i in buckets[r * Self.side + c] {
                let (fc, fr) = firstCell[Int(i)]
                // Taken in the first bucket of this query that holds it.
                guard max(Int(fc), c0) == c && max(Int(fr), r0) == r, features[Int(i)].box.intersects(box) else { continue }
                out.append(Int(i))
            }
        } }
        return out.sorted()
    }

    /// This source's layer of `tile` (empty when the zoom is outside the source's range or no
    /// feature reaches the tile); `extra` adds attributes per feature index (live figures).
    public func layer(_ tile: TileID, cutter: TilePolygonCutter, extent: Int = 4096, buffer: Int = 64,
                      extra: ((Int) -> [(String, MVTValue?)])? = nil) throws -> MVTLayer {
        var layer = MVTLayer(name: name, extent: extent, table: attributes)
        guard tile.z >= minZoom && tile.z <= maxZoom else { return layer }
        let clipper = TileClipper(tile: tile, extent: extent, buffer: buffer)
        var cut = TilePolygons(), scratch = TileCutScratch()
        for i in candidates(in: clipper.worldBox) {
            if polygons.polygons(ofFeature: i).isEmpty {
                guard let shape = try clipper.cut(features[i].shape, cutter: cutter) else { continue }
                layer.add(id: features[i].id, tags: tags[i], properties: extra?(i) ?? [], shape: shape)
            } else {
                try clipper.cut(polygons, feature: i, box: features[i].box, into: &cut, scratch: &scratch, cutter: cutter)
                guard !cut.isEmpty else { continue }
                layer.add(id: features[i].id, tags: tags[i], properties: extra?(i) ?? [], polygons: cut)
            }
        }
        return layer
    }
}
