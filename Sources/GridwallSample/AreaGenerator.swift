// District → streets → communities → grids, grown on the lattice and dissolved into polygons
// with GEOS coverage union (exact: no vertex is moved, interior edges simply vanish).
import GridwallCore
import GridwallGEOS

/// One generated area before its population is known.
struct GeneratedArea {
    var id: String
    var name: String
    var level: String
    var parentID: String?
    var geometry: Geometry
    var population = 0
    var households = 0
    var responsibleUnit: String
}

enum AreaGenerator {
    static let streetNames = ["Wenhui", "Hushu", "Mishidang", "Daguan", "Xiaohe", "Gongchenqiao", "Xiangfu",
                              "Kangqiao", "Banshan", "Shiqiao", "Xinghe", "Chaohui"]
    static let communityWords = ["Garden", "Lane", "Bridge", "Canal", "Willow", "Plum", "Osmanthus", "Pine", "Lotus",
                                 "Harbour", "Market", "Temple", "Orchard", "Mill", "Silk", "Tea", "Jade", "Bamboo"]

    static func generate(options: SampleOptions, lattice: TriangleLattice, growing: RegionGrowing,
                         rng: inout SeededRandom, geos: GeosContext) throws -> (areas: [GeneratedArea], gridOfTriangle: [Int32], gridIDs: [String]) {
        let all = Array(0..<lattice.count)
        let district = [Int32](repeating: 0, count: lattice.count)
        // Streets.
        let streetSeeds = growing.seeds(count: options.streets, among: all, rng: &rng)
        let street = growing.grow(parents: district, seeds: [streetSeeds])
        // Communities, apportioned by street size.
        let streetMembers = members(street, count: options.streets)
        let perStreet = apportion(options.communities, weights: streetMembers.map { Double($0.count) }, minimum: 2)
        let communitySeeds = streetMembers.enumerated().map { i, m in growing.seeds(count: perStreet[i], among: m, rng: &rng) }
        let community = growing.grow(parents: street, seeds: communitySeeds)
        // Grids, apportioned by community size.
        let communityMembers = members(community, count: options.communities)
        let perCommunity = apportion(options.grids, weights: communityMembers.map { Double($0.count) }, minimum: 1)
        let gridSeeds = communityMembers.enumerated().map { i, m in growing.seeds(count: perCommunity[i], among: m, rng: &rng) }
        let grid = growing.grow(parents: community, seeds: gridSeeds)

        // Parents of each child (every child lies inside one parent by construction).
        var communityOfGrid = [Int](repeating: 0, count: options.grids)
        var streetOfCommunity = [Int](repeating: 0, count: options.communities)
        for t in 0..<lattice.count {
            communityOfGrid[Int(grid[t])] = Int(community[t])
            streetOfCommunity[Int(community[t])] = Int(street[t])
        }

        // Grid polygons from triangles; each level above from the one below.
        let gridGeometries = try members(grid, count: options.grids).map { tris in
            try dissolve(tris.map { Polygon(exterior: lattice.ring($0)) }, geos: geos)
        }
        let communityGeometries = try (0..<options.communities).map { c in
            try dissolve(gridGeometries.indices.filter { communityOfGrid[$0] == c }.flatMap { gridGeometries[$0].polygons }, geos: geos)
        }
        let streetGeometries = try (0..<options.streets).map { s in
            try dissolve(communityGeometries.indices.filter { streetOfCommunity[$0] == s }.flatMap { communityGeometries[$0].polygons }, geos: geos)
        }
        let districtGeometry = try dissolve(streetGeometries.flatMap(\.polygons), geos: geos)

        // GB/T 30428-style codes: 6 administrative + 3 street + 3 community + 3 sequence digits,
        // sequences numbered west to east, north to south within their parent.
        var areas: [GeneratedArea] = []
        let code = options.districtCode
        areas.append(GeneratedArea(id: code, name: options.districtName, level: "district", parentID: nil,
                                   geometry: districtGeometry, responsibleUnit: "District Grid Governance Centre"))
        let streetOrder = order(streetGeometries)
        var streetCode = [String](repeating: "", count: options.streets)
        for (n, s) in streetOrder.enumerated() {
            streetCode[s] = code + pad(n + 1)
            let name = streetNames[n % streetNames.count] + " Street"
            areas.append(GeneratedArea(id: streetCode[s], name: name, level: "street", parentID: code,
                                       geometry: streetGeometries[s], responsibleUnit: name + " Office"))
        }
        var communityCode = [String](repeating: "", count: options.communities)
        var gridIDs = [String](repeating: "", count: options.grids)
        for s in streetOrder {
            let mine = communityGeometries.indices.filter { streetOfCommunity[$0] == s }
            for (n, c) in order(mine.map { communityGeometries[$0] }).map({ mine[$0] }).enumerated() {
                communityCode[c] = streetCode[s] + pad(n + 1)
                let name = communityWords[(c * 7) % communityWords.count] + " " + communityWords[(c * 11 + 3) % communityWords.count] + " Community"
                areas.append(GeneratedArea(id: communityCode[c], name: name, level: "community", parentID: streetCode[s],
                                           geometry: communityGeometries[c], responsibleUnit: name + " Committee"))
            }
        }
        for s in streetOrder {
            for c in communityGeometries.indices where streetOfCommunity[c] == s {
                let mine = gridGeometries.indices.filter { communityOfGrid[$0] == c }
                for (n, g) in order(mine.map { gridGeometries[$0] }).map({ mine[$0] }).enumerated() {
                    let id = communityCode[c] + pad(n + 1)
                    gridIDs[g] = id
                    areas.append(GeneratedArea(id: id, name: "Grid \(id.suffix(6))", level: "grid", parentID: communityCode[c],
                                               geometry: gridGeometries[g], responsibleUnit: "Grid worker team \(id.suffix(6))"))
                }
            }
        }
        return (areas, grid, gridIDs)
    }

    private static func pad(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 3 - s.count)) + s
    }

    /// Indices sorted north to south in bands, west to east within a band (GB/T 30428 numbering).
    private static func order(_ geometries: [Geometry]) -> [Int] {
        let centres = geometries.map { $0.boundingBox!.center }
        return geometries.indices.sorted { a, b in
            let ba = Int((-centres[a].y * 200).rounded(.down)), bb = Int((-centres[b].y * 200).rounded(.down))
            return ba != bb ? ba < bb : centres[a].x < centres[b].x
        }
    }

    private static func members(_ labels: [Int32], count: Int) -> [[Int]] {
        var out = [[Int]](repeating: [], count: count)
        for (t, l) in labels.enumerated() { out[Int(l)].append(t) }
        return out
    }

    /// Coverage union of polygons sharing exact edges, oriented as RFC 7946 asks.
    static func dissolve(_ polygons: [Polygon], geos: GeosContext) throws -> Geometry {
        let merged = try geos.geometry(.multiPolygon(polygons)).coverageUnion().value()
        let oriented = merged.polygons.map(Orientation.rfc7946)
        return oriented.count == 1 ? .polygon(oriented[0]) : .multiPolygon(oriented)
    }
}
