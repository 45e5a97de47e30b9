// The sample district: everything generated from one seed, then written as GeoJSON and CSV.
// Same options → same bytes (SplitMix64, fixed iteration orders, 7-decimal coordinates).
import Foundation
import GridwallCore
import GridwallGEOS

/// The generated layers, as the files in `geodata/` hold them.
public struct SampleDistrict: Sendable {
    public var areas: [Feature], buildings: [Feature], cameras: [Feature], responders: [Feature]
    /// The events as CSV lines (no header), and the categories table (with its header).
    public var eventLines: [String]
    public var categoriesCSV: String
    /// Vertex counts of every grid boundary, sorted.
    var gridVertexCounts: [Int]

    /// File name → contents.
    public var files: [(name: String, text: String)] {
        [("areas.geojson", GeoJSON.featureCollection(areas, decimals: 7)),
         ("buildings.geojson", GeoJSON.featureCollection(buildings, decimals: 7)),
         ("cameras.geojson", GeoJSON.featureCollection(cameras, decimals: 7)),
         ("responders.geojson", GeoJSON.featureCollection(responders, decimals: 7)),
         ("events.csv", "id,time,category,status,severity,source,lon,lat\n" + eventLines.joined()),
         ("categories.csv", categoriesCSV)]
    }

    /// Counts per layer, for the summary line.
    public var counts: [(layer: String, count: Int)] {
        [("areas", areas.count), ("grids", gridVertexCounts.count), ("buildings", buildings.count),
         ("cameras", cameras.count), ("responders", responders.count), ("events", eventLines.count)]
    }

    /// Vertex counts of the grid boundaries (min, median, max).
    public var gridVertices: (min: Int, median: Int, max: Int) {
        let v = gridVertexCounts
        return (v.first ?? 0, v.isEmpty ? 0 : v[v.count / 2], v.last ?? 0)
    }

    /// Builds the district. Takes a few seconds at full size (GEOS dissolves ~190,000 triangles).
    public static func generate(_ options: SampleOptions, progress: (String) -> Void = { _ in }) throws -> SampleDistrict {
        var rng = SeededRandom(seed: options.seed)
        let frame = LocalFrame(origin: options.center)
        let geos = GeosContext()
        progress("outline, river and roads")
        let shape = DistrictShape(radius: options.radius, rng: &rng)
        progress("lattice")
        let lattice = TriangleLattice(frame: frame, shape: shape, spacing: options.latticeSpacing, rng: &rng)
        progress("areas from \(lattice.count) triangles")
        let growing = RegionGrowing(lattice: lattice, shape: shape, rng: &rng)
        var (areas, gridOfTriangle, gridIDs) = try AreaGenerator.generate(options: options, lattice: lattice, growing: growing, rng: &rng, geos: geos)
        let locator = TriangleLocator(lattice: lattice, cell: options.latticeSpacing * 2)
        func gridIndex(_ p: Coordinate) -> Int? { locator.triangle(at: p).map { Int(gridOfTriangle[$0]) } }

        progress("buildings")
        var buildingGen = BuildingGenerator(shape: shape)
        buildingGen.generate(density: options.density, rng: &rng)
        let buildings = buildingGen.buildings
        progress("cameras, responders, events")
        let cameras = PointLayers.cameras(shape: shape, buildings: buildingGen, density: options.density, rng: &rng)
        var gridSamples = [[Coordinate]](repeating: [], count: gridIDs.count)
        for t in 0..<lattice.count { gridSamples[Int(gridOfTriangle[t])].append(lattice.centroids[t]) }
        let responders = PointLayers.responders(count: options.responders, gridSamples: gridSamples, shape: shape, rng: &rng)
        let events = PointLayers.events(options: options, shape: shape, buildings: buildingGen, rng: &rng)

        // Populations and households roll up from buildings to every level.
        var index = [String: Int]()
        for (i, a) in areas.enumerated() { index[a.id] = i }
        var buildingGrid = [Int?]()
        for b in buildings {
            let g = gridIndex(b.center)
            buildingGrid.append(g)
            guard let g else { continue }
            var id: String? = gridIDs[g]
            while let current = id, let i = index[current] {
                areas[i].population += b.residents
                areas[i].households += b.households
                id = areas[i].parentID
            }
        }
        func streetName(_ g: Int?) -> String {
            guard let g, let grid = index[gridIDs[g]], let c = areas[grid].parentID, let ci = index[c],
                  let s = areas[ci].parentID, let si = index[s] else { return "" }
            return areas[si].name
        }

        func point(_ p: Coordinate) -> Geometry {
            let ll = frame.unproject(p)
            return .point(Coordinate((ll.x * 1e7).rounded() / 1e7, (ll.y * 1e7).rounded() / 1e7))
        }
        func number(_ v: Double) -> JSONValue { .number(v) }

        progress("writing")
        let areaFeatures = areas.map { a in
            Feature(geometry: a.geometry, properties: [
                "id": .string(a.id), "name": .string(a.name), "level": .string(a.level),
                "parent_id": a.parentID.map(JSONValue.string) ?? .null,
                "population": number(Double(a.population)), "households": number(Double(a.households)),
                "responsible_unit": .string(a.responsibleUnit),
            ])
        }
        let buildingFeatures = buildings.enumerated().map { i, b in
            let ring = b.footprint.map { p -> Coordinate in
                let ll = frame.unproject(p)
                return Coordinate((ll.x * 1e7).rounded() / 1e7, (ll.y * 1e7).rounded() / 1e7)
            }
            return Feature(geometry: .polygon(Orientation.rfc7946(Polygon(exterior: ring))), properties: [
                "id": .string(options.idPrefix + String(format: "B%06d", i + 1)), "name": .string(b.name), "kind": .string(b.kind),
                "address": .string(b.name + ", " + streetName(buildingGrid[i])),
                "height": number(b.height), "floors": number(Double(b.floors)),
                "households": number(Double(b.households)), "residents": number(Double(b.residents)),
            ])
        }
        let cameraFeatures = cameras.enumerated().map { i, c in
            Feature(geometry: point(c.position), properties: [
                "id": .string(options.idPrefix + String(format: "C%05d", i + 1)), "name": .string("Camera \(i + 1)"), "kind": .string(c.kind),
                "heading": number(c.heading), "fov": number(c.fieldOfView), "range_m": number(c.range),
                "mount_height_m": number(c.mountHeight),
            ])
        }
        let endEpoch = Int64(options.historyEndEpoch)
        let responderFeatures = responders.enumerated().map { i, r in
            Feature(geometry: point(r.position), properties: [
                "id": .string(options.idPrefix + String(format: "R%04d", i + 1)), "name": .string("\(r.kind.replacingOccurrences(of: "_", with: " ").capitalized) \(i + 1)"),
                "kind": .string(r.kind), "status": .string(r.status), "skills": .string(r.skills.joined(separator: ",")),
                "grid_id": r.gridIndex.map { JSONValue.string(gridIDs[$0]) } ?? .null,
                "updated_at": .string(ISOTime.format(endEpoch - Int64(r.updatedAgo))),
            ])
        }
        var eventLines: [String] = []
        eventLines.reserveCapacity(events.count)
        for (i, e) in events.enumerated() {
            guard case .point(let c) = point(e.position) else { continue }
            eventLines.append(options.idPrefix + String(format: "E%07d", i + 1) + "," + ISOTime.format(e.time) + "," + eventCategories[e.category].id + ","
                + e.status + "," + String(e.severity) + "," + e.source + ","
                + GeoJSON.formatFixed(c.x, decimals: 7) + "," + GeoJSON.formatFixed(c.y, decimals: 7) + "\n")
        }
        var categories = "id,name,place,weight,weekend_factor,trend\n"
        for c in eventCategories {
            categories += "\(c.id),\(c.name),\(c.place.rawValue),\(c.weight),\(c.weekendFactor),\(c.trend)\n"
        }
        let vertexCounts = areas.filter { $0.level == "grid" }.map { a in a.geometry.polygons.reduce(0) { $0 + $1.rings.reduce(0) { $0 + $1.count - 1 } } }.sorted()
        return SampleDistrict(areas: areaFeatures, buildings: buildingFeatures, cameras: cameraFeatures, responders: responderFeatures,
                              eventLines: eventLines, categoriesCSV: categories, gridVertexCounts: vertexCounts)
    }

    /// Several districts as one city's layers, in the order given. Their codes and ids must not
    /// collide (`SampleOptions.cityDistrict` makes them so); the categories are the same table.
    public static func city(_ districts: [SampleDistrict]) -> SampleDistrict {
        SampleDistrict(areas: districts.flatMap(\.areas), buildings: districts.flatMap(\.buildings),
                       cameras: districts.flatMap(\.cameras), responders: districts.flatMap(\.responders),
                       eventLines: districts.flatMap(\.eventLines), categoriesCSV: districts.first?.categoriesCSV ?? "",
                       gridVertexCounts: districts.flatMap(\.gridVertexCounts).sorted())
    }

    /// Writes every file into `directory` (created if missing).
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for f in files {
            try Data(f.text.utf8).write(to: directory.appendingPathComponent(f.name))
        }
    }
}
