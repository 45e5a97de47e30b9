// Events per hexagon or square bin, in the analysis CRS (or another metric CRS on request).
import GridwallCore
import GridwallPROJ

extension EventAnalysis {
    /// Bins holding at least one event passing `filter`, ordered by row then column
    /// (`EventColumns.bins`: pre-aggregated where possible).
    public func bins(_ grid: BinGrid, filter: EventFilter) throws -> [BinCount] {
        try Self.checkKeys(grid, events.projectedBox)
        return events.bins(grid, filter: filter)
    }

    /// Refuses bins so small, for the extent, that their keys would not fit 32 bits.
    static func checkKeys(_ grid: BinGrid, _ box: BoundingBox) throws {
        guard grid.keysFit(box) else {
            throw GridwallError(.invalidParameter, "bins of \(HeatmapRequest.format(grid.size)) m cannot number this extent; use larger bins", at: "size_m")
        }
    }

    /// The same over positions reprojected to another metric CRS (`crs=EPSG:…`): slower (every
    /// selected event goes through PROJ), for statistics on a CRS the user names.
    public func bins(_ grid: BinGrid, filter: EventFilter, crs: Int) throws -> [BinCount] {
        if crs == self.crs { return try bins(grid, filter: filter) }
        var points: [Coordinate] = []
        events.forEachMatch(filter) { points.append(Coordinate(events.lons[$0], events.lats[$0])) }
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.forward(&points) }
        var box = BoundingBox.empty
        for p in points where p.isFinite { box.extend(p) }
        try Self.checkKeys(grid, box)
        var counts: [BinKey: Int] = [:]
        for p in points where p.isFinite { counts[grid.key(of: p), default: 0] += 1 }
        return counts.map { BinCount(key: $0.key, count: $0.value) }.sorted { $0.key < $1.key }
    }
}
