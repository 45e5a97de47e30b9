// The tile sources of Gridwall's layers: which features and attributes each carries, so the
// wall draws them without another request (heights for extrusion, ids and parents for
// clicks, status for colours).

extension TileSource {
    /// The source names and what each holds.
    public static let areaSources: [(name: String, level: AreaLevel, description: String)] = [
        ("district", .district, "The district outline"),
        ("streets", .street, "Streets (sub-district offices)"),
        ("communities", .community, "Communities"),
        ("grids", .grid, "Management grids"),
    ]

    /// Areas of one level: id, name, level, parent, population, households, responsible unit.
    public static func areas(_ records: [AreaRecord], level: AreaLevel, name: String, description: String) -> TileSource {
        var features: [TileFeature] = []
        for (i, a) in records.enumerated() where a.level == level {
            features.append(TileFeature(id: UInt64(i + 1), properties: [
                ("id", .string(a.id)), ("name", .string(a.name)), ("level", .string(a.level.rawValue)),
                ("parent_id", a.parentID.map(MVTValue.string)), ("population", .int(Int64(a.population))),
                ("households", .int(Int64(a.households))), ("responsible_unit", a.responsibleUnit.isEmpty ? nil : .string(a.responsibleUnit)),
            ], shape: WorldShape(a.geometry)))
        }
        return TileSource(name: name, description: description, minZoom: 0, maxZoom: 18, features: features)
    }

    /// Buildings with what a fill-extrusion needs: height (m; from floors × 3 m when only floors
    /// are known), floors, kind, and the grid each lies in (`gridOf` gives it from the footprint).
    public static func buildings(_ records: [BuildingRecord], gridOf: (BuildingRecord) -> String?) -> TileSource {
        let features = records.enumerated().map { i, b in
            TileFeature(id: UInt64(i + 1), properties: [
                ("id", .string(b.id)), ("name", b.name.isEmpty ? nil : .string(b.name)), ("address", b.address.isEmpty ? nil : .string(b.address)),
                ("kind", b.kind.isEmpty ? nil : .string(b.kind)),
                ("height", .double(b.height > 0 ? b.height : Double(max(1, b.floors)) * 3)), ("floors", .int(Int64(b.floors))),
                ("households", .int(Int64(b.households))), ("residents", .int(Int64(b.residents))), ("grid_id", gridOf(b).map(MVTValue.string)),
            ], shape: WorldShape(b.geometry))
        }
        return TileSource(name: "buildings", description: "Building footprints with heights", minZoom: 12, maxZoom: 18, features: features)
    }

    /// Cameras: heading, field of view, range and mount height.
    public static func cameras(_ records: [CameraRecord]) -> TileSource {
        let features = records.enumerated().map { i, c in
            TileFeature(id: UInt64(i + 1), properties: [
                ("id", .string(c.id)), ("name", c.name.isEmpty ? nil : .string(c.name)), ("heading", .double(c.heading)),
                ("fov", .double(c.fieldOfView)), ("range_m", .double(c.range)), ("mount_height_m", .double(c.mountHeight)),
            ], shape: .points([TileID.world(c.position)]))
        }
        return TileSource(name: "cameras", description: "Cameras", minZoom: 12, maxZoom: 18, features: features)
    }

    /// Responders as they stand: kind, status, skills, when their position was reported.
    public static func responders(_ snapshot: ResponderIndex) -> TileSource {
        let features = (0..<snapshot.count).map { i -> TileFeature in
            let r = snapshot.responder(i)
            return TileFeature(id: UInt64(i + 1), properties: [
                ("id", .string(r.id)), ("name", r.name.isEmpty ? nil : .string(r.name)), ("kind", .string(r.kind)),
                ("status", .string(r.status.rawValue)), ("skills", r.skills.isEmpty ? nil : .string(r.skills.sorted().joined(separator: ","))),
                ("updated_at", .string(ISOTime.format(Int64(r.updatedAt.rounded(.down))))),
            ], shape: .points([TileID.world(r.position)]))
        }
        return TileSource(name: "responders", description: "Responders, live", minZoom: 0, maxZoom: 18, features: features)
    }
}
