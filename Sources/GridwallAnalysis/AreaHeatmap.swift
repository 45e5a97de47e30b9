// The per-area heatmap: events per grid, community or street over a window, the change against
// the window before it, densities, and the five-colour class.
import GridwallCore

/// What the classes are computed from.
public enum HeatMeasure: String, Sendable, CaseIterable {
    case count, perSquareKilometre = "per_km2", perThousandResidents = "per_1000"
}

/// One area of a per-area heatmap: its count in the window and the previous one, size, residents and class.
public struct AreaHeat: Sendable, Hashable {
    /// Index into `AreaTable.records`.
    public var record: Int
    public var count: Int
    /// Events in the window of the same length just before (nil when the window is unbounded).
    public var previous: Int?
    public var change: Int? { previous.map { count - $0 } }
    /// Percent change against the previous window (nil without one or when it had none).
    public var changePercent: Double? {
        guard let previous, previous > 0 else { return nil }
        return Double(count - previous) / Double(previous) * 100
    }
    public var squareKilometres: Double
    public var perSquareKilometre: Double { squareKilometres > 0 ? Double(count) / squareKilometres : 0 }
    public var population: Int
    public var perThousandResidents: Double? { population > 0 ? Double(count) / Double(population) * 1000 : nil }
    public var riskClass: RiskClass = .green

    /// The figure `m` names: the count, per km² or per 1,000 residents (0 where the population is unknown).
    public func value(_ m: HeatMeasure) -> Double {
        switch m {
        case .count: Double(count)
        case .perSquareKilometre: perSquareKilometre
        case .perThousandResidents: perThousandResidents ?? 0
        }
    }
}

extension EventAnalysis {
    /// Every area of `level` with its numbers and class (areas without events included).
    public func areaHeatmap(level: AreaLevel, filter: EventFilter, method: ClassificationMethod = .quantile,
                            measure: HeatMeasure = .count) -> (areas: [AreaHeat], breaks: [Double]) {
        let now = areas.rollUp(events.gridCounts(filter), to: level)
        var before: [Int: Int]?
        if let from = filter.from, let to = filter.to, to > from {
            before = areas.rollUp(events.gridCounts(filter.window(from: from - (to - from), to: from)), to: level)
        }
        var rows = areas.indices(at: level).map { i in
            AreaHeat(record: i, count: now[i] ?? 0, previous: before.map { $0[i] ?? 0 },
                     squareKilometres: areas.squareKilometres[i], population: areas.records[i].population)
        }
        let values = rows.map { $0.value(measure) }
        let breaks = Classification.breaks(values, method: method)
        let classes = Classification.classify(values, limits: breaks)
        for i in rows.indices { rows[i].riskClass = classes[i] }
        return (rows, breaks)
    }
}
