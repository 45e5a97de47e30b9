// `gridwall plan impact`: what a plan would move. Per new grid its population, households,
// buildings, cameras, responders and recent events; which buildings, cameras, responders' home
// grids and events move from which old grid to which new one; the grids outside the household
// target range.
import ArgumentParser
import Foundation
import GridwallCore
import GridwallPlans
import GridwallStore

struct PlanImpactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "What a plan moves: people, households, buildings, cameras, responders and events per new grid.",
        discussion: """
            The plan replaces the store's areas of its level whose parent it names (or whose id it
            reuses); a plan naming no parent replaces the whole level. Buildings count in the grid
            holding their representative point (the centroid, or a point inside when the centroid
            is not); cameras and events where they stand, events as assigned when reported;
            a responder's home grid passes to the new grid holding most of it.
            Events are those of the last --days days up to the newest stored event.
            Prints the moves and the grids outside the household range; --out writes the whole
            report (every grid, every moved id) as JSON.

            Examples:
              gridwall plan impact redrawn.geojson
              gridwall plan impact redrawn.geojson --days 7 --households 250-450 --out impact.json
            """)

    @OptionGroup var plan: PlanFileOptions
    @OptionGroup var window: PlanImpactFlags
    @Option(help: "Write the whole report here as JSON.") var out: String?
    @Option(help: "Print at most this many moves and grids (the JSON has all).") var limit = 40

    func run() async throws {
        try await Terminal.reportingErrors {
            guard limit >= 0 else { throw GridwallError(.invalidParameter, "must not be negative", at: "--limit") }
            if let out { try OutputFile.checkWritable(out) }
            let (days, range) = try window.validated()
            let geoStore = try plan.existingStore()
            let (fields, areas, _) = try plan.read()
            let (impact, seconds) = try PlanBook.impact(areas: areas, level: fields.level, store: geoStore, days: days, householdRange: range)
            print(Self.text(impact, limit: limit), terminator: "")
            let moved = GridMove.Kind.allCases.map { "\(impact.moved($0)) of \(impact.totals[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            print("\(impact.grids.count) \(fields.level.rawValue)s after the plan (\(areas.count) from it); moving: \(moved) "
                  + "(events of the \(days) days to the newest); \(impact.outsideRange.count) outside \(range.lowerBound)–\(range.upperBound) households; "
                  + String(format: "%.0f ms", seconds * 1000))
            if let out {
                var s = ""
                impact.json.write(into: &s)
                try OutputFile.write(Array((s + "\n").utf8), to: out)
            }
        }
    }

    /// The moves and the grids outside the range, at most `limit` lines of each.
    static func text(_ impact: PlanImpact, limit: Int) -> String {
        var s = ""
        for m in impact.moves.prefix(limit) {
            let sample = m.ids.prefix(3).joined(separator: ", ") + (m.count > 3 ? ", …" : "")
            s += "move: \(m.count) \(m.kind.rawValue) from \(m.from ?? "no grid") to \(m.to ?? "no grid") (\(sample))\n"
        }
        if impact.moves.count > limit { s += "… and \(impact.moves.count - limit) more moves (--out has them all)\n" }
        let outside = impact.outsideRange
        for g in outside.prefix(limit) {
            let side = g.households < impact.householdRange.lowerBound ? "below" : "above"
            s += "households: \(g.grid) has \(g.households), \(side) \(impact.householdRange.lowerBound)–\(impact.householdRange.upperBound)\n"
        }
        if outside.count > limit { s += "… and \(outside.count - limit) more grids outside the range\n" }
        return s
    }
}

/// Which events an impact counts and the household target, shared by `plan impact` and `plan submit`.
struct PlanImpactFlags: ParsableArguments {
    @Option(help: "Count the events of this many days, up to the newest.") var days = 30
    @Option(help: "The target households per grid, as MIN-MAX.") var households = "300-500"

    func validated() throws -> (days: Int, households: ClosedRange<Int>) {
        guard days > 0 else { throw GridwallError(.invalidParameter, "must be a positive number of days", at: "--days") }
        return (days, try PlanBook.householdRange(households, at: "--households"))
    }
}
