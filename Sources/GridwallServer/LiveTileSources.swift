// The tile sources computed per request from the event analysis: events (points at street
// zooms, counts in cells below) and heat (hexagon bins whose size follows the zoom), both for
// the request's heatmap filters.
import GridwallAnalysis
import GridwallCore
import GridwallGEOS

extension TileService {
    /// Sources built per request, with their attribute types (for TileJSON).
    static let liveSources: [(name: String, description: String, minZoom: Int, maxZoom: Int, fields: [(String, TileFieldType)])] = [
        ("events", "Events in the window (the last 24 hours of data by default); counts per cell below zoom \(eventPointZoom)", 8, 18,
         [("id", .string), ("category", .string), ("status", .string), ("source", .string), ("time", .string), ("count", .number)]),
        ("heat", "Events per hexagon; the hexagon size follows the zoom", 8, 18,
         [("id", .string), ("count", .number), ("per_km2", .number), ("size_m", .number)]),
    ]

    /// From this zoom up, events are single points; below it, counts per cell of a 32 × 32 grid.
    static let eventPointZoom = 15
    /// At most this many single events in one tile; past it the tile shows counts per cell.
    static let eventsPerTile = 5_000

    /// The window of an events tile: the request's, or the last day of the data.
    static func eventWindow(_ request: HeatmapRequest, _ events: EventColumns) -> EventFilter {
        var filter = request.filter
        if filter.from == nil && filter.to == nil, let last = events.times.last {
            filter.to = last + 1
            filter.from = last + 1 - EventColumns.secondsPerDay
        }
        return filter
    }

    /// The events layer of one tile.
    func eventsLayer(_ tile: TileID, request: HeatmapRequest) -> MVTLayer {
        var layer = MVTLayer(name: "events")
        let spec = Self.liveSources[0]
        guard tile.z >= spec.minZoom && tile.z <= spec.maxZoom else { return layer }
        return heatmaps.reading { analysis in
            let events = analysis.events
            var filter = Self.eventWindow(request, events)
            let clipper = TileClipper(tile: tile)
            let box = tile.lonLatBox
            let pad = (box.maxX - box.minX) * 64 / 4096
            filter.bbox = BoundingBox(minX: box.minX - pad, minY: box.minY - pad, maxX: box.maxX + pad, maxY: box.maxY + pad)
            var matches: [Int] = []
            events.forEachMatch(filter) { matches.append($0) }
            func point(_ i: Int) -> TilePoint? { clipper.point(TileID.world(Coordinate(events.lons[i], events.lats[i]))) }
            if tile.z >= Self.eventPointZoom && matches.count <= Self.eventsPerTile {
                for i in matches {
                    guard let p = point(i) else { continue }
                    layer.add(id: UInt64(i + 1), properties: [
                        ("id", events.ids[i].isEmpty ? nil : .string(events.ids[i])),
                        ("category", .string(events.categoryNames.names[Int(events.categories[i])])),
                        ("status", .string(events.statusNames.names[Int(events.statuses[i])])),
                        ("source", .string(events.sourceNames.names[Int(events.sources[i])])),
                        ("time", .string(ISOTime.format(events.times[i]))), ("count", .int(1)),
                    ], shape: .points([p]))
                }
                return layer
            }
            // Counts per cell, each drawn at the mean position of its events (a flat array of
            // the 1,024 cells: a dictionary update per event was most of a tile over millions).
            let cells = 32, unit = 4096 / cells
            var sums = [(count: Int, x: Int64, y: Int64)](repeating: (0, 0, 0), count: cells * cells)
            for i in matches {
                guard let p = point(i), p.x >= 0, p.y >= 0, p.x < 4096, p.y < 4096 else { continue }
                let key = Int(p.y) / unit * cells + Int(p.x) / unit
                sums[key].count += 1; sums[key].x += Int64(p.x); sums[key].y += Int64(p.y)
            }
            for (key, s) in sums.enumerated() where s.count > 0 {
                layer.add(id: UInt64(key + 1), properties: [("count", .int(Int64(s.count)))],
                          shape: .points([TilePoint(Int32(s.x / Int64(s.count)), Int32(s.y / Int64(s.count)))]))
            }
            return layer
        }
    }

    /// Hexagon size for a zoom: about 16 across a tile, rounded to the sizes districts use.
    static func hexagonSize(zoom: Int) -> Double {
        let target = 40_075_016.0 * 0.87 / Double(1 << zoom) / 16   // tile width at ~30° latitude / 16
        return [50.0, 100, 250, 500, 1_000, 2_500, 5_000].first { $0 >= target } ?? 5_000
    }

    /// The heat layer of one tile.
    func heatLayer(_ tile: TileID, request: HeatmapRequest) throws -> MVTLayer {
        var layer = MVTLayer(name: "heat")
        let spec = Self.liveSources[1]
        guard tile.z >= spec.minZoom && tile.z <= spec.maxZoom else { return layer }
        let size = request.size ?? Self.hexagonSize(zoom: tile.z)
        let grid = BinGrid(.hex, size: size)
        var filter = request.filter
        let box = tile.lonLatBox
        let pad = size * 2 / 111_320   // two hexagons, in degrees: bins that reach into the tile
        filter.bbox = BoundingBox(minX: box.minX - pad, minY: box.minY - pad, maxX: box.maxX + pad, maxY: box.maxY + pad)
        let (bins, outlines) = try heatmaps.reading { analysis in
            let bins = try analysis.bins(grid, filter: filter)
            try HeatmapLimits.check(Double(bins.count), atMost: Double(HeatmapLimits.bins), "the bins in one tile", change: "size_m", hint: "use larger bins")
            return (bins, try analysis.wgs84Outlines(bins.map(\.key), grid: grid, crs: analysis.crs))
        }
        let clipper = TileClipper(tile: tile)
        let cutter = GeosTileCutter()
        for (b, ring) in zip(bins, outlines) {
            guard let shape = try clipper.cut(.polygons([[ring.map(TileID.world)]]), cutter: cutter) else { continue }
            layer.add(id: nil, properties: [("id", .string(grid.id(b.key))), ("count", .int(Int64(b.count))),
                                            ("per_km2", .double((Double(b.count) / grid.cellArea * 1e9).rounded() / 1000)),
                                            ("size_m", .double(size))], shape: shape)
        }
        return layer
    }
}
