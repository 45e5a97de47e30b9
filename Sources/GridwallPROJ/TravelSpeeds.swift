// Arrival estimates need a speed per responder kind; districts differ (a grid worker on an
// e-bike in one, on foot in another), so the defaults can be overridden from the command line.
import GridwallCore

/// Straight-line travel speeds per responder kind, in metres per second.
public struct TravelSpeeds: Sendable, Hashable {
    public var byKind: [String: Double]
    /// The speed of kinds not listed.
    public var fallback: Double

    /// Urban averages: on foot or e-bike for grid workers and volunteers, by car for the rest.
    public static let urban = TravelSpeeds(byKind: ["grid_worker": 4.0, "volunteer": 1.4, "police": 8.0, "fire": 9.0,
                                                    "medical": 9.0, "enforcement": 6.0], fallback: 5.0)

    /// Speeds in m/s per responder kind, and for every other kind.
    public init(byKind: [String: Double], fallback: Double) { self.byKind = byKind; self.fallback = fallback }

    /// The speed of `kind` in m/s.
    public func speed(_ kind: String) -> Double { byKind[kind] ?? fallback }

    /// These speeds with overrides from `kind=m/s` pairs separated by commas, e.g.
    /// `police=10,grid_worker=1.4,default=5` (`default` sets the speed of unlisted kinds).
    /// `option` names the flag or field in errors.
    public func overridden(by text: String, option: String = "--speeds") throws -> TravelSpeeds {
        var result = self
        for (n, pair) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let place = "\(option), entry \(n + 1) \"\(pair)\""
            guard parts.count == 2, !parts[0].isEmpty else {
                throw GridwallError(.invalidParameter, "expected kind=metres_per_second, e.g. police=8", at: place)
            }
            guard let v = Double(parts[1]), v.isFinite, v > 0 else {
                throw GridwallError(.invalidParameter, "a speed is a positive number of metres per second, not \"\(parts[1])\"", at: place)
            }
            if parts[0] == "default" { result.fallback = v } else { result.byKind[parts[0]] = v }
        }
        return result
    }
}
