// Responders as the live index sees them: values, with kinds, statuses and skills as small
// integers and bit sets so that filters cost a comparison, not a string match.

/// A responder's state (PRODUCT.md: available, busy, off duty).
public enum ResponderStatus: String, Sendable, CaseIterable, Codable {
    case available, busy, offDuty = "off_duty"

    /// A small code for flat columns and bit sets (no allocation, unlike `allCases`).
    var code: UInt8 {
        switch self { case .available: 0; case .busy: 1; case .offDuty: 2 }
    }

    init(code: UInt8) {
        switch code { case 0: self = .available; case 1: self = .busy; default: self = .offDuty }
    }
}

/// One responder: where, what and since when.
public struct Responder: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: String
    public var status: ResponderStatus
    public var skills: Set<String>
    public var position: Coordinate
    /// Unix seconds of the last position update.
    public var updatedAt: Double

    /// A responder.
    public init(id: String, name: String = "", kind: String, status: ResponderStatus = .available,
                skills: Set<String> = [], position: Coordinate, updatedAt: Double) {
        self.id = id; self.name = name; self.kind = kind; self.status = status
        self.skills = skills; self.position = position; self.updatedAt = updatedAt
    }
}

/// What a nearest-responder query asks for; nil means "any".
public struct ResponderFilter: Sendable, Hashable {
    public var kinds: Set<String>?
    public var statuses: Set<ResponderStatus>? = [.available]
    /// Every one of these skills is required.
    public var skills: Set<String> = []
    /// Positions older than this many seconds (at `now`) are ignored.
    public var maxAge: Double?
    /// Responders farther than this many metres are ignored.
    public var maxDistance: Double?
    /// Available responders of any kind, skill, age and distance.
    public init() {}

    /// The same test the index applies, spelled out plainly (tests use it as the reference).
    public func admits(_ r: Responder, now: Double) -> Bool {
        if let kinds, !kinds.contains(r.kind) { return false }
        if let statuses, !statuses.contains(r.status) { return false }
        if !skills.isSubset(of: r.skills) { return false }
        if let maxAge, now - r.updatedAt > maxAge { return false }
        return true
    }
}
