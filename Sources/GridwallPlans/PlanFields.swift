// Which features of a plan file are the plan's areas, and which fields hold their ids and
// parents. A grid layer from another system rarely has our field names or a `level`: the
// options name them, and features without a level are taken to be of the plan's level.
import GridwallCore

/// The fields a plan file names its areas by.
public struct PlanFields: Sendable {
    /// The level the plan redraws (grids by default); its parents are the level above.
    public var level: AreaLevel = .grid
    public var idField = "id"
    /// The field naming each area's parent (`parent` is accepted too when this is `parent_id`).
    public var parentField = "parent_id"
    public init() {}

    /// The level a plan's areas must stay inside, or nil for the district (it has none).
    public var parentLevel: AreaLevel? { level.parent }

    /// The plan's areas (features of the plan's level, or with no level) and the parents the
    /// file itself holds (features of the level above).
    public func split(_ features: [(place: String, geometry: Geometry, properties: [String: JSONValue])]) -> (areas: [PlanArea], parents: [PlanArea]) {
        var areas: [PlanArea] = [], parents: [PlanArea] = []
        for f in features {
            let level = f.properties["level"]?.stringValue
            let area = PlanArea(id: f.properties[idField]?.stringValue ?? "", parentID: parentID(f.properties),
                                geometry: f.geometry, place: f.place)
            if level == nil || level == self.level.rawValue {
                areas.append(area)
            } else if let parentLevel, level == parentLevel.rawValue {
                parents.append(area)
            }
        }
        return (areas, parents)
    }

    private func parentID(_ properties: [String: JSONValue]) -> String? {
        let names = parentField == "parent_id" ? ["parent_id", "parent"] : [parentField]
        for name in names { if let v = properties[name]?.stringValue { return v } }
        return nil
    }
}
