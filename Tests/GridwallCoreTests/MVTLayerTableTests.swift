// A layer's key and value tables: interned attributes and attributes by name share one table
// with no value twice, and every feature's tags name the values it was given. Read back with a
// small protobuf walker (the GDAL and mapbox-vector-tile tests decode whole tiles).
import Testing
import GridwallCore

@Suite struct MVTLayerTableTests {
    /// Field number, wire type and payload of each field of a message (varints and
    /// length-delimited fields only, which is all MVT uses).
    static func fields(_ bytes: ArraySlice<UInt8>) -> [(field: Int, varint: UInt64, bytes: ArraySlice<UInt8>)] {
        var out: [(Int, UInt64, ArraySlice<UInt8>)] = []
        var at = bytes.startIndex
        func varint() -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = bytes[at]; at += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        while at < bytes.endIndex {
            let key = varint()
            if key & 7 == 0 {
                out.append((Int(key >> 3), varint(), []))
            } else {
                let length = Int(varint())
                out.append((Int(key >> 3), 0, bytes[at..<(at + length)]))
                at += length
            }
        }
        return out
    }

    /// The first layer's keys, values (raw) and each feature's (key, value) pairs.
    static func read(_ tile: [UInt8]) -> (keys: [String], values: [[UInt8]], features: [[(String, [UInt8])]]) {
        let layer = fields(tile[...]).first { $0.field == 3 }!.bytes
        let parts = fields(layer)
        let keys = parts.filter { $0.field == 3 }.map { String(decoding: $0.bytes, as: UTF8.self) }
        let values = parts.filter { $0.field == 4 }.map { Array($0.bytes) }
        let features = parts.filter { $0.field == 2 }.map { feature -> [(String, [UInt8])] in
            guard let packed = fields(feature.bytes).first(where: { $0.field == 2 })?.bytes else { return [] }
            let tags = packedVarints(packed)
            return stride(from: 0, to: tags.count, by: 2).map { (keys[tags[$0]], values[tags[$0 + 1]]) }
        }
        return (keys, values, features)
    }

    static func packedVarints(_ bytes: ArraySlice<UInt8>) -> [Int] {
        var out: [Int] = [], v = 0, shift = 0
        for b in bytes {
            v |= Int(b & 0x7F) << shift
            if b < 0x80 { out.append(v); v = 0; shift = 0 } else { shift += 7 }
        }
        return out
    }

    @Test func internedAndNamedValuesShareOneTableWithoutRepeats() {
        var table = MVTAttributeTable()
        let a = table.intern([("id", .string("A")), ("population", .int(5))])
        let b = table.intern([("id", .string("B")), ("population", .int(7))])
        let c = table.intern([("id", .string("C")), ("population", .int(9))])
        var layer = MVTLayer(name: "grids", table: table)
        let point = TileShape.points([TilePoint(10, 10)])
        layer.add(id: 1, tags: a, shape: point)
        // By name: one value equal to an interned one already in the layer, one new.
        layer.add(id: 2, tags: b, properties: [("count", .int(5)), ("class", .string("high"))], shape: point)
        // Interned after the index was built, then by name equal to it.
        layer.add(id: 3, tags: c, properties: [("count", .int(9))], shape: point)
        let (_, values, features) = Self.read(MVTTile.encode([layer]))
        #expect(Set(values).count == values.count, "a value written twice")
        #expect(values.count == 7)   // A, 5, B, 7, high, C, 9
        func value(_ f: Int, _ key: String) -> [UInt8]? { features[f].first { $0.0 == key }?.1 }
        #expect(features.count == 3)
        #expect(value(1, "count") == value(0, "population"))
        #expect(value(2, "count") == value(2, "population"))
        #expect(value(0, "id") != value(1, "id") && value(1, "class") != nil)
    }
}
