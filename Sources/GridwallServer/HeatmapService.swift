// Heatmaps for the server: the event analysis (columnar events, day cubes, areas) built from
// the store at start, answered without touching SQLite; and the density rasters behind the
// heat tiles, kept for the last few filters (a map asks for dozens of tiles of one surface).
import GridwallAnalysis
import GridwallCore
import GridwallStore

public final class HeatmapService: Sendable {
    private let current: Locked<EventAnalysis>
    private let rasters = Locked<[(key: HeatmapRequest, raster: DensityRaster)]>([])
    static let keptRasters = 8

    public init(store: GeoStore) throws {
        let (events, _) = try store.analysisEvents()
        current = Locked(try EventAnalysis(areas: try store.areas(), events: events))
    }

    /// The analysis as it stands (a value: readers never wait for later changes).
    public var analysis: EventAnalysis { current.withLock { $0 } }

    /// The density raster for a request's filter, bandwidth and cell (computed once per key).
    func raster(for request: HeatmapRequest) throws -> DensityRaster {
        var key = HeatmapRequest()
        key.filter = request.filter; key.bandwidth = request.bandwidth; key.cellSize = request.cellSize
        if let hit = rasters.withLock({ list in list.first { $0.key == key }?.raster }) { return hit }
        let raster = try analysis.density(filter: key.filter, bandwidth: key.bandwidth, cellSize: key.cellSize)
        rasters.withLock { list in
            list.removeAll { $0.key == key }
            list.insert((key, raster), at: 0)
            if list.count > Self.keptRasters { list.removeLast() }
        }
        return raster
    }
}
