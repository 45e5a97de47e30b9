// Heatmaps for the server: the event analysis (columnar events, day cubes, areas) built from
// the store at start, answered without touching SQLite.
import GridwallAnalysis
import GridwallCore
import GridwallStore

public final class HeatmapService: Sendable {
    private let current: Locked<EventAnalysis>

    public init(store: GeoStore) throws {
        let (events, _) = try store.analysisEvents()
        current = Locked(try EventAnalysis(areas: try store.areas(), events: events))
    }

    /// The analysis as it stands (a value: readers never wait for later changes).
    public var analysis: EventAnalysis { current.withLock { $0 } }
}
