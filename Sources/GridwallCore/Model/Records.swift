// The layers Gridwall keeps, as plain values (see PRODUCT.md, "Data").

/// The four area levels, from the largest down.
public enum AreaLevel: String, Sendable, CaseIterable, Codable {
    case district, street, community, grid
}

/// A district, street, community or grid.
public struct AreaRecord: Sendable, Hashable {
    public var id: String
    public var name: String
    public var level: AreaLevel
    public var parentID: String?
    public var population: Int
    public var households: Int
    public var responsibleUnit: String
    public var geometry: Geometry
    /// An area.
    public init(id: String, name: String, level: AreaLevel, parentID: String?, population: Int = 0, households: Int = 0,
                responsibleUnit: String = "", geometry: Geometry) {
        self.id = id; self.name = name; self.level = level; self.parentID = parentID
        self.population = population; self.households = households; self.responsibleUnit = responsibleUnit
        self.geometry = geometry
    }
}

/// A building footprint with what the wall extrudes and what planners count.
public struct BuildingRecord: Sendable, Hashable {
    public var id: String
    public var name: String
    public var address: String
    /// What the building is (`tower`, `residential`, `school`, …; empty when unknown).
    public var kind: String
    public var height: Double        // metres
    public var floors: Int
    public var households: Int
    public var residents: Int
    public var geometry: Geometry
    /// A building.
    public init(id: String, name: String = "", address: String = "", kind: String = "", height: Double = 0, floors: Int = 0,
                households: Int = 0, residents: Int = 0, geometry: Geometry) {
        self.id = id; self.name = name; self.address = address; self.kind = kind; self.height = height; self.floors = floors
        self.households = households; self.residents = residents; self.geometry = geometry
    }
}

/// A camera: fixed (heading and field of view) or dome (field of view 360).
public struct CameraRecord: Sendable, Hashable {
    public var id: String
    public var name: String
    public var position: Coordinate
    public var heading: Double       // degrees clockwise from north
    public var fieldOfView: Double   // degrees; 360 for domes
    public var range: Double         // metres
    public var mountHeight: Double   // metres
    /// A camera.
    public init(id: String, name: String = "", position: Coordinate, heading: Double = 0, fieldOfView: Double = 360,
                range: Double = 50, mountHeight: Double = 4) {
        self.id = id; self.name = name; self.position = position; self.heading = heading
        self.fieldOfView = fieldOfView; self.range = range; self.mountHeight = mountHeight
    }
}
