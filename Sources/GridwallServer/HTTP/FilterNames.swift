// Names a filter must know. A category, status, responder kind or skill that nothing has would
// answer an empty map or list, which a duty officer cannot tell from a quiet district; so an
// unknown name is a 400 naming the known ones, as POST /events and the stream already answer
// (and TileJSON answers for the tiles its URLs would ask for).
import GridwallCore
import GridwallStore

extension GridwallServices {
    /// Refuses the filter's categories and statuses that no event can have.
    func checkNames(_ filter: EventFilter) throws {
        try Self.check(filter.categories, known: knownCategories, "category", plural: "categories")
        try Self.check(filter.statuses, known: EventStatus.all, "status", plural: "statuses")
    }

    /// Refuses responder kinds that no responder has and no category calls for, and skills
    /// that no responder has.
    func checkResponderNames(kinds: Set<String>?, skills: Set<String>?) throws {
        let snapshot = responders.registry.snapshot
        let knownKinds = Set(snapshot.kinds).union(options.categories.kinds.values.joined())
        try Self.check(kinds, known: knownKinds.sorted(), "kind", plural: "kinds")
        try Self.check(skills, known: snapshot.skills.sorted(), "skills", plural: "skills")
    }

    /// The categories of the configuration (what POST /events takes) and of the stored events
    /// (an imported history may have others), sorted.
    var knownCategories: [String] { Set(options.categories.categories).union(heatmaps.categoryNames).sorted() }

    private static func check(_ names: Set<String>?, known: [String], _ parameter: String, plural: String) throws {
        guard let names else { return }
        let knownSet = Set(known)
        if let unknown = names.sorted().first(where: { !knownSet.contains($0) }) {
            throw GridwallError(.invalidParameter, "unknown \(parameter) \"\(unknown)\"; \(plural): \(known.joined(separator: ", "))", at: parameter)
        }
    }
}
