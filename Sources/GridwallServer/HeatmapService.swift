// Heatmaps for the server: the event analysis (columnar events, day cubes, areas) built from
// the store at start, answered without touching SQLite; and the density rasters behind the
// heat tiles, kept for the last few filters (a map asks for dozens of tiles of one surface).
import Foundation
import GridwallAnalysis
import GridwallCore
import GridwallStore

/// The event analysis behind the heatmaps, kept up to date with the store and with status changes.
public final class HeatmapService: Sendable {
    private struct Loaded: Sendable {
        var analysis: EventAnalysis
        var events: (lastChange: String, count: Int, maxFid: Int64)
        var areas: String
        /// Status changes applied since the load (part of `version`).
        var statusChanges = 0
    }
    /// What changes the loaded analysis between reloads.
    private enum Change: Sendable {
        /// An event's status as the store now has it.
        case status(id: String, time: Int64, status: String)
        /// Events the live service has just stored (rows `fid`), and the events table's
        /// last_change after that commit.
        /// `after` is the largest fid in the store before the commit.
        case ingested([(fid: Int64, record: EventRecord)], after: Int64, lastChange: String)
    }
    /// Changes apply at once; refreshes work on a copy and, before publishing it, apply the
    /// changes that landed meanwhile (LiveValue), so none is lost.
    private let current: LiveValue<Loaded, Change>
    private let rasters = Locked<[(key: HeatmapRequest, raster: DensityRaster)]>([])
    static let keptRasters = 8
    /// Heat tiles drawn at their own resolution, the most recent first.
    private let tiles = Locked<[(key: HeatmapRequest, tile: TileID, png: [UInt8])]>([])
    static let keptTiles = 512

    /// Where the areas and the grid index come from: the server's assignment service when
    /// given (one reading and one index of the grids for both), else the store.
    private let assignment: AssignmentService?

    /// Builds the analysis from the store (sharing `assignment`'s engine when given).
    public init(store: GeoStore, assignment: AssignmentService? = nil) throws {
        self.assignment = assignment
        current = LiveValue(try Self.load(store, assignment: assignment)) { loaded, change in
            switch change {
            case .status(let id, let time, let status):
                _ = loaded.analysis.setStatus(id: id, time: time, to: status)
                loaded.statusChanges += 1
            case .ingested(let rows, let after, let lastChange):
                // Rows another writer added before the commit that have not been read yet:
                // leave it to a refresh, which reads them and these in fid order.
                guard loaded.events.maxFid >= after else { return }
                // A refresh that read the store after the commit has these rows already: the
                // fids say which are new (a commit's rows are written by one writer, in order).
                let new = rows.filter { $0.fid > loaded.events.maxFid }
                guard let last = new.last?.fid else { return }
                // Locating and projecting cannot fail for events the store accepted (finite
                // WGS84 coordinates); were it to, the next refresh reloads from the store.
                guard (try? loaded.analysis.append(new.map(\.record))) != nil else { return }
                loaded.events = (lastChange, loaded.events.count + new.count, last)
            }
        }
    }

    /// Adds events the live service has just stored (the store's largest fid before them was
    /// `after`), so heatmaps include them before the client hears back. When another writer's
    /// rows came first and have not been read yet, catches up with the store instead. Call it
    /// once for every `committing` that returned, after it and in the same order (it ends the
    /// append that `committing` announced).
    func ingested(_ rows: [(fid: Int64, record: EventRecord)], after: Int64, lastChange: String, store: GeoStore) throws {
        defer { appendsDue.finish() }
        guard let last = rows.last?.fid else { return }
        current.apply(.ingested(rows, after: after, lastChange: lastChange))
        rasters.withLock { $0.removeAll() }; tiles.withLock { $0.removeAll() }
        if current.read({ $0.events.maxFid }) < last { _ = try refreshUnlocked(from: store) }
    }

    /// Reads the events in time order, a batch at a time, into the analysis (see
    /// `analysisEventsInTimeOrder`): the version is the one of the snapshot the events came from.
    private static func load(_ store: GeoStore, assignment: AssignmentService?) throws -> Loaded {
        let areasVersion = try store.assignmentLayersVersion()
        // Share the assignment engine when it was built from the layers as they are now.
        let shared = assignment.map(\.engineAndAreas).flatMap { $0.version == areasVersion ? $0 : nil }
        let areas = try shared?.areas ?? store.areas()
        let (analysis, version, _) = try analysis(of: store, areas: areas, engine: shared?.engine)
        return Loaded(analysis: analysis, events: version, areas: areasVersion)
    }

    /// The analysis of every stored event over `areas`, read in time order half a million at a
    /// time (`GeoStore.analysisEventsInTimeOrder`: a store of 100 M events is never held as
    /// records). With `storedGrids` false each event is located in `areas`' grids instead of
    /// counted in the grid the store assigned it (another version of the grids). Returns the
    /// events table's version it read and how many rows had no readable time or position.
    public static func analysis(of store: GeoStore, areas: [AreaRecord], engine: AssignmentEngine? = nil, storedGrids: Bool = true) throws
        -> (analysis: EventAnalysis, version: (lastChange: String, count: Int, maxFid: Int64), skipped: Int) {
        var analysis = try EventAnalysis(areas: areas, events: [], engine: engine)
        let (version, skipped) = try store.analysisEventsInTimeOrder { batch, total in
            guard !storedGrids else { return try analysis.appendLoaded(batch, of: total) }
            var batch = batch
            for i in batch.indices { batch[i].gridID = nil }
            try analysis.appendLoaded(batch, of: total)
        }
        return (analysis, version, skipped)
    }

    /// Catches up with the store when events or areas were written (`gridwall import` while
    /// serving): new event rows are appended; a replaced events table or changed areas are
    /// loaded again. Returns what happened, nil when nothing changed. `beforePublishing` runs
    /// after the work and before the result is published (tests use it to interleave).
    public func refreshIfChanged(from store: GeoStore, beforePublishing: () throws -> Void = {}) throws -> String? {
        try storeOrder.withLock {
            appendsDue.waitForNone()
            return try refreshUnlocked(from: store, beforePublishing: beforePublishing)
        }
    }

    /// Held around a live-ingest commit, and around a refresh's look at the store, which first
    /// waits for every committed batch to be appended: a refresh never sees a commit whose
    /// events are not yet appended (it would read them itself, on a copy of the whole analysis,
    /// and then count the store's rows). The appends themselves run after the lock is let go, so
    /// the next commit need not wait for them.
    private let storeOrder = NSLock()
    /// Commits made whose `ingested` has not run yet.
    private let appendsDue = Countdown()

    /// Runs `body` (a commit to the events table) so that no refresh looks at the store in
    /// between; when it returns, the commit's `ingested` is due.
    func committing<T>(_ body: () throws -> T) rethrows -> T {
        try storeOrder.withLock {
            let result = try body()
            appendsDue.start()
            return result
        }
    }

    private func refreshUnlocked(from store: GeoStore, beforePublishing: () throws -> Void = {}) throws -> String? {
        // The cheap check first, and without a copy of the analysis: a rebuild holds one while
        // it works, and an append meanwhile would copy every column (tens of MB) to keep it.
        let known = current.read { ($0.events.lastChange, $0.areas) }
        guard try store.eventsLastChange() != known.0 || store.assignmentLayersVersion() != known.1 else { return nil }
        var what: String?
        try current.rebuild { loaded -> Loaded? in
            let areas = try store.assignmentLayersVersion()
            // Again on the copy (a commit may have landed since the look above); still the cheap
            // check first: counting ten million rows every two seconds would not be cheap.
            guard try store.eventsLastChange() != loaded.events.lastChange || areas != loaded.areas else { return nil }
            let version = try store.eventsVersion()
            let appended = version.maxFid > loaded.events.maxFid
                && version.count - loaded.events.count == Int(version.maxFid - loaded.events.maxFid)
            var next: Loaded
            if appended && areas == loaded.areas {
                let (events, _, _) = try store.analysisEvents(after: loaded.events.maxFid)
                next = loaded
                try next.analysis.append(events)
                next.events = version
                what = "\(events.count) events appended"
            } else {
                next = try Self.load(store, assignment: assignment)
                what = "events and areas loaded again (\(next.analysis.events.count) events)"
            }
            try beforePublishing()
            return next
        }
        if what != nil { rasters.withLock { $0.removeAll() }; tiles.withLock { $0.removeAll() } }
        return what
    }

    /// Brings an event's status in the analysis in line with the store (after dispatch or
    /// resolution), so that status filters see it at once.
    public func statusChanged(event id: String, in store: GeoStore) throws {
        guard let (time, status) = try store.event(id) else { return }
        current.apply(.status(id: id, time: time, status: status))
        rasters.withLock { $0.removeAll() }; tiles.withLock { $0.removeAll() }
    }

    /// What `body` computes from the analysis as it stands. Every request reads through here:
    /// new events wait while it runs (the lock is the value's), where a reader holding a copy
    /// would make the next new event copy every column and day total the copy shares (hundreds
    /// of MB on a store of millions of events, and as much memory again). `body` must not call
    /// back into this service (the lock is not reentrant).
    public func reading<T>(_ body: (EventAnalysis) throws -> T) rethrows -> T { try current.read { try body($0.analysis) } }

    /// A copy of the analysis as it stands, for tests and tools: while it is held, the next
    /// new event copies the columns it shares (requests use `reading`).
    public var analysis: EventAnalysis { current.value.analysis }

    /// The categories of the events in the analysis.
    var categoryNames: [String] { current.read { $0.analysis.events.categoryNames.names } }

    /// Analyses of past versions of the area layer, for the last few asked, each with the events
    /// table's version it was built at.
    private let versions = Locked<[(version: Int, events: String, analysis: EventAnalysis)]>([])
    static let keptVersions = 2

    /// The events counted by the grids of version `version` of the area layer: every event
    /// placed in that version's polygons (not by the grid it was assigned then or now), so that a
    /// heatmap of any version equals counting the events against its grids. Built on first
    /// request and kept while the events table does not change. Nil when there is no such version.
    public func analysis(version: Int, store: GeoStore) throws -> EventAnalysis? {
        let stamp = try store.eventsVersion()
        let eventsVersion = "\(stamp.lastChange) \(stamp.count) \(stamp.maxFid) \(current.read { $0.statusChanges })"
        if let kept = versions.withLock({ $0.first { $0.version == version && $0.events == eventsVersion } }) { return kept.analysis }
        guard let areas = try store.areas(version: version) else { return nil }
        let built = try Self.analysis(of: store, areas: areas, storedGrids: false).analysis
        versions.withLock { list in
            list.removeAll { $0.version == version }
            list.insert((version, eventsVersion, built), at: 0)
            if list.count > Self.keptVersions { list.removeLast() }
        }
        return built
    }

    /// Changes whenever the figures may: new events, a reload, a status change (for ETags).
    public var version: String {
        current.read { v in "\(v.events.lastChange)|\(v.events.count)|\(v.events.maxFid)|\(v.areas)|\(v.statusChanges)" }
    }

    /// Heat tile z/x/y as a PNG: from the filter's raster where its cells are as fine as the
    /// tile's pixels, else computed for the tile at its own resolution (kept: the last 512); always
    /// coloured on the filter raster's scale, so that neighbouring tiles meet without a seam.
    func heatTile(for request: HeatmapRequest, _ tile: TileID) throws -> [UInt8] {
        var key = HeatmapRequest()
        key.filter = request.filter; key.bandwidth = request.bandwidth; key.cellSize = request.cellSize
        if let hit = tiles.withLock({ list in list.first { $0.key == key && $0.tile == tile }?.png }) { return hit }
        let whole = try raster(for: request)
        let png = try reading { analysis in
            let own = try analysis.tileRaster(filter: key.filter, bandwidth: key.bandwidth, cellSize: key.cellSize, z: tile.z, x: tile.x, y: tile.y)
            return try analysis.heatTile(own ?? whole, scale: whole.displayScale, z: tile.z, x: tile.x, y: tile.y)
        }
        tiles.withLock { list in
            list.insert((key, tile, png), at: 0)
            if list.count > Self.keptTiles { list.removeLast() }
        }
        return png
    }

    /// The density raster for a request's filter, bandwidth and cell (computed once per key).
    func raster(for request: HeatmapRequest) throws -> DensityRaster {
        var key = HeatmapRequest()
        key.filter = request.filter; key.bandwidth = request.bandwidth; key.cellSize = request.cellSize
        if let hit = rasters.withLock({ list in list.first { $0.key == key }?.raster }) { return hit }
        // Made outside the analysis's lock from the positions read under it (new events wait only for the read).
        let raster = try reading { try $0.densityInput(filter: key.filter, bandwidth: key.bandwidth, cellSize: key.cellSize) }.raster()
        rasters.withLock { list in
            list.removeAll { $0.key == key }
            list.insert((key, raster), at: 0)
            if list.count > Self.keptRasters { list.removeLast() }
        }
        return raster
    }
}

/// A count of things under way that a thread can wait to see reach zero.
private final class Countdown: @unchecked Sendable {
    // @unchecked: `count` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var count = 0

    func start() { condition.lock(); count += 1; condition.unlock() }

    func finish() {
        condition.lock()
        count -= 1
        if count == 0 { condition.broadcast() }
        condition.unlock()
    }

    func waitForNone() {
        condition.lock()
        while count > 0 { condition.wait() }
        condition.unlock()
    }
}
