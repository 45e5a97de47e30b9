// Counts per time step for one area (or the whole district): what the wall's side panel and its
// sparklines read. Steps are UTC hours, days or weeks (weeks from Monday 00:00 UTC), like the day
// totals. Day and week steps filtered by time and category at most are read from the per-grid
// day totals (each step one row minus another per grid); hours and other filters count the
// window's events one by one (found by time: the columns are sorted by it).
import GridwallCore

/// A count per step.
public struct EventSeries: Sendable {
    public enum Step: String, Sendable, CaseIterable {
        case hour, day, week
        public var seconds: Int64 { switch self { case .hour: 3_600; case .day: 86_400; case .week: 604_800 } }
        /// Where steps start: hours and days at multiples of their length from the epoch; weeks on
        /// Mondays (the epoch was a Thursday: 4 days on).
        var phase: Int64 { self == .week ? 4 * 86_400 : 0 }
        /// The start of the step holding `t`.
        public func start(of t: Int64) -> Int64 {
            let shifted = t - phase
            let q = shifted >= 0 ? shifted / seconds : -((-shifted + seconds - 1) / seconds)
            return q * seconds + phase
        }
    }

    public var step: Step
    /// The first step's start and the end of the last (Unix seconds).
    public var from: Int64, to: Int64
    /// Events per step, from `from` on.
    public var counts: [Int]
    public var total: Int { counts.reduce(0, +) }
}

extension EventAnalysis {
    /// The most steps one series may hold.
    public static let maximumSeriesSteps = 10_000

    /// Events passing `filter` in the area at record `area` (nil: every event), per `step` from
    /// the step holding `from` to the one holding `to − 1`. The filter's own window is replaced
    /// by these whole steps.
    public func series(filter: EventFilter, area: Int?, step: EventSeries.Step, from: Int64, to: Int64) throws -> EventSeries {
        guard to > from else { throw GridwallError(.invalidParameter, "the window is empty: to must come after from", at: "to") }
        let first = step.start(of: from), last = step.start(of: to - 1) + step.seconds
        let steps = Int((last - first) / step.seconds)
        try HeatmapLimits.check(Double(steps), atMost: Double(Self.maximumSeriesSteps), "steps", change: "step",
                                hint: "use a longer step or a shorter window")
        var inside: [Bool]?
        if let area {
            var mask = [Bool](repeating: false, count: events.gridCount + 1)
            for g in areas.gridCodes(inside: area) { mask[g] = true }
            inside = mask
        }
        var counts = [Int](repeating: 0, count: steps)
        let window = filter.window(from: first, to: last)
        if step != .hour && window.isTimeAndCategoryOnly {
            // Whole days: each step from the per-grid day totals (one row minus another per grid).
            for k in 0..<steps {
                let perGrid = events.gridCounts(window.window(from: first + Int64(k) * step.seconds, to: first + Int64(k + 1) * step.seconds))
                counts[k] = inside.map { mask in perGrid.indices.reduce(0) { $0 + (mask[$1] ? perGrid[$1] : 0) } } ?? perGrid.reduce(0, +)
            }
            return EventSeries(step: step, from: first, to: last, counts: counts)
        }
        let times = events.times, grids = events.grids
        events.forEachMatch(window) { i in
            if let inside, !inside[Int(grids[i])] { return }
            counts[Int((times[i] - first) / step.seconds)] += 1
        }
        return EventSeries(step: step, from: first, to: last, counts: counts)
    }
}
