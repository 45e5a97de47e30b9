// The columns `gridwall assign` adds to every row, in one place for CSV and JSON output.
import GridwallCore

public enum AssignmentColumns {
    public static let names = ["grid_id", "community_id", "street_id", "district_id", "building_id",
                               "placement", "nearest_grid_id", "distance_m"]

    /// The values for one assignment; nil where a column is empty.
    public static func values(_ a: PointAssignment, engine: AssignmentEngine) -> [String?] {
        let chain = a.grid >= 0 ? engine.grids[Int(a.grid)] : nil
        let building = a.building >= 0 ? engine.buildingIDs[Int(a.building)] : nil
        let nearest = a.placement == .outside && a.nearestGrid >= 0 ? engine.grids[Int(a.nearestGrid)].gridID : nil
        let distance = a.placement == .outside && a.nearestGrid >= 0 ? GeoJSON.formatFixed(a.distance, decimals: 2) : nil
        return [chain?.gridID, chain?.communityID, chain?.streetID, chain?.districtID, building,
                a.placement.name, nearest, distance]
    }

    /// Appends ",v1,v2,…" (CSV-escaped) to `out`.
    public static func appendCSV(_ a: PointAssignment, engine: AssignmentEngine, to out: inout [UInt8]) {
        for v in values(a, engine: engine) {
            out.append(UInt8(ascii: ","))
            guard let v else { continue }
            if v.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
                out.append(UInt8(ascii: "\""))
                for b in v.utf8 { if b == UInt8(ascii: "\"") { out.append(b) }; out.append(b) }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: v.utf8)
            }
        }
    }

    /// The values as JSON members.
    public static func json(_ a: PointAssignment, engine: AssignmentEngine) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (name, v) in zip(names, values(a, engine: engine)) {
            if name == "distance_m" { out[name] = v.flatMap(Double.init).map(JSONValue.number) ?? .null }
            else { out[name] = v.map(JSONValue.string) ?? .null }
        }
        return out
    }
}
