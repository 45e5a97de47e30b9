// A filter name nothing has (a category, status, responder kind or skill) would answer an empty
// map or list, which an operator cannot tell from a quiet district: the server and the command
// line refuse it the same way, naming the known ones.

public enum KnownNames {
    /// Throws for the first of `names` (in sorted order) that is not in `known`, listing `known`;
    /// the error's place is `place` (the parameter, or the command line's option).
    public static func check(_ names: Set<String>?, known: [String], _ parameter: String, plural: String, at place: String) throws {
        guard let names else { return }
        let knownSet = Set(known)
        if let unknown = names.sorted().first(where: { !knownSet.contains($0) }) {
            let listed = known.isEmpty ? "there are none" : known.joined(separator: ", ")
            throw GridwallError(.invalidParameter, "unknown \(parameter) \"\(unknown)\"; \(plural): \(listed)", at: place)
        }
    }
}
