// Events held in memory for analysis: one flat array per attribute, sorted by time, with
// categories, statuses and sources as small integer codes.
//
// Why columns sorted by time: every heatmap question has a time window, and the window of a
// sorted column is two binary searches; a query then reads only the events inside it, column by
// column, instead of scanning ten million rows. Why running per-day totals beside them
// (`DayCounts` per grid and category, `BinCube` per bin): a heatmap over whole days then needs no
// events at all, only one row of totals minus another; the two partial days at the edges of a
// window are counted from the columns.

/// One event as the analysis store takes it.
public struct EventRecord: Sendable, Hashable {
    /// Unix seconds.
    public var time: Int64
    /// WGS84 longitude/latitude.
    public var position: Coordinate
    /// Metres in the analysis CRS (`EventColumns.crs`), for bins and kernel density.
    public var projected: Coordinate
    public var category: String
    public var status: String
    public var source: String
    /// Index of the grid the event lies in (`-1`: outside every grid).
    public var grid: Int32
    /// The event's id in the store (for status changes; may be empty).
    public var id: String
    /// The id of the grid the store assigned the event to when it came in, if any: the
    /// analysis counts the event there instead of locating it again.
    public var gridID: String?

    /// One event; `grid` and `projected` may be placeholders for the analysis to fill.
    public init(time: Int64, position: Coordinate, projected: Coordinate, category: String, status: String, source: String, grid: Int32,
                id: String = "", gridID: String? = nil) {
        self.time = time; self.position = position; self.projected = projected
        self.category = category; self.status = status; self.source = source; self.grid = grid; self.id = id; self.gridID = gridID
    }
}

/// Values of one attribute coded as small integers in order of first appearance.
public struct Dictionary16: Sendable {
    public private(set) var names: [String] = []
    private var codes: [String: UInt16] = [:]
    /// An empty coding.
    public init() {}
    /// The code of `name`, assigning the next one when it is new.
    public mutating func code(_ name: String) -> UInt16 {
        if let c = codes[name] { return c }
        precondition(names.count < Int(UInt16.max), "more than 65,535 distinct values")
        let c = UInt16(names.count)
        codes[name] = c; names.append(name)
        return c
    }
    /// The code of `name` if it has one.
    public func existingCode(_ name: String) -> UInt16? { codes[name] }
    public var count: Int { names.count }
}

/// Events as time-sorted columns (times, positions, coded attributes, grids) with running per-day totals, for counting any window fast.
public struct EventColumns: Sendable {
    public static let secondsPerDay: Int64 = 86_400
    /// The CRS of `xs`/`ys` (an EPSG code; metres).
    public let crs: Int
    /// How many grids there are; grid codes are 0..<gridCount, `gridCount` stands for "outside".
    public let gridCount: Int
    public private(set) var times: [Int64] = []
    public private(set) var lons: [Double] = [], lats: [Double] = []
    public private(set) var xs: [Double] = [], ys: [Double] = []
    /// The box of the projected positions (`xs`, `ys`).
    public private(set) var projectedBox = BoundingBox.empty
    public private(set) var categories: [UInt16] = []
    public private(set) var statuses: [UInt16] = []
    public private(set) var sources: [UInt16] = []
    /// Grid code per event, `gridCount` for outside.
    public private(set) var grids: [Int32] = []
    /// Store ids, to find an event whose status changes.
    public private(set) var ids: [String] = []
    public private(set) var categoryNames = Dictionary16()
    public private(set) var statusNames = Dictionary16()
    public private(set) var sourceNames = Dictionary16()
    /// Per category, running per-day totals per grid slot; and the same over all categories.
    private(set) var gridDays: [DayCounts] = []
    private(set) var allGridDays: DayCounts
    /// Running per-day totals per bin for the pre-aggregated bin grids (see BinCube).
    private(set) var cubes: [BinCube] = []
    /// The bin grids kept pre-aggregated when an extent is given: a fine square lattice (any
    /// multiple of 50 m adds up from it), and the squares and hexagons of the sizes districts
    /// use (read directly, no adding up).
    public static let cubeGrids = [BinGrid(.square, size: 50), BinGrid(.square, size: 250), BinGrid(.square, size: 500),
                                   BinGrid(.square, size: 1_000), BinGrid(.hex, size: 100), BinGrid(.hex, size: 250),
                                   BinGrid(.hex, size: 500), BinGrid(.hex, size: 1_000)]
    /// The bin grids whose totals are also kept per category (a heatmap of one kind of event
    /// is the common question): the default sizes of the API, a few kB per category and day.
    public static let categoryCubeGrids = [BinGrid(.square, size: 500), BinGrid(.hex, size: 250)]

    /// The most bins a pre-aggregated cube may have (1 MB a day).
    public static let maximumCubeBins = 250_000

    /// Which days the running totals cover (all of them cover the same days).
    private var coverage = DayCoverage()

    public var count: Int { times.count }
    var gridSlots: Int { gridCount + 1 }

    /// Bytes the running totals take per day covered (4 per slot).
    public var dayTotalBytesPerDay: Int {
        4 * ((gridDays.count + 1) * gridSlots
             + cubes.reduce(0) { $0 + ($1.outsideSlot + 1) * (1 + $1.byCategory.count) })
    }

    /// `binExtent` (analysis CRS) enables the pre-aggregated bins of `binGrids` over that box.
    public init(crs: Int, gridCount: Int, binExtent: BoundingBox? = nil, binGrids: [BinGrid] = cubeGrids) {
        self.crs = crs
        self.gridCount = gridCount
        allGridDays = DayCounts(slots: gridCount + 1)
        if let binExtent, !binExtent.isEmpty {
            // A cube costs 4 bytes per bin and day: the fine lattice over a whole city (Toronto's
            // 50 m squares: 650,000 bins, ~950 MB a year) is not kept; its bins are counted
            // from the events, as for any grid without a cube.
            cubes = binGrids.map { BinCube($0, extent: binExtent, keepsCategories: Self.categoryCubeGrids.contains($0)) }
                .filter { $0.outsideSlot < Self.maximumCubeBins }
        }
    }

    /// Builds from records in any order (sorted here, stable, so equal times keep input order).
    public init(crs: Int, gridCount: Int, records: [EventRecord], binExtent: BoundingBox? = nil, binGrids: [BinGrid] = cubeGrids) {
        self.init(crs: crs, gridCount: gridCount, binExtent: binExtent, binGrids: binGrids)
        let order = records.indices.sorted { records[$0].time < records[$1].time || (records[$0].time == records[$1].time && $0 < $1) }
        // The totals start at the day of the thousandth-quantile event, so that a few events
        // with absurd old times (a clock at 1970) do not stretch them over decades.
        if !order.isEmpty { startDayTotals(at: records[order[order.count / 1000]].time) }
        reserveCapacity(records.count)
        for i in order { append(records[i]) }
    }

    /// Starts the running totals at the day of `time` unless they have started (a load in
    /// batches passes its thousandth-quantile event, as the one-go build above does).
    public mutating func startDayTotals(at time: Int64) { coverage.start(at: Self.day(of: time)) }

    /// Reserves room for `n` events in every column.
    public mutating func reserveCapacity(_ n: Int) {
        times.reserveCapacity(n); lons.reserveCapacity(n); lats.reserveCapacity(n); xs.reserveCapacity(n); ys.reserveCapacity(n)
        categories.reserveCapacity(n); statuses.reserveCapacity(n); sources.reserveCapacity(n); grids.reserveCapacity(n)
        ids.reserveCapacity(n)
    }

    /// Adds one event, keeping time order (a late event is inserted where it belongs, which
    /// moves the later ones: cheap for the few late reports a live feed has).
    public mutating func append(_ e: EventRecord) {
        let at = times.last.map { $0 <= e.time } ?? true ? times.count : upperBound(e.time)
        let slot = e.grid >= 0 && Int(e.grid) < gridCount ? e.grid : Int32(gridCount)
        let category = categoryNames.code(e.category)
        times.put(e.time, at: at)
        lons.put(e.position.x, at: at); lats.put(e.position.y, at: at)
        xs.put(e.projected.x, at: at); ys.put(e.projected.y, at: at)
        projectedBox.extend(e.projected)
        categories.put(category, at: at)
        statuses.put(statusNames.code(e.status), at: at)
        sources.put(sourceNames.code(e.source), at: at)
        grids.put(slot, at: at)
        ids.put(e.id, at: at)
        countDay(time: e.time, category: category, slot: slot, projected: e.projected)
    }

    private mutating func countDay(time: Int64, category: UInt16, slot: Int32, projected: Coordinate) {
        let day = Self.day(of: time)
        guard coverage.admit(day) else { return }   // counted from the columns at query time
        while gridDays.count <= Int(category) { gridDays.append(DayCounts(slots: gridSlots)) }
        gridDays[Int(category)].add(day: day, slot: Int(slot))
        allGridDays.add(day: day, slot: Int(slot))
        for c in cubes.indices { cubes[c].add(day: day, category: category, at: projected) }
    }

    /// The days the running totals may cover: they grow forward with time, back by at most a
    /// month for late reports, and never over a day whose events were left out (those events
    /// are counted from the columns, since every query clamps its whole days to the coverage).
    /// Memory stays bounded: one absurd timestamp cannot stretch the totals over years.
    struct DayCoverage: Sendable {
        static let maximumBackward: Int64 = 31, maximumForward: Int64 = 366
        private(set) var first: Int64?, last: Int64 = 0
        /// Left-out days: the coverage must not grow to include them.
        private var leftOutBelow = Int64.min, leftOutAbove = Int64.max

        mutating func start(at day: Int64) { if first == nil { first = day; last = day } }

        mutating func admit(_ day: Int64) -> Bool {
            guard let f = first else { first = day; last = day; return true }
            if day >= f && day <= last { return true }
            if day < f, f - day <= Self.maximumBackward, day > leftOutBelow { first = day; return true }
            if day > last, day - last <= Self.maximumForward, day < leftOutAbove { last = day; return true }
            if day < f { leftOutBelow = max(leftOutBelow, day) } else { leftOutAbove = min(leftOutAbove, day) }
            return false
        }
    }

    /// The UTC day of a time (days since 1970-01-01, rounding down before it too).
    public static func day(of time: Int64) -> Int64 { time >= 0 ? time / secondsPerDay : (time - secondsPerDay + 1) / secondsPerDay }

    /// Changes the status of the event `id` reported at `time` (dispatch, resolution). Statuses
    /// are not in the day totals, so nothing else changes. Returns whether the event was found.
    @discardableResult
    public mutating func setStatus(id: String, time: Int64, to status: String) -> Bool {
        guard let i = (lowerBound(time)..<upperBound(time)).first(where: { ids[$0] == id }) else { return false }
        statuses[i] = statusNames.code(status)
        return true
    }

    /// The first index whose time is >= `t`.
    public func lowerBound(_ t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi { let mid = (lo + hi) >> 1; if times[mid] < t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// The first index whose time is > `t`.
    public func upperBound(_ t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi { let mid = (lo + hi) >> 1; if times[mid] <= t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// The indices of events with `from <= time < to`.
    public func range(from: Int64?, to: Int64?) -> Range<Int> {
        let lo = from.map(lowerBound) ?? 0
        let hi = to.map(lowerBound) ?? times.count
        return lo..<max(lo, hi)
    }

    /// The time span held: first and last event time.
    public var span: ClosedRange<Int64>? { times.isEmpty ? nil : times[0]...times[times.count - 1] }
}

extension Array {
    /// Appends `element` when `i` is the end (live events arrive in time order, so nearly always),
    /// inserts it otherwise: `insert` at the end goes through the general replacement of a range,
    /// several times the cost of an append.
    @inline(__always) mutating func put(_ element: Element, at i: Int) {
        if i == count { append(element) } else { insert(element, at: i) }
    }
}
