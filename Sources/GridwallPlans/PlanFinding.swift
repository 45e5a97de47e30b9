// What a plan check reports: one finding per problem, with where it is (WGS84 geometry), how
// big it is (m² for areas, m for edges) and the areas it concerns; and the report as GeoJSON.
import GridwallCore

/// One problem a plan check found.
public struct PlanFinding: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case emptyID = "empty-id"
        case duplicateID = "duplicate-id"
        case invalidGeometry = "invalid-geometry"
        case unknownParent = "unknown-parent"
        case overlap
        case gap
        case outsideParent = "outside-parent"
        case sliver
        case misaligned
        case cutBuilding = "cut-building"

        public static func < (l: Kind, r: Kind) -> Bool {
            allCases.firstIndex(of: l)! < allCases.firstIndex(of: r)!
        }

        /// What `size` measures.
        public var unit: String {
            switch self {
            case .misaligned: "m"
            case .emptyID, .duplicateID, .unknownParent: ""
            default: "m²"
            }
        }
    }

    public var kind: Kind
    /// The plan's areas concerned (their ids), in the plan's order.
    public var areas: [String]
    /// The parent concerned (gaps, outside-parent), if any.
    public var parent: String?
    /// The building concerned (cut-building).
    public var building: String?
    /// Area in m², or length in m for misaligned edges (see `kind.unit`); 0 where no size applies.
    public var size: Double
    /// A building's area in each area it falls in, m² (cut-building).
    public var shares: [String: Double] = [:]
    /// Where: the overlap, gap, sliver or outside part; the misaligned edges; the place GEOS
    /// named for an invalid geometry; the cut building.
    public var geometry: Geometry?
    /// One line a person reads.
    public var message: String

    public init(kind: Kind, areas: [String], parent: String? = nil, building: String? = nil, size: Double = 0,
                shares: [String: Double] = [:], geometry: Geometry? = nil, message: String) {
        self.kind = kind; self.areas = areas; self.parent = parent; self.building = building
        self.size = size; self.shares = shares; self.geometry = geometry; self.message = message
    }
}

/// Everything a plan check found, and what it looked at.
public struct PlanReport: Sendable {
    public var findings: [PlanFinding]
    /// Areas checked, parents they were held against, buildings looked at.
    public var areaCount: Int
    public var parentCount: Int
    public var buildingCount: Int
    /// Seconds the check took (reading excluded).
    public var seconds: Double

    /// Findings per kind, in the order of `PlanFinding.Kind`.
    public var counts: [(kind: PlanFinding.Kind, count: Int)] {
        PlanFinding.Kind.allCases.compactMap { k in
            let n = findings.filter { $0.kind == k }.count
            return n > 0 ? (k, n) : nil
        }
    }

    /// The findings as a GeoJSON FeatureCollection (findings without a place have a null geometry).
    public func geoJSON() -> String {
        var s = "{\"type\":\"FeatureCollection\",\"features\":["
        for (n, f) in findings.enumerated() {
            if n > 0 { s += ",\n" }
            var properties: [String: JSONValue] = [
                "kind": .string(f.kind.rawValue),
                "areas": .array(f.areas.map { .string($0) }),
                "size": .number((f.size * 100).rounded() / 100),
                "unit": .string(f.kind.unit),
                "message": .string(f.message),
            ]
            if let p = f.parent { properties["parent"] = .string(p) }
            if let b = f.building { properties["building"] = .string(b) }
            if !f.shares.isEmpty { properties["shares"] = .object(f.shares.mapValues { .number(($0 * 100).rounded() / 100) }) }
            if let g = f.geometry {
                GeoJSON.write(Feature(geometry: g, properties: properties), decimals: 8, into: &s)
            } else {
                s += "{\"type\":\"Feature\",\"geometry\":null,\"properties\":"
                JSONValue.object(properties).write(into: &s)
                s += "}"
            }
        }
        return s + "]}\n"
    }
}
