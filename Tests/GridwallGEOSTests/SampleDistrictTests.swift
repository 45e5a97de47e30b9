// The generated district: deterministic, and its areas tile each level exactly (checked with GEOS).
import Foundation
import Testing
import GridwallCore
import GridwallGEOS
import GridwallSample
import GridwallTestSupport

@Suite struct SampleDistrictTests {
    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let a = try SampleDistrict.generate(.small(seed: 11))
        let b = try SampleDistrict.generate(.small(seed: 11))
        let c = try SampleDistrict.generate(.small(seed: 12))
        #expect(a.files.map(\.text) == b.files.map(\.text))
        #expect(a.files[0].text != c.files[0].text)
    }

    @Test func committedGeodataIsWhatTheGeneratorMakes() throws {
        let district = try SampleDistrict.generate(SampleOptions())
        for file in district.files {
            let committed = try String(contentsOf: TestData.url("geodata/" + file.name), encoding: .utf8)
            #expect(committed == file.text, "geodata/\(file.name) differs from `gridwall generate` output")
        }
        let counts = Dictionary(uniqueKeysWithValues: district.counts.map { ($0.layer, $0.count) })
        #expect((550...650).contains(counts["grids"]!))
        #expect((30_000...50_000).contains(counts["buildings"]!))
        #expect((3_000...5_000).contains(counts["cameras"]!))
        #expect((300...800).contains(counts["responders"]!))
        #expect((50_000...150_000).contains(counts["events"]!))
        #expect(district.gridVertices.min >= 30 && district.gridVertices.max <= 200)
    }

    /// `gridwall generate --districts N`: districts that never overlap, and no id used twice.
    @Test func aCityOfDistrictsSharesNoIdAndNoGround() throws {
        let districts = try (0..<3).map { try SampleDistrict.generate(.cityDistrict($0, of: 3, seed: 5, base: .small())) }
        let city = SampleDistrict.city(districts)
        for (layer, features) in [("areas", city.areas), ("buildings", city.buildings), ("cameras", city.cameras), ("responders", city.responders)] {
            let ids = features.compactMap { $0.properties["id"]?.stringValue }
            #expect(ids.count == features.count && Set(ids).count == ids.count, "\(layer): \(ids.count - Set(ids).count) ids used twice")
        }
        let eventIDs = city.eventLines.map { $0.prefix { $0 != "," } }
        #expect(Set(eventIDs).count == eventIDs.count && eventIDs.count == districts.reduce(0) { $0 + $1.eventLines.count })
        let outlines = city.areas.filter { $0.properties["level"]?.stringValue == "district" }
        #expect(outlines.map { $0.properties["id"]?.stringValue } == ["330101", "330102", "330103"])
        let boxes = outlines.compactMap(\.geometry.boundingBox)
        for i in boxes.indices { for j in boxes.indices where j < i { #expect(!boxes[i].intersects(boxes[j]), "districts \(j + 1) and \(i + 1) overlap") } }
        let counts = Dictionary(uniqueKeysWithValues: city.counts.map { ($0.layer, $0.count) })
        #expect(counts["grids"] == districts.reduce(0) { $0 + $1.counts[1].count })
    }

    @Test func everyLevelTilesItsParentExactly() throws {
        let areas = try TestData.sampleAreas()
        let geos = GeosContext()
        let byID = Dictionary(uniqueKeysWithValues: areas.map { ($0.id, $0) })
        let district = try #require(areas.first { $0.level == .district })
        for level in [AreaLevel.street, .community, .grid] {
            let members = areas.filter { $0.level == level }
            // Children of each parent: their union is the parent, their areas add up (no overlap).
            let parents = Dictionary(grouping: members, by: { $0.parentID ?? "" })
            for (parentID, children) in parents {
                let parent = try geos.geometry(try #require(byID[parentID]).geometry)
                let union = try geos.geometry(.multiPolygon(children.flatMap(\.geometry.polygons))).unaryUnion()
                let gapOrExcess = try parent.symmetricDifference(union).area()
                #expect(gapOrExcess < 1e-14, "\(level) children of \(parentID) differ from it by \(gapOrExcess) deg²")
                let sum = try children.reduce(0.0) { $0 + (try geos.geometry($1.geometry).area()) }
                #expect(abs(sum - (try parent.area())) < 1e-13, "\(level) children of \(parentID) overlap")
            }
            // The whole level covers the district.
            let all = try geos.geometry(.multiPolygon(members.flatMap(\.geometry.polygons))).unaryUnion()
            #expect(try geos.geometry(district.geometry).symmetricDifference(all).area() < 1e-14)
        }
        // Neighbouring grids never share interior: check every pair whose boxes touch.
        let grids = areas.filter { $0.level == .grid }
        let handles = try grids.map { try geos.geometry($0.geometry) }
        let tree = try GeosSTRtree(context: geos)
        for (i, h) in handles.enumerated() { tree.insert(h, id: i) }
        var hits: [Int] = []
        var pairs = 0
        for (i, h) in handles.enumerated() {
            tree.query(h, into: &hits)
            for j in hits where j > i {
                pairs += 1
                #expect(try !h.relate(handles[j], pattern: "2********"), "grids \(grids[i].id) and \(grids[j].id) overlap")
            }
        }
        #expect(pairs > grids.count)
        // Every grid is valid, with 30 to 200 vertices.
        for (g, h) in zip(grids, handles) {
            #expect(try h.invalidity() == nil, "grid \(g.id)")
        }
    }
}
