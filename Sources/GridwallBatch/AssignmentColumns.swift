// The columns `gridwall assign` adds to every row, in one place for CSV and JSON output.
import GridwallCore

/// The columns `gridwall assign` adds to every row, with their values for one assignment.
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

    /// The values as JSON members.
    public static func json(_ a: PointAssignment, engine: AssignmentEngine) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (name, v) in zip(names, values(a, engine: engine)) {
            if name == "distance_m" { out[name] = v.flatMap(Double.init).map(JSONValue.number) ?? .null }
            else { out[name] = v.map(JSONValue.string) ?? .null }
        }
        return out
    }

    /// CSV-escapes one value.
    static func csvField(_ v: String) -> [UInt8] {
        guard v.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
            return Array(v.utf8)
        }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in v.utf8 { if b == UInt8(ascii: "\"") { out.append(b) }; out.append(b) }
        out.append(UInt8(ascii: "\""))
        return out
    }
}

/// The CSV columns as bytes prepared once per engine, so that a row costs a few copies and no
/// allocation (file-to-file assignment is bounded by this, not by the index).
public struct CSVColumnWriter: Sendable {
    /// Per grid: ",grid,community,street,district".
    private let chains: [[UInt8]]
    /// Per building: ",id".
    private let buildings: [[UInt8]]
    /// Per grid: ",grid" for nearest_grid_id.
    private let gridIDs: [[UInt8]]

    /// Prepares the id columns of `engine`'s grids and buildings as CSV bytes.
    public init(engine: AssignmentEngine) {
        func field(_ v: String?) -> [UInt8] { [UInt8(ascii: ",")] + (v.map(AssignmentColumns.csvField) ?? []) }
        chains = engine.grids.map { field($0.gridID) + field($0.communityID) + field($0.streetID) + field($0.districtID) }
        buildings = engine.buildingIDs.map { field($0) }
        gridIDs = engine.grids.map { field($0.gridID) }
    }

    /// Appends ",grid_id,…,distance_m" for one assignment.
    public func append(_ a: PointAssignment, to out: inout [UInt8]) {
        if a.grid >= 0 { out.append(contentsOf: chains[Int(a.grid)]) } else { out.append(contentsOf: [44, 44, 44, 44]) }
        if a.building >= 0 { out.append(contentsOf: buildings[Int(a.building)]) } else { out.append(44) }
        out.append(44)
        out.append(contentsOf: a.placement.name.utf8)
        if a.placement == .outside && a.nearestGrid >= 0 {
            out.append(contentsOf: gridIDs[Int(a.nearestGrid)])
            out.append(44)
            Self.appendHundredths(a.distance, to: &out)
        } else {
            out.append(contentsOf: [44, 44])
        }
    }

    /// A non-negative number with two decimals, trailing zeros trimmed as `GeoJSON.formatFixed` does.
    static func appendHundredths(_ v: Double, to out: inout [UInt8]) {
        guard v.isFinite, v >= 0, v < 1e15 else { out.append(contentsOf: GeoJSON.formatFixed(v, decimals: 2).utf8); return }
        let cents = Int64((v * 100).rounded())
        out.append(contentsOf: String(cents / 100).utf8)
        let fraction = cents % 100
        if fraction != 0 {
            out.append(UInt8(ascii: "."))
            out.append(UInt8(ascii: "0") + UInt8(fraction / 10))
            if fraction % 10 != 0 { out.append(UInt8(ascii: "0") + UInt8(fraction % 10)) }
        }
    }

}
