// The layer a plan would make: a plan may redraw the whole district or only one community or
// street. The plan's areas replace every current area of the same level whose parent the plan
// names, and every current area whose id it reuses; the rest of the layer stays as it is. A plan
// whose areas name no parent at all replaces the whole layer.
import GridwallCore

public enum PlanLayer {
    /// The current areas the plan leaves in place, followed by the plan's areas.
    public static func merged(plan: [PlanArea], current: [PlanArea]) -> [PlanArea] {
        let parents = Set(plan.compactMap { $0.parentID.flatMap { $0.isEmpty ? nil : $0 } })
        guard !parents.isEmpty else { return plan }
        let ids = Set(plan.map(\.id))
        let kept = current.filter { a in !ids.contains(a.id) && !(a.parentID.map(parents.contains) ?? false) }
        return kept + plan
    }
}
