// The layers of the store: their tables, columns and how feature properties map onto them.
// One name per idea: the layer name is the table name, the API name and the CLI argument.
import GridwallCore

/// A column of a layer table and the property names it is read from.
public struct LayerColumn: Sendable {
    /// A column's SQLite type.
    public enum Kind: Sendable { case text, integer, real }
    public var name: String
    public var kind: Kind
    public var required: Bool
    /// Property names accepted on import, first match wins (the column name is always accepted).
    public var aliases: [String]
    /// SQL constraint appended to the column definition.
    public var constraint: String

    init(_ name: String, _ kind: Kind, required: Bool = false, aliases: [String] = [], constraint: String = "") {
        self.name = name; self.kind = kind; self.required = required; self.aliases = aliases; self.constraint = constraint
    }

    var sqlType: String {
        switch kind { case .text: "TEXT"; case .integer: "INTEGER"; case .real: "REAL" }
    }
}

/// A layer: a GeoPackage feature table.
public struct LayerSchema: Sendable {
    public var name: String
    public var description: String
    /// The GeoPackage geometry type name (GEOMETRY admits polygons and multipolygons alike).
    public var geometryType: String
    public var columns: [LayerColumn]
    /// Whether geometries must be polygonal (areas, buildings) or points.
    public var polygonal: Bool

    public static let areas = LayerSchema(name: "areas", description: "District, streets, communities and grids", geometryType: "GEOMETRY", columns: [
        .init("id", .text, required: true),
        .init("name", .text),
        .init("level", .text, required: true, constraint: "CHECK (level IN ('district','street','community','grid'))"),
        .init("parent_id", .text, aliases: ["parent"]),
        .init("population", .integer),
        .init("households", .integer),
        .init("responsible_unit", .text),
    ], polygonal: true)

    public static let buildings = LayerSchema(name: "buildings", description: "Building footprints with heights", geometryType: "GEOMETRY", columns: [
        .init("id", .text, required: true),
        .init("name", .text),
        .init("kind", .text),
        .init("address", .text),
        .init("height", .real, aliases: ["height_m"], constraint: "CHECK (height IS NULL OR height >= 0)"),
        .init("floors", .integer, aliases: ["levels", "building:levels"]),
        .init("households", .integer),
        .init("residents", .integer),
    ], polygonal: true)

    public static let cameras = LayerSchema(name: "cameras", description: "Cameras with heading, field of view and range", geometryType: "POINT", columns: [
        .init("id", .text, required: true),
        .init("name", .text),
        .init("kind", .text),
        .init("heading", .real, constraint: "CHECK (heading IS NULL OR (heading >= 0 AND heading <= 360))"),
        .init("fov", .real, aliases: ["field_of_view"], constraint: "CHECK (fov IS NULL OR (fov > 0 AND fov <= 360))"),
        .init("range_m", .real, aliases: ["range"], constraint: "CHECK (range_m IS NULL OR range_m >= 0)"),
        .init("mount_height_m", .real, aliases: ["mount_height"]),
    ], polygonal: false)

    public static let responders = LayerSchema(name: "responders", description: "Responders and their last known positions", geometryType: "POINT", columns: [
        .init("id", .text, required: true),
        .init("name", .text),
        .init("kind", .text),
        .init("status", .text, constraint: "CHECK (status IS NULL OR status IN ('available','busy','off_duty'))"),
        .init("skills", .text),
        .init("grid_id", .text),
        .init("updated_at", .text),
    ], polygonal: false)

    public static let events = LayerSchema(name: "events", description: "Events with category, time and assigned grid", geometryType: "POINT", columns: [
        .init("id", .text, required: true),
        .init("time", .text, required: true),
        .init("category", .text, required: true),
        .init("status", .text, constraint: "CHECK (status IS NULL OR status IN ('reported','dispatched','resolved'))"),
        .init("severity", .integer),
        .init("source", .text),
        .init("grid_id", .text),
        .init("building_id", .text),
    ], polygonal: false)

    public static let all: [LayerSchema] = [areas, buildings, cameras, responders, events]

    /// The layer called `name`; an unknown name is an `unknown_layer` error listing the layers.
    public static func named(_ name: String) throws -> LayerSchema {
        guard let layer = all.first(where: { $0.name == name }) else {
            throw GridwallError(.unknownLayer, "unknown layer \"\(name)\"; layers are \(all.map(\.name).joined(separator: ", "))", at: "layer")
        }
        return layer
    }
}
