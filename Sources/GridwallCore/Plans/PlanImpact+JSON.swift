// The impact report as JSON: what `gridwall plan impact --out` writes and `/plans/{id}/impact`
// will answer. Ids are listed in full: a planner reads who moves, not only how many.

extension PlanImpact {
    /// The report as one JSON value.
    public var json: JSONValue {
        func n(_ v: Int) -> JSONValue { .number(Double(v)) }
        func id(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let kinds = GridMove.Kind.allCases
        return .object([
            "household_range": .array([n(householdRange.lowerBound), n(householdRange.upperBound)]),
            "looked_at": .object(Dictionary(uniqueKeysWithValues: kinds.map { ($0.rawValue, n(totals[$0] ?? 0)) })),
            "moved": .object(Dictionary(uniqueKeysWithValues: kinds.map { ($0.rawValue, n(moved($0))) })),
            "grids": .array(grids.map { g in
                .object(["grid": .string(g.grid), "population": n(g.population), "households": n(g.households),
                         "buildings": n(g.buildings), "cameras": n(g.cameras), "responders": n(g.responders), "events": n(g.events)])
            }),
            "outside_household_range": .array(outsideRange.map { .string($0.grid) }),
            "moves": .array(moves.map { m in
                .object(["kind": .string(m.kind.rawValue), "from": id(m.from), "to": id(m.to), "count": n(m.count),
                         "ids": .array(m.ids.map(JSONValue.string))])
            }),
        ])
    }
}
