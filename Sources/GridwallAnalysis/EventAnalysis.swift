// The events of a district ready for heatmaps: the columnar event store with every event's
// grid (from the assignment engine) and position in the district's metric CRS (PROJ), beside
// the areas with their sizes in square kilometres and the grid → community → street chain.
import GridwallCore
import GridwallPROJ

/// The district's events, columnar and projected, with the areas: what every heatmap, bin count, density and hot spot reads.
public struct EventAnalysis: Sendable {
    /// The metric CRS of bins and kernel density (EPSG code): CGCS2000 Gauss–Krüger in China,
    /// UTM elsewhere (`MetricCRS`).
    public let crs: Int
    public let areas: AreaTable
    public private(set) var events: EventColumns
    /// Locates events the store has no grid for (the assignment engine's polygon index).
    let gridIndex: PolygonIndex
    /// Grid id → grid code, for events whose grid the store already holds.
    let gridCodes: [String: Int32]

    /// Builds from the areas and events (any order; `projected` is computed here, and `grid` from
    /// each event's stored `gridID`, or by locating it when it has none).
    ///
    /// Pass the server's `engine` (built from the same `records`) to share its grid index
    /// instead of building a second one.
    ///
    /// ```swift
    /// let analysis = try EventAnalysis(areas: try store.areas(), events: try store.analysisEvents().events)
    /// let (rows, breaks) = analysis.areaHeatmap(level: .community, filter: EventFilter(from: start, to: end),
    ///                                           method: .jenks, measure: .perSquareKilometre)
    /// ```
    public init(areas records: [AreaRecord], events raw: [EventRecord], crs requested: Int? = nil,
                engine: AssignmentEngine? = nil) throws {
        var box = BoundingBox.empty
        for a in records { if let b = a.geometry.boundingBox { box.extend(b) } }
        if box.isEmpty { for e in raw { box.extend(e.position) } }
        if box.isEmpty { box = BoundingBox(minX: 120, minY: 30, maxX: 120, maxY: 30) }
        crs = requested ?? MetricCRS.epsg(for: box)
        let transformer = try ProjTransformer(fromEPSG: 4326, toEPSG: crs)
        areas = try AreaTable(records, transformer: transformer)
        let gridIDs = areas.grids.map { records[$0].id }
        // The engine's grids are the same records' grids in the same order when it was built
        // from them; anything else (another version of the layer) is not shared.
        if let engine, engine.grids.map(\.gridID) == gridIDs {
            gridIndex = engine.gridIndex
        } else {
            gridIndex = PolygonIndex(features: areas.grids.map { records[$0].geometry.polygons })
        }
        var codes: [String: Int32] = [:]
        for (code, id) in gridIDs.enumerated() { codes[id] = Int32(code) }
        gridCodes = codes
        let located = try Self.locate(raw, crs: crs, gridIndex: gridIndex, gridCodes: gridCodes)
        // Pre-aggregated bins cover the grids and 2 km around them (the events, without grids).
        var extent = areas.gridExtent
        if extent.isEmpty { for e in located where e.projected.isFinite { extent.extend(e.projected) } }
        events = EventColumns(crs: crs, gridCount: areas.grids.count, records: located,
                              binExtent: extent.isEmpty ? nil : extent.expanded(by: 2_000))
    }

    /// Changes one event's status (see `EventColumns.setStatus`).
    @discardableResult
    public mutating func setStatus(id: String, time: Int64, to status: String) -> Bool {
        events.setStatus(id: id, time: time, to: status)
    }

    /// Makes room for `n` events in every column (a bulk load appending in batches).
    public mutating func reserveCapacity(_ n: Int) { events.reserveCapacity(n) }

    /// Adds one batch of a load in time order of `total` events in all (serve's start: see
    /// `GeoStore.analysisEventsInTimeOrder`). The first batch reserves room for all of them and
    /// starts the day totals at the thousandth-quantile event, as the one-go build does, so the
    /// result is the one-go build's without every event held as a record at once. (Start from
    /// an analysis with no events; the pre-aggregated bins then cover the grids only, none when
    /// there are no grids. Events out of time order are placed right, only more slowly.)
    public mutating func appendLoaded(_ batch: [EventRecord], of total: Int) throws {
        if events.count == 0, !batch.isEmpty {
            reserveCapacity(total)
            events.startDayTotals(at: batch[min(total / 1000, batch.count - 1)].time)
        }
        try append(batch)
    }

    /// Adds new events (any order; late ones go where their time belongs).
    public mutating func append(_ raw: [EventRecord]) throws {
        for e in try Self.locate(raw, crs: crs, gridIndex: gridIndex, gridCodes: gridCodes) { events.append(e) }
    }

    /// Fills each event's position in the analysis CRS (PROJ, one batch) and its grid: the one
    /// the store assigned when it names a current grid (one source of truth for where an event
    /// is), else located now.
    static func locate(_ raw: [EventRecord], crs: Int, gridIndex: PolygonIndex, gridCodes: [String: Int32]) throws -> [EventRecord] {
        var projected = raw.map(\.position)
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.forward(&projected) }
        var located = raw
        for i in located.indices {
            located[i].projected = projected[i]
            if let id = raw[i].gridID, let code = gridCodes[id] {
                located[i].grid = code
            } else {
                located[i].grid = gridIndex.locate(x: raw[i].position.x, y: raw[i].position.y).feature
            }
        }
        return located
    }
}
