// Names a filter must know. A category, status, responder kind or skill that nothing has would
// answer an empty map or list, which a duty officer cannot tell from a quiet district; so an
// unknown name is a 400 naming the known ones, as POST /events and the stream already answer
// (and TileJSON answers for the tiles its URLs would ask for).
import GridwallCore
import GridwallStore

extension GridwallServices {
    /// Refuses the filter's categories and statuses that no event can have.
    func checkNames(_ filter: EventFilter) throws {
        try KnownNames.check(filter.categories, known: knownCategories, "category", plural: "categories", at: "category")
        try KnownNames.check(filter.statuses, known: EventStatus.all, "status", plural: "statuses", at: "status")
    }

    /// Refuses responder kinds that no responder has and no category calls for, and skills
    /// that no responder has.
    func checkResponderNames(kinds: Set<String>?, skills: Set<String>?) throws {
        let snapshot = responders.registry.snapshot
        let knownKinds = Set(snapshot.kinds).union(options.categories.kinds.values.joined())
        try KnownNames.check(kinds, known: knownKinds.sorted(), "kind", plural: "kinds", at: "kind")
        try KnownNames.check(skills, known: snapshot.skills.sorted(), "skills", plural: "skills", at: "skills")
    }

    /// The categories of the configuration (what POST /events takes) and of the stored events
    /// (an imported history may have others), sorted.
    var knownCategories: [String] { Set(options.categories.categories).union(heatmaps.categoryNames).sorted() }
}
