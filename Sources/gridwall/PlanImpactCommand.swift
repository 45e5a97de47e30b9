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
    @Option(help: "Count the events of this many days, up to the newest.") var days = 30
    @Option(help: "The target households per grid, as MIN-MAX.") var households = "300-500"
    @Option(help: "Write the whole report here as JSON.") var out: String?
    @Option(help: "Print at most this many moves and grids (the JSON has all).") var limit = 40

    func run() async throws {
        try await Terminal.reportingErrors {
            guard days > 0 else { throw GridwallError(.invalidParameter, "must be a positive number of days", at: "--days") }
            guard limit >= 0 else { throw GridwallError(.invalidParameter, "must not be negative", at: "--limit") }
            let range = try Self.range(households)
            guard FileManager.default.fileExists(atPath: plan.store) else {
                throw GridwallError(.notFound, "no store here; an impact needs the current layer and what it holds (run gridwall serve or import first)", at: plan.store)
            }
            let (fields, areas, _) = try plan.read()
            let geoStore = try GeoStore(path: plan.store)
            let current = try plan.storedAreas(geoStore).filter { $0.level == fields.level }.map(\.area)
            let (stored, _) = try geoStore.analysisEvents()
            let newest = stored.map(\.time).max() ?? 0
            let since = newest - Int64(days) * 86_400
            let events = stored.filter { $0.time > since }.map { CountedThing(id: $0.id, point: $0.position, grid: $0.gridID) }

            let (impact, seconds) = try PlanImpactBuilder.impact(
                plan: areas, current: current, buildings: try geoStore.buildings(), cameras: try geoStore.cameras(),
                responders: try geoStore.responderHomeGrids(), events: events, householdRange: range)
            print(Self.text(impact, limit: limit), terminator: "")
            let moved = GridMove.Kind.allCases.map { "\(impact.moved($0)) of \(impact.totals[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            print("\(impact.grids.count) \(fields.level.rawValue)s after the plan (\(areas.count) from it); moving: \(moved) "
                  + "(events of the \(days) days to the newest); \(impact.outsideRange.count) outside \(range.lowerBound)–\(range.upperBound) households; "
                  + String(format: "%.0f ms", seconds * 1000))
            if let out {
                var s = ""
                impact.json.write(into: &s)
                do { try (s + "\n").write(toFile: out, atomically: true, encoding: .utf8) } catch {
                    throw GridwallError(.storage, "cannot write: \(error.localizedDescription)", at: out)
                }
            }
        }
    }

    /// "300-500" as a range of households.
    static func range(_ text: String) throws -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 0, low <= high else {
            throw GridwallError(.invalidParameter, "\"\(text)\" is not a range like 300-500", at: "--households")
        }
        return low...high
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
