// Mapbox Vector Tile 2.1 writer. Why our own: the schema is four small messages, and writing
// the protobuf by hand (varints, packed fields, length prefixes into one byte buffer) needs no
// code generator, allocates one array per layer and is as fast as encoding can be; the live
// tiles (responders, heat) are built on request, so this is on the hot path.
//
//   Tile    { repeated Layer layers = 3; }
//   Layer   { required uint32 version = 15; required string name = 1; repeated Feature features = 2;
//             repeated string keys = 3; repeated Value values = 4; optional uint32 extent = 5; }
//   Feature { optional uint64 id = 1; repeated uint32 tags = 2 [packed]; optional GeomType type = 3;
//             repeated uint32 geometry = 4 [packed]; }
//   Value   { string = 1 | float = 2 | double = 3 | int64 = 4 | uint64 = 5 | sint64 = 6 | bool = 7 }
//
// Geometry is a command stream in tile units (y down): MoveTo(1), LineTo(2), ClosePath(7), each
// command integer (id | count << 3) followed by zigzag-encoded deltas from the previous point.

/// An attribute value as MVT stores it.
public enum MVTValue: Sendable, Hashable {
    case string(String)
    case double(Double)
    case int(Int64)
    case bool(Bool)
}

/// A feature's geometry in integer tile units, y down, already clipped and wound.
public enum TileShape: Sendable, Hashable {
    /// One or more points.
    case points([TilePoint])
    /// Polygons, each its exterior ring then its holes; rings are open (the first point is not
    /// repeated at the end), exteriors clockwise on screen, holes counter-clockwise.
    case polygons([[[TilePoint]]])
    /// One or more lines.
    case lines([[TilePoint]])
}

/// A point in tile units.
public struct TilePoint: Sendable, Hashable {
    public var x: Int32, y: Int32
    public init(_ x: Int32, _ y: Int32) { self.x = x; self.y = y }
}

/// Keys and values interned once for a whole source, so that a tile maps a feature's
/// attributes to the layer's tables by array lookups instead of hashing strings per feature.
public struct MVTAttributeTable: Sendable {
    public private(set) var keys: [String] = []
    public private(set) var values: [MVTValue] = []
    private var keyIndex: [String: UInt32] = [:], valueIndex: [MVTValue: UInt32] = [:]

    public init() {}

    /// The (key, value) indices of `properties` in this table (nil values and non-finite
    /// numbers left out), interning what is new.
    public mutating func intern(_ properties: [(String, MVTValue?)]) -> [UInt32] {
        var tags: [UInt32] = []
        tags.reserveCapacity(properties.count * 2)
        for (key, value) in properties {
            guard let value else { continue }
            if case .double(let d) = value, !d.isFinite { continue }
            let k: UInt32
            if let i = keyIndex[key] { k = i } else { k = UInt32(keys.count); keys.append(key); keyIndex[key] = k }
            let v: UInt32
            if let i = valueIndex[value] { v = i } else { v = UInt32(values.count); values.append(value); valueIndex[value] = v }
            tags.append(k); tags.append(v)
        }
        return tags
    }
}

/// One layer being written: features in, encoded bytes out.
public struct MVTLayer: Sendable {
    public let name: String
    public let extent: Int
    private var keys: [String] = [], keyIndex: [String: UInt32] = [:]
    private var values: [MVTValue] = [], valueIndex: [MVTValue: UInt32] = [:]
    /// Whether `valueIndex` holds every value so far. Interned values (a grid's id, name and
    /// figures are new to nearly every tile) are not hashed as they come; the index is built the
    /// first time a value by name must be found, and kept whole from then on.
    private var valueIndexIsWhole = true
    private var features: [UInt8] = []
    public private(set) var featureCount = 0
    /// For interned attributes: the source's table, and its indices mapped to this layer's
    /// (0 = not yet in this layer, else index + 1).
    private var table: MVTAttributeTable?
    private var keyMap: [UInt32] = [], valueMap: [UInt32] = []
    // Reused per feature, so adding one allocates nothing once they have grown.
    private var geometryScratch: [UInt32] = [], tagScratch: [UInt32] = [], featureScratch: [UInt8] = []

    public init(name: String, extent: Int = 4096) {
        self.name = name; self.extent = extent
    }

    /// A layer whose features carry attributes interned in `table`.
    public init(name: String, extent: Int = 4096, table: MVTAttributeTable) {
        self.name = name; self.extent = extent
        self.table = table
        valueIndexIsWhole = false
        keyMap = [UInt32](repeating: 0, count: table.keys.count)
        valueMap = [UInt32](repeating: 0, count: table.values.count)
    }

    /// Adds one feature with interned attributes (`tags` from the layer's table) and more by
    /// name (`properties`, for figures computed per request).
    public mutating func add(id: UInt64?, tags interned: [UInt32], properties: [(String, MVTValue?)] = [], shape: TileShape) {
        let tags = mappedTags(interned, properties)
        write(id: id, tags: tags, shape: shape)
    }

    /// `add` for polygons cut flat (`TilePolygons`), written without a nested copy.
    public mutating func add(id: UInt64?, tags interned: [UInt32], properties: [(String, MVTValue?)] = [], polygons: TilePolygons) {
        let tags = mappedTags(interned, properties)
        var geometry: [UInt32] = []
        swap(&geometry, &geometryScratch)
        geometry.removeAll(keepingCapacity: true)
        Self.polygonCommands(polygons, into: &geometry)
        writeFeature(id: id, tags: tags, type: 3, geometry: geometry)
        swap(&geometry, &geometryScratch)
    }

    /// A feature's interned tags in this layer's indices, then `properties` by name.
    private mutating func mappedTags(_ interned: [UInt32], _ properties: [(String, MVTValue?)]) -> [UInt32] {
        guard let table else { preconditionFailure("interned tags need a layer made with a table") }
        var tags: [UInt32] = []
        swap(&tags, &tagScratch)
        tags.removeAll(keepingCapacity: true)
        var i = 0
        while i + 1 < interned.count {
            let k = Int(interned[i]), v = Int(interned[i + 1])
            if keyMap[k] == 0 { keys.append(table.keys[k]); keyIndex[table.keys[k]] = UInt32(keys.count - 1); keyMap[k] = UInt32(keys.count) }
            if valueMap[v] == 0 {
                values.append(table.values[v])
                if valueIndexIsWhole { valueIndex[table.values[v]] = UInt32(values.count - 1) }
                valueMap[v] = UInt32(values.count)
            }
            tags.append(keyMap[k] - 1); tags.append(valueMap[v] - 1)
            i += 2
        }
        appendTags(properties, into: &tags)
        tagScratch = tags   // shares the buffer with the returned copy until the next feature takes it back
        return tags
    }

    /// Adds one feature; properties with nil values are left out (MVT has no null).
    public mutating func add(id: UInt64?, properties: [(String, MVTValue?)], shape: TileShape) {
        var tags: [UInt32] = []
        appendTags(properties, into: &tags)
        write(id: id, tags: tags, shape: shape)
    }

    private mutating func appendTags(_ properties: [(String, MVTValue?)], into tags: inout [UInt32]) {
        for (key, value) in properties {
            guard let value else { continue }
            if case .double(let d) = value, !d.isFinite { continue }
            tags.append(index(key: key))
            tags.append(index(value: value))
        }
    }

    private mutating func write(id: UInt64?, tags: [UInt32], shape: TileShape) {
        var geometry: [UInt32] = []
        swap(&geometry, &geometryScratch)
        defer { swap(&geometry, &geometryScratch) }
        geometry.removeAll(keepingCapacity: true)
        let type: UInt32
        var cursor = TilePoint(0, 0)
        switch shape {
        case .points(let points):
            guard !points.isEmpty else { return }
            type = 1
            geometry.append(MVTEncoding.command(1, count: points.count))
            for p in points { Self.delta(p, from: &cursor, into: &geometry) }
        case .lines(let lines):
            type = 2
            for line in lines where line.count >= 2 {
                geometry.append(MVTEncoding.command(1, count: 1)); Self.delta(line[0], from: &cursor, into: &geometry)
                geometry.append(MVTEncoding.command(2, count: line.count - 1))
                for p in line.dropFirst() { Self.delta(p, from: &cursor, into: &geometry) }
            }
        case .polygons(let polygons):
            type = 3
            Self.polygonCommands(TilePolygons(polygons), into: &geometry)
        }
        writeFeature(id: id, tags: tags, type: type, geometry: geometry)
    }

    /// A point as the zigzag deltas from the one before.
    @inline(__always)
    private static func delta(_ p: TilePoint, from cursor: inout TilePoint, into geometry: inout [UInt32]) {
        geometry.append(MVTEncoding.zigzag(Int64(p.x) - Int64(cursor.x)))
        geometry.append(MVTEncoding.zigzag(Int64(p.y) - Int64(cursor.y)))
        cursor = p
    }

    /// MoveTo, LineTo and ClosePath for every ring of at least three points.
    private static func polygonCommands(_ polygons: TilePolygons, into geometry: inout [UInt32]) {
        var cursor = TilePoint(0, 0)
        polygons.points.withUnsafeBufferPointer { points in
            for r in polygons.ringEnds.indices {
                let ring = polygons.points(ofRing: r)
                guard ring.count >= 3 else { continue }
                geometry.append(MVTEncoding.command(1, count: 1)); delta(points[ring.lowerBound], from: &cursor, into: &geometry)
                geometry.append(MVTEncoding.command(2, count: ring.count - 1))
                for i in ring.dropFirst() { delta(points[i], from: &cursor, into: &geometry) }
                geometry.append(MVTEncoding.command(7, count: 1))
            }
        }
    }

    private mutating func writeFeature(id: UInt64?, tags: [UInt32], type: UInt32, geometry: [UInt32]) {
        guard !geometry.isEmpty else { return }
        var feature: [UInt8] = []
        swap(&feature, &featureScratch)
        defer { swap(&feature, &featureScratch) }
        feature.removeAll(keepingCapacity: true)
        if let id { MVTEncoding.varintField(1, id, into: &feature) }
        MVTEncoding.packedField(2, tags, into: &feature)
        MVTEncoding.varintField(3, UInt64(type), into: &feature)
        MVTEncoding.packedField(4, geometry, into: &feature)
        MVTEncoding.bytesField(2, feature, into: &features)
        featureCount += 1
    }

    private mutating func index(key: String) -> UInt32 {
        if let i = keyIndex[key] { return i }
        let i = UInt32(keys.count)
        keys.append(key); keyIndex[key] = i
        return i
    }

    private mutating func index(value: MVTValue) -> UInt32 {
        if !valueIndexIsWhole {
            // Values are unique in `values` (interned ones through valueMap, the rest through here).
            for (i, v) in values.enumerated() { valueIndex[v] = UInt32(i) }
            valueIndexIsWhole = true
        }
        if let i = valueIndex[value] { return i }
        let i = UInt32(values.count)
        values.append(value); valueIndex[value] = i
        return i
    }

    /// The encoded Layer message.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(features.count + 64 + keys.count * 16 + values.count * 12)
        MVTEncoding.varintField(15, 2, into: &out)
        MVTEncoding.bytesField(1, Array(name.utf8), into: &out)
        out.append(contentsOf: features)
        for k in keys { MVTEncoding.bytesField(3, Array(k.utf8), into: &out) }
        for v in values { MVTEncoding.bytesField(4, MVTEncoding.value(v), into: &out) }
        MVTEncoding.varintField(5, UInt64(extent), into: &out)
        return out
    }
}

/// A whole tile: its layers, in order; layers without features are left out.
public enum MVTTile {
    public static func encode(_ layers: [MVTLayer]) -> [UInt8] {
        var out: [UInt8] = []
        for layer in layers where layer.featureCount > 0 { MVTEncoding.bytesField(3, layer.encoded(), into: &out) }
        return out
    }
}

/// Protobuf wire format, the parts MVT uses.
enum MVTEncoding {
    @inline(__always)
    static func zigzag(_ v: Int64) -> UInt32 { UInt32(truncatingIfNeeded: (v << 1) ^ (v >> 63)) }

    @inline(__always)
    static func command(_ id: UInt32, count: Int) -> UInt32 { (id & 7) | (UInt32(count) << 3) }

    @inline(__always)
    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    static func varintField(_ field: UInt64, _ value: UInt64, into out: inout [UInt8]) {
        varint(field << 3, into: &out)
        varint(value, into: &out)
    }

    static func bytesField(_ field: UInt64, _ bytes: [UInt8], into out: inout [UInt8]) {
        varint(field << 3 | 2, into: &out)
        varint(UInt64(bytes.count), into: &out)
        out.append(contentsOf: bytes)
    }

    static func packedField(_ field: UInt64, _ values: [UInt32], into out: inout [UInt8]) {
        guard !values.isEmpty else { return }
        // The length first (bytes of each varint), then the varints: no intermediate buffer.
        var length = 0
        for v in values { length += v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5 }
        varint(field << 3 | 2, into: &out)
        varint(UInt64(length), into: &out)
        for v in values { varint(UInt64(v), into: &out) }
    }

    static func value(_ v: MVTValue) -> [UInt8] {
        var out: [UInt8] = []
        switch v {
        case .string(let s): bytesField(1, Array(s.utf8), into: &out)
        case .double(let d):
            varint(3 << 3 | 1, into: &out)
            withUnsafeBytes(of: d.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case .int(let i):
            if i >= 0 { varintField(5, UInt64(i), into: &out) }          // uint_value
            else { varintField(6, UInt64((i << 1) ^ (i >> 63)), into: &out) }   // sint_value
        case .bool(let b): varintField(7, b ? 1 : 0, into: &out)
        }
        return out
    }
}
