// The events of a district ready for heatmaps: the columnar event store with every event's
// grid (from the assignment engine) and position in the district's metric CRS (PROJ), beside
// the areas with their sizes in square kilometres and the grid → community → street chain.
import GridwallCore
import GridwallPROJ

public struct EventAnalysis: Sendable {
    /// The metric CRS of bins and kernel density (EPSG code): CGCS2000 Gauss–Krüger in China,
    /// UTM elsewhere (`MetricCRS`).
    public let crs: Int
    public let areas: AreaTable
    public private(set) var events: EventColumns

    /// Builds from the areas and events (any order; `grid` and `projected` are computed here).
    public init(areas records: [AreaRecord], events raw: [EventRecord], crs requested: Int? = nil) throws {
        var box = BoundingBox.empty
        for a in records { if let b = a.geometry.boundingBox { box.extend(b) } }
        if box.isEmpty { for e in raw { box.extend(e.position) } }
        if box.isEmpty { box = BoundingBox(minX: 120, minY: 30, maxX: 120, maxY: 30) }
        crs = requested ?? MetricCRS.epsg(for: box)
        let transformer = try ProjTransformer(fromEPSG: 4326, toEPSG: crs)
        areas = try AreaTable(records, transformer: transformer)
        let engine = PolygonIndex(features: areas.grids.map { records[$0].geometry.polygons })
        var projected = raw.map(\.position)
        try transformer.forward(&projected)
        var located = raw
        for i in located.indices {
            located[i].projected = projected[i]
            located[i].grid = engine.locate(x: raw[i].position.x, y: raw[i].position.y).feature
        }
        // Pre-aggregated bins cover the areas and 2 km around them.
        var extent = BoundingBox.empty
        for p in projected where p.isFinite { extent.extend(p) }
        if !areas.grids.isEmpty {
            extent = .empty
            for g in areas.grids { if let b = try transformer.forward(records[g].geometry).boundingBox { extent.extend(b) } }
        }
        events = EventColumns(crs: crs, gridCount: areas.grids.count, records: located,
                              binExtent: extent.isEmpty ? nil : extent.expanded(by: 2_000))
    }
}
