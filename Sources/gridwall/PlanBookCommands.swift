// `gridwall plan submit | list | apply`: a plan kept in the store with its reports, and applied
// as a new version of the area layer (Docs/plans.md, "Apply").
import ArgumentParser
import Foundation
import GridwallCore
import GridwallPlans
import GridwallStore

struct PlanSubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Check a plan, work out its impact and keep it in the store as a draft; prints its id.",
        discussion: """
            The same checks as plan check and the same impact as plan impact, kept with the plan.
            A plan with findings (other than cut buildings) is kept too, but cannot be applied:
            correct it and submit it again.

            Example:
              gridwall plan submit redrawn.geojson --name "Qiaoxi re-cut"
              gridwall plan apply P1
            """)

    @OptionGroup var plan: PlanFileOptions
    @OptionGroup var thresholds: PlanCheckFlags
    @OptionGroup var window: PlanImpactFlags
    @Option(help: "A name for the plan.") var name = ""

    func run() async throws {
        try await Terminal.reportingErrors {
            let options = try thresholds.options()
            let (days, range) = try window.validated()
            let store = try plan.existingStore()
            let (fields, areas, parents) = try plan.read()
            let submitted = try PlanBook.submit(areas: areas, fileParents: parents, level: fields.level, name: name.isEmpty ? plan.file : name,
                                                createdBy: NSUserName(), store: store, options: options, days: days, householdRange: range)
            print(Self.text(submitted, level: fields.level), terminator: "")
        }
    }

    /// The findings, what moves, and the plan's id with what can be done with it.
    static func text(_ submitted: PlanSubmission, level: AreaLevel) -> String {
        let range = submitted.impact.householdRange
        let moved = GridMove.Kind.allCases.map { "\(submitted.impact.moved($0)) \($0.rawValue)" }.joined(separator: ", ")
        return PlanCheck.text(submitted.report, level: level)
            + "moves \(moved); \(submitted.impact.outsideRange.count) grids outside \(range.lowerBound)–\(range.upperBound) households\n"
            + (submitted.blocking == 0 ? "plan \(submitted.id) kept; apply it with: gridwall plan apply \(submitted.id)\n"
                                       : "plan \(submitted.id) kept with \(submitted.blocking) findings: it cannot be applied\n")
    }
}

struct PlanList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The plans in the store and the versions of the area layer.")

    @Option(help: "The store.") var store = "gridwall.sqlite"

    func run() async throws {
        try await Terminal.reportingErrors {
            guard FileManager.default.fileExists(atPath: store) else { throw GridwallError(.notFound, "no store here", at: store) }
            let geoStore = try GeoStore(path: store)
            let plans = try geoStore.plans()
            if plans.isEmpty { print("no plans") }
            for p in plans {
                let state = p.status == .applied ? "applied as version \(p.version ?? 0)"
                    : p.blockingFindings > 0 ? "draft, \(p.blockingFindings) findings" : "draft, ready to apply"
                print("\(p.id)\t\(p.createdAt)\t\(p.level.rawValue)\t\(state)\t\(p.name)")
            }
            let versions = try geoStore.areaVersions()
            print(versions.isEmpty ? "the area layer has one version, as loaded (no plan applied yet)" : "versions of the area layer:")
            for v in versions { print("  \(v.version)\tfrom \(v.effectiveAt)\t\(v.areaCount) areas\t\(v.planID.map { "plan \($0)" } ?? "as loaded")") }
        }
    }
}

struct PlanApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a submitted plan: its areas replace those it redraws, in one transaction, as a new version.",
        discussion: """
            A running server takes the new layer within its refresh interval (POST /plans/{id}/apply
            swaps at once). Events keep the grid they were assigned when reported; responders' home
            grids move as the impact report says (a changed grid passes to the new grid holding
            most of it). Every version is kept
            (gridwall plan list; GET /areas?version= or ?as_of=).
            """)

    @Argument(help: "The plan's id (P1, P2, …).") var id: String
    @Option(help: "The store.") var store = "gridwall.sqlite"

    func run() async throws {
        try await Terminal.reportingErrors {
            guard FileManager.default.fileExists(atPath: store) else { throw GridwallError(.notFound, "no store here", at: store) }
            let version = try PlanBook.apply(id, store: try GeoStore(path: store))
            print("plan \(id) applied: version \(version.version) of the area layer, \(version.areaCount) areas, from \(version.effectiveAt)")
        }
    }
}
