// Every knob of the sample district in one place, each with its unit.
import GridwallCore

/// What `gridwall generate` builds. The defaults make the committed `geodata/`.
public struct SampleOptions: Sendable {
    public var seed: UInt64 = 20261124
    /// The district's centre (WGS84) and mean radius; the outline is a smooth random blob.
    public var center = Coordinate(120.225, 30.300)
    public var radius = 6_300.0            // metres
    /// Side of the triangles the areas are grown from; boundaries follow their edges.
    public var latticeSpacing = 33.0       // metres
    public var streets = 8
    public var communities = 100
    public var grids = 604
    /// Scales the number of buildings, cameras and events (1 = the committed sample).
    public var density = 1.0
    public var responders = 760
    public var events = 100_000
    /// The event history ends here (UTC) and reaches back `historyDays`.
    public var historyEnd = "2026-11-20T00:00:00Z"
    public var historyEndEpoch: Double = 1_795_132_800   // 2026-11-20T00:00:00Z in Unix seconds
    public var historyDays = 90
    /// The administrative code the 15-digit grid codes start with (GB/T 30428 style).
    public var districtCode = "330199"
    public var districtName = "Gridwall Sample District"
    /// Put before every building, camera, responder and event id, so that the districts of a
    /// generated city never share one.
    public var idPrefix = ""

    /// The committed sample district's options.
    public init() {}

    /// District `k` (0-based) of a generated city of `count` districts: `base`'s sizes (the sample
    /// district's by default) with its own seed, code (330101, 330102, …), id prefix (`D01-`, …) and place, on a
    /// lattice 17 km apart (the districts' outlines, at most ~8.2 km from their centres, never
    /// touch; district 1 sits where the sample does).
    public static func cityDistrict(_ k: Int, of count: Int, seed: UInt64 = SampleOptions().seed, base: SampleOptions = SampleOptions()) -> SampleOptions {
        precondition((0..<99).contains(k) && count <= 99, "a generated city has at most 99 districts")
        var o = base
        o.seed = seed &+ UInt64(k)
        let columns = Int(Double(count).squareRoot().rounded(.up))
        let spacing = 17_000.0
        let frame = LocalFrame(origin: o.center)
        o.center = frame.unproject(Coordinate(Double(k % columns) * spacing, -Double(k / columns) * spacing))
        o.districtCode = "3301" + String(format: "%02d", k + 1)
        o.districtName = "Gridwall Sample District \(k + 1)"
        o.idPrefix = String(format: "D%02d-", k + 1)
        return o
    }

    /// A small district for fast tests: same structure, a fraction of the size.
    public static func small(seed: UInt64 = 7) -> SampleOptions {
        var o = SampleOptions()
        o.seed = seed
        o.radius = 1_800
        o.latticeSpacing = 40
        o.streets = 3
        o.communities = 8
        o.grids = 40
        o.density = 0.08
        o.responders = 60
        o.events = 3_000
        return o
    }
}
