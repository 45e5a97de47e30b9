// A plan's way through the store, the same from the command line and over HTTP: checked against
// the layer as it is, its impact worked out, kept as a draft with both reports; later applied as
// a new version of the area layer (PlanStore), with the new grids' populations summed from the
// buildings and the responders of replaced grids handed to their successors.
import Foundation
import GridwallCore
import GridwallStore

/// A plan as submitted: its id in the store and its two reports.
public struct PlanSubmission: Sendable {
    public var id: String
    public var report: PlanReport
    public var impact: PlanImpact
    /// Findings that stop it from being applied: everything but cut buildings.
    public var blocking: Int
}

public enum PlanBook {
    /// The findings a plan can be applied with: a building the new boundaries cut is news, not an error.
    public static func blocking(_ report: PlanReport) -> Int { report.findings.filter { $0.kind != .cutBuilding }.count }

    /// Checks a plan against the store's layer: the parents it names (from the file's own,
    /// `fileParents`, when it has any), the buildings and the current areas of the plan's level.
    public static func check(areas: [PlanArea], fileParents: [PlanArea], level: AreaLevel, store: GeoStore?,
                             options: PlanCheckOptions = PlanCheckOptions()) throws -> PlanReport {
        var parents = fileParents
        var buildings: [(id: String, geometry: Geometry)] = []
        var current: [PlanArea] = []
        var otherLevels: [String: AreaLevel] = [:]
        if let store {
            let stored = try store.areas()
            for a in stored where a.level != level { otherLevels[a.id] = a.level }
            if parents.isEmpty, let parentLevel = level.parent {
                parents = stored.filter { $0.level == parentLevel }.map(PlanArea.init(stored:))
            }
            current = stored.filter { $0.level == level }.map(PlanArea.init(stored:))
            buildings = try store.buildings().map { ($0.id, $0.geometry) }
        }
        // A plan for one community is held against that community only: the others keep their
        // grids (PlanLayer), so they have no gaps to report.
        let named = Set(areas.compactMap(\.parentID))
        if !named.isEmpty { parents = parents.filter { named.contains($0.id) } }
        var report = try PlanValidator.check(areas: areas, parents: parents, buildings: buildings, current: current, options: options)
        // An id is one area's in the whole layer: a grid may not take a community's.
        let taken = areas.compactMap { a in otherLevels[a.id].map { level in
            PlanFinding(kind: .duplicateID, areas: [a.id], message: "\(a.place) has the id \"\(a.id)\" of the \(level.rawValue) \(a.id) in the store")
        } }
        report.findings = taken + report.findings
        return report
    }

    /// The impact of a plan on what the store holds; events of the last `days` days up to the newest.
    public static func impact(areas: [PlanArea], level: AreaLevel, store: GeoStore, days: Int = 30,
                              householdRange: ClosedRange<Int> = 300...500) throws -> (impact: PlanImpact, seconds: Double) {
        let current = try store.areas().filter { $0.level == level }.map(PlanArea.init(stored:))
        let events = try store.analysisEvents(lastDays: days).map { CountedThing(id: $0.id, point: $0.position, grid: $0.gridID) }
        return try PlanImpactBuilder.impact(plan: areas, current: current, buildings: try store.buildings(), cameras: try store.cameras(),
                                            responders: try store.responderHomeGrids(), events: events, householdRange: householdRange)
    }

    /// Checks the plan, works out its impact and keeps it as a draft.
    public static func submit(areas: [PlanArea], fileParents: [PlanArea], level: AreaLevel, name: String, createdBy: String,
                              store: GeoStore, options: PlanCheckOptions = PlanCheckOptions(), days: Int = 30,
                              householdRange: ClosedRange<Int> = 300...500) throws -> PlanSubmission {
        let report = try check(areas: areas, fileParents: fileParents, level: level, store: store, options: options)
        let (impact, _) = try impact(areas: areas, level: level, store: store, days: days, householdRange: householdRange)
        var text = ""
        JSONValue.object(["findings": JSONValue.parse(geoJSON: report.geoJSON()), "impact": impact.json]).write(into: &text)
        let features = areas.map { a in
            Feature(geometry: a.geometry, properties: ["id": .string(a.id), "level": .string(level.rawValue),
                                                       "parent_id": a.parentID.map(JSONValue.string) ?? .null])
        }
        let id = try store.savePlan(name: name, level: level, createdBy: createdBy, blockingFindings: blocking(report),
                                    report: text, areas: GeoJSON.featureCollection(features))
        return PlanSubmission(id: id, report: report, impact: impact, blocking: blocking(report))
    }

    /// "300-500" as a range of households; `place` names the option or parameter in the error.
    public static func householdRange(_ text: String, at place: String) throws -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 0, low <= high else {
            throw GridwallError(.invalidParameter, "\"\(text)\" is not a range like 300-500", at: place)
        }
        return low...high
    }

    /// Applies a submitted plan: refuses one with blocking findings or already applied.
    public static func apply(_ id: String, store: GeoStore) throws -> AreaVersion {
        guard let plan = try store.plan(id) else { throw GridwallError(.notFound, "no plan \"\(id)\"", at: "plan") }
        guard plan.status == .draft else { throw GridwallError(.conflict, "plan \(id) is already applied (version \(plan.version ?? 0))", at: "plan") }
        guard plan.blockingFindings == 0 else {
            throw GridwallError(.conflict, "plan \(id) has \(plan.blockingFindings) findings; correct the plan and submit it again", at: "plan")
        }
        let areas = try GeoJSON.features(from: try JSONValue.parse(Data(plan.areas.utf8), what: "plan \(id)")).map {
            PlanArea(id: $0.properties["id"]?.stringValue ?? "", parentID: $0.properties["parent_id"]?.stringValue, geometry: $0.geometry, place: "plan \(id)")
        }
        let current = try store.areas().filter { $0.level == plan.level }.map(PlanArea.init(stored:))
        let layer = PlanLayer.merged(plan: areas, current: current)
        let kept = Set(layer.dropLast(areas.count).map(\.id))
        let removing = current.map(\.id).filter { !kept.contains($0) }

        // The new areas' populations and households, and the responders' new home grids, are the
        // impact report's own figures: applying does what the report said it would.
        let (impact, _) = try PlanImpactBuilder.impact(plan: areas, current: current, buildings: try store.buildings(), cameras: [],
                                                       responders: try store.responderHomeGrids(), events: [])
        let figures = Dictionary(impact.grids.map { ($0.grid, $0) }, uniquingKeysWith: { first, _ in first })
        let adding = areas.map { a in
            AreaRecord(id: a.id, name: a.id, level: plan.level, parentID: a.parentID, population: figures[a.id]?.population ?? 0,
                       households: figures[a.id]?.households ?? 0, geometry: a.geometry)
        }
        var homes: [String: String] = [:]
        for move in impact.moves where move.kind == .responders {
            if let to = move.to { for responder in move.ids { homes[responder] = to } }
        }
        return try store.applyPlan(id, removing: removing, adding: adding, homes: homes)
    }
}

extension PlanArea {
    /// A stored area, named by where it came from.
    init(stored a: AreaRecord) {
        self.init(id: a.id, parentID: a.parentID, geometry: a.geometry, place: "\(a.level.rawValue) \(a.id) in the store")
    }
}

extension AreaLevel {
    /// The level above (a grid's community), nil for the district.
    public var parent: AreaLevel? {
        switch self {
        case .district: nil
        case .street: .district
        case .community: .street
        case .grid: .community
        }
    }
}

extension JSONValue {
    /// Text this program wrote itself as JSON (a report), parsed back into a value.
    static func parse(geoJSON text: String) -> JSONValue {
        (try? JSONValue.parse(Data(text.utf8))) ?? .null
    }
}
