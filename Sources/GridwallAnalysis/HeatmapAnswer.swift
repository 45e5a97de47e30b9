// What a heatmap request returns: GeoJSON features (areas, bins, hot spots) with a summary, or
// a PNG with its corners; and the same as CSV rows for files.
import GridwallCore
import GridwallPROJ

/// What a heatmap request answers: features with a summary (GeoJSON), or an image with its summary.
public enum HeatmapAnswer: Sendable {
    case features([Feature], summary: [String: JSONValue])
    case image(png: [UInt8], summary: [String: JSONValue])

    /// A GeoJSON FeatureCollection with the summary as a foreign member "summary" (RFC 7946 §6.1).
    public var geoJSON: String {
        var s = "{\"type\":\"FeatureCollection\",\"summary\":"
        switch self {
        case .features(let features, let summary):
            JSONValue.object(summary).write(into: &s)
            s += ",\"features\":[\n"
            for (i, f) in features.enumerated() {
                if i > 0 { s += ",\n" }
                GeoJSON.write(f, decimals: 7, into: &s)
            }
            s += "\n]}\n"
        case .image(_, let summary):
            JSONValue.object(summary).write(into: &s)
            s += ",\"features\":[]}\n"
        }
        return s
    }

    /// A CSV field, quoted when it holds a comma or a quote.
    static func csvField(_ t: String) -> String {
        t.contains(",") || t.contains("\"") ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
    }

    /// One row per feature, its properties as columns (sorted by name; geometry left out).
    public var csv: String {
        guard case .features(let features, _) = self, let first = features.first else { return "" }
        let columns = first.properties.keys.sorted()
        var s = columns.joined(separator: ",") + "\n"
        for f in features {
            s += columns.map { key -> String in
                switch f.properties[key] ?? .null {
                case .null: return ""
                case .string(let t): return Self.csvField(t)
                case .array, .object: return Self.csvField(f.properties[key]!.serialized)
                case let v: return v.serialized
                }
            }.joined(separator: ",") + "\n"
        }
        return s
    }
}

extension EventAnalysis {
    /// What every answer's summary starts with.
    static func summary(_ q: HeatmapRequest, crs: Int) -> [String: JSONValue] {
        var summary: [String: JSONValue] = ["by": .string(q.kind.rawValue), "crs": .string("EPSG:\(crs)")]
        if let from = q.filter.from { summary["from"] = .string(ISOTime.format(from)) }
        if let to = q.filter.to { summary["to"] = .string(ISOTime.format(to)) }
        return summary
    }

    /// What a kernel density request (`by=kde`) reads of the analysis: the positions and the
    /// extent, checked against the limits. The answer is then made from it alone
    /// (`densityAnswer`), so a server makes it without holding the analysis.
    public func densityInput(for q: HeatmapRequest) throws -> DensityInput {
        // Isobands trace and merge polygons over every cell: a smaller raster budget.
        try densityInput(filter: q.filter, bandwidth: q.bandwidth, cellSize: q.cellSize,
                         maximumCells: q.rasterFormat == .geojson ? HeatmapLimits.isobandCells : HeatmapLimits.rasterCells)
    }

    /// The answer to a kernel density request from what `densityInput(for:)` read, in `crs`.
    public static func densityAnswer(_ q: HeatmapRequest, input: DensityInput, crs: Int) throws -> HeatmapAnswer {
        var summary = summary(q, crs: crs)
        let raster = input.raster()
        let corners = try Self.corners(of: raster.extent, crs: crs)
        summary["bandwidth_m"] = .number(q.bandwidth); summary["cell_m"] = .number(q.cellSize)
        summary["columns"] = .number(Double(raster.columns)); summary["rows"] = .number(Double(raster.rows))
        summary["max_per_km2"] = .number(rounded(raster.maximum, 3))
        summary["scale_per_km2"] = .number(rounded(raster.displayScale, 3))
        summary["corners"] = .array(corners.map { .array([.number(rounded($0.x, 7)), .number(rounded($0.y, 7))]) })
        if q.rasterFormat == .geojson {
            let bands = try Self.isobands(raster, levels: q.levels, crs: crs)
            summary["levels"] = .array(bands.map { .number(rounded($0.low, 3)) })
            return .features(bands.map { b in
                Feature(geometry: b.geometry, properties: [
                    "min_per_km2": .number(rounded(b.low, 3)), "max_per_km2": b.high.isFinite ? .number(rounded(b.high, 3)) : .null,
                    "class": .string(b.riskClass.name), "colour": .string(b.riskClass.colour),
                ])
            }, summary: summary)
        }
        return .image(png: try Self.png(raster), summary: summary)
    }
}

extension EventAnalysis {
    /// Answers a parsed request.
    public func heatmap(_ q: HeatmapRequest) throws -> HeatmapAnswer {
        var summary = Self.summary(q, crs: crs)
        switch q.kind {
        case .grid:
            let (rows, breaks) = areaHeatmap(level: q.level, filter: q.filter, method: q.method, measure: q.measure)
            summary["level"] = .string(q.level.rawValue)
            summary["measure"] = .string(q.measure.rawValue)
            summary["breaks"] = .array(breaks.map(JSONValue.number))
            summary["events"] = .number(Double(rows.map(\.count).reduce(0, +)))
            return .features(rows.map { h in
                let a = areas.records[h.record]
                return Feature(geometry: a.geometry, properties: [
                    "id": .string(a.id), "name": .string(a.name), "level": .string(a.level.rawValue), "count": .number(Double(h.count)),
                    "previous": h.previous.map { .number(Double($0)) } ?? .null, "change": h.change.map { .number(Double($0)) } ?? .null,
                    "change_pct": h.changePercent.map { .number(rounded($0, 2)) } ?? .null,
                    "area_km2": .number(rounded(h.squareKilometres, 4)), "per_km2": .number(rounded(h.perSquareKilometre, 3)),
                    "population": .number(Double(h.population)), "per_1000": h.perThousandResidents.map { .number(rounded($0, 3)) } ?? .null,
                    "class": .string(h.riskClass.name), "colour": .string(h.riskClass.colour),
                ])
            }, summary: summary)
        case .hex, .square:
            let grid = BinGrid(q.kind == .hex ? .hex : .square, size: q.size ?? (q.kind == .hex ? 250 : 500))
            let cells = try q.crs.map { try bins(grid, filter: q.filter, crs: $0) } ?? bins(grid, filter: q.filter)
            try HeatmapLimits.check(Double(cells.count), atMost: Double(HeatmapLimits.bins), "the bins answered", change: "size_m",
                                    hint: "use larger bins, a shorter window or a bbox")
            let outlines = try wgs84Outlines(cells.map(\.key), grid: grid, crs: q.crs ?? crs)
            summary["size_m"] = .number(grid.size)
            summary["bins"] = .number(Double(cells.count))
            if let c = q.crs { summary["crs"] = .string("EPSG:\(c)") }
            return .features(zip(cells, outlines).map { c, ring in
                Feature(geometry: .polygon(Polygon(exterior: ring)), properties: [
                    "id": .string(grid.id(c.key)), "count": .number(Double(c.count)),
                    "per_km2": .number(rounded(Double(c.count) / grid.cellArea * 1e6, 3)),
                ])
            }, summary: summary)
        case .kde:
            return try Self.densityAnswer(q, input: densityInput(for: q), crs: crs)
        case .gistar:
            let (units, grid) = hotSpotUnits(q)
            let spots = try hotSpots(units, weights: q.weights, transform: q.transform, falseDiscoveryRate: q.falseDiscoveryRate, filter: q.filter)
            summary["units"] = .string(q.units.rawValue)
            summary["features"] = .number(Double(spots.count))
            summary["transform"] = .string(q.transform.rawValue)
            summary["fdr"] = .bool(q.falseDiscoveryRate)
            let outlines: [[Coordinate]]
            if let grid { outlines = try wgs84Outlines(spots.map { $0.bin! }, grid: grid, crs: q.crs ?? crs) } else { outlines = [] }
            return .features(spots.enumerated().map { i, s in
                var properties: [String: JSONValue] = [
                    "count": .number(Double(s.count)), "z": .number(s.result.z.isFinite ? s.result.z : 0),
                    "p": .number(s.result.p.isFinite ? s.result.p : 1), "class": .string(s.result.classification.rawValue),
                ]
                if let r = s.record {
                    properties["id"] = .string(areas.records[r].id); properties["name"] = .string(areas.records[r].name)
                    return Feature(geometry: areas.records[r].geometry, properties: properties)
                }
                properties["id"] = .string(grid!.id(s.bin!))
                return Feature(geometry: .polygon(Polygon(exterior: outlines[i])), properties: properties)
            }, summary: summary)
        case .emerging:
            return try emergingAnswer(q, summary: summary)
        }
    }

    /// The units of a hot-spot request: grids, or bins (with their grid).
    func hotSpotUnits(_ q: HeatmapRequest) -> (HotSpotUnits, BinGrid?) {
        guard q.units != .grid else { return (.grids, nil) }
        let grid = BinGrid(q.units == .hex ? .hex : .square, size: q.size ?? 500)
        return (.bins(grid, includeEmpty: q.includeEmpty, crs: q.crs), grid)
    }

    /// by=emerging: one feature per location with its pattern, its counts and z-scores per step
    /// and its trend; the summary counts the patterns.
    func emergingAnswer(_ q: HeatmapRequest, summary given: [String: JSONValue]) throws -> HeatmapAnswer {
        let (units, grid) = hotSpotUnits(q)
        // The window: whole steps up to the one holding `to` − 1 (default: the newest event),
        // from the one holding `from`, or `steps` steps back (default 12).
        let end = q.filter.to ?? ((events.times.last ?? 0) + 1)
        let start = q.filter.from ?? (q.step.start(of: end - 1) - Int64((q.steps ?? 12) - 1) * q.step.seconds)
        let cube = try emergingHotSpots(units, weights: q.weights, transform: q.transform, falseDiscoveryRate: q.falseDiscoveryRate,
                                        step: q.step, from: start, to: end, lags: q.lags, filter: q.filter)
        var summary = given
        summary["from"] = .string(ISOTime.format(cube.from)); summary["to"] = .string(ISOTime.format(cube.to))
        summary["units"] = .string(q.units.rawValue)
        summary["step"] = .string(cube.step.rawValue); summary["steps"] = .number(Double(cube.steps)); summary["lags"] = .number(Double(cube.lags))
        summary["transform"] = .string(q.transform.rawValue); summary["fdr"] = .bool(q.falseDiscoveryRate)
        summary["features"] = .number(Double(cube.locationCount))
        summary["events"] = .number(Double(cube.counts.reduce(0, +)))
        var tally: [String: Double] = [:]
        for l in cube.locations { tally[l.pattern.rawValue, default: 0] += 1 }
        summary["patterns"] = .object(tally.mapValues(JSONValue.number))
        let outlines: [[Coordinate]]
        if let grid, let bins = cube.bins { outlines = try wgs84Outlines(bins, grid: grid, crs: q.crs ?? crs) } else { outlines = [] }
        return .features(cube.locations.enumerated().map { i, l in
            let counts = cube.counts(of: i)
            var properties: [String: JSONValue] = [
                "pattern": .string(l.pattern.rawValue), "count": .number(Double(counts.reduce(0, +))),
                "counts": .array(counts.map { .number(Double($0)) }),
                "z": .array(l.steps.map { .number($0.z.isFinite ? rounded($0.z, 4) : 0) }),
                "hot_steps": .number(Double(l.steps.filter { $0.z > 0 && $0.classification != .notSignificant }.count)),
                "cold_steps": .number(Double(l.steps.filter { $0.z < 0 && $0.classification != .notSignificant }.count)),
                "trend_z": .number(rounded(l.trend.z, 4)), "trend_p": .number(rounded(l.trend.p, 6)), "tau": .number(rounded(l.trend.tau, 4)),
            ]
            if let records = cube.records {
                let a = areas.records[records[i]]
                properties["id"] = .string(a.id); properties["name"] = .string(a.name)
                return Feature(geometry: a.geometry, properties: properties)
            }
            properties["id"] = .string(grid!.id(cube.bins![i]))
            return Feature(geometry: .polygon(Polygon(exterior: outlines[i])), properties: properties)
        }, summary: summary)
    }

    /// Bin outlines in WGS84 (one PROJ call for all corners).
    /// The outlines of bins in WGS84 (rings closed), one PROJ batch.
    public func wgs84Outlines(_ keys: [BinKey], grid: BinGrid, crs: Int) throws -> [[Coordinate]] {
        let rings = keys.map(grid.outline)
        var flat = rings.flatMap { $0 }
        try ProjTransformer.borrowing(fromEPSG: 4326, toEPSG: crs) { try $0.inverse(&flat) }
        var out: [[Coordinate]] = [], at = 0
        for r in rings { out.append(Array(flat[at..<(at + r.count)])); at += r.count }
        return out
    }
}

func rounded(_ v: Double, _ decimals: Int) -> Double {
    let p = [1.0, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000][min(7, max(0, decimals))]
    return (v * p).rounded() / p
}
