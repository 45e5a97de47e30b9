// GET /summary: the figures a duty officer reads beside the map, in one answer: events in the
// window by category, status and source, the change against the window before, the top grids,
// how many events are still open and how many responders are free.
import GridwallAnalysis
import GridwallCore
import Hummingbird

enum SummaryRoutes {
    /// The heatmap parameters that make sense for a summary (a window and event filters).
    static let parameterNames = ["from", "to", "category", "status", "source", "bbox", "top"]
    /// How many grids `top_grids` lists by default, and at most.
    static let defaultTop = 10, maxTop = 100

    static func add(to routes: APIRoutes, _ s: GridwallServices) {
        let parameters = HeatmapRoutes.parameters.filter { parameterNames.contains($0.name) }
            + [.query("top", "integer", "How many grids top_grids lists (default \(defaultTop), at most \(maxTop))")]
        routes.get("/summary", tag: "heatmaps", "Events in the window by category, status and source, the change against the window before, the top grids, open events and free responders",
                   parameters: parameters) { request, _ in
            let q = Query(request)
            let given = q.parameters.map { String($0.key) }
            for name in given where !parameterNames.contains(name) {
                throw GridwallError(.invalidParameter, "unknown parameter; known: \(parameterNames.joined(separator: ", "))", at: name)
            }
            let top = try q.int("top", range: 1...maxTop) ?? defaultTop
            let filter = try HeatmapRequest(given: given.filter { $0 != "top" }, q.string).filter
            try s.checkNames(filter)
            return json(summary(s, filter: filter, top: top))
        }
    }

    static func summary(_ s: GridwallServices, filter: EventFilter, top: Int) -> JSONValue {
        let (now, previous, open, topGrids, latest) = s.heatmaps.reading { analysis in
            let now = analysis.events.tally(filter)
            var previous: Int?
            if let from = filter.from, let to = filter.to, to > from {
                previous = analysis.events.tally(filter.window(from: from - (to - from), to: from)).total
            }
            // Open: every event not yet resolved, whatever the window (what is still on the desk).
            var everything = EventFilter()
            everything.categories = filter.categories
            let statuses = analysis.events.tally(everything).byStatus
            let open = statuses.filter { $0.key != "resolved" }.values.reduce(0, +)

            let grids = analysis.areaHeatmap(level: .grid, filter: filter).areas
                .filter { $0.count > 0 }
                .sorted { ($0.count, analysis.areas.records[$1.record].id) > ($1.count, analysis.areas.records[$0.record].id) }
                .prefix(top)
            let topGrids: [JSONValue] = grids.map { g in
                let r = analysis.areas.records[g.record]
                var o: [String: JSONValue] = ["id": .string(r.id), "name": .string(r.name), "unit": .string(r.responsibleUnit),
                                              "count": .number(Double(g.count)), "class": .string(g.riskClass.name), "colour": .string(g.riskClass.colour)]
                // Where to fly to on the wall: the middle of the grid's box.
                if let centre = r.geometry.boundingBox?.center { o["lon"] = .number(centre.x); o["lat"] = .number(centre.y) }
                if let p = g.previous { o["previous"] = .number(Double(p)); o["change"] = .number(Double(g.count - p)) }
                return .object(o)
            }
            return (now, previous, open, topGrids, analysis.events.times.last)
        }
        var responders: [String: Int] = Dictionary(uniqueKeysWithValues: ResponderStatus.allCases.map { ($0.rawValue, 0) })
        for r in s.responders.registry.snapshot.responders { responders[r.status.rawValue, default: 0] += 1 }

        func counts(_ d: [String: Int]) -> JSONValue { .object(d.mapValues { .number(Double($0)) }) }
        var o: [String: JSONValue] = [
            "events": .number(Double(now.total)),
            "by_category": counts(now.byCategory), "by_status": counts(now.byStatus), "by_source": counts(now.bySource),
            "open": .number(Double(open)), "top_grids": .array(topGrids), "responders": counts(responders),
        ]
        if let latest { o["latest"] = .string(ISOTime.format(latest)) }
        if let from = filter.from { o["from"] = .string(ISOTime.format(from)) }
        if let to = filter.to { o["to"] = .string(ISOTime.format(to)) }
        if let previous {
            o["previous"] = .number(Double(previous))
            o["change"] = .number(Double(now.total - previous))
            o["change_pct"] = previous > 0 ? .number((Double(now.total - previous) / Double(previous) * 1000).rounded() / 10) : .null
        }
        return .object(o)
    }
}
