// The work one heatmap request may ask for. Every size a client chooses (bins, cells,
// bandwidths, neighbour distances, k) is held to a range, and every count that sizes an
// allocation or a loop (bins answered, hot-spot units, neighbour pairs, kernel stencil work) to a
// budget checked before the work starts, so no request can exhaust the server. A request over a
// budget is refused with a 400 (`over_budget`) naming the parameter to change and the limit.
// The figures keep every request on the sample district under a second in a release build
// (HeatmapBudgetTests, run optimised); the kernel budget refuses the default density over more
// than about 1.2 M events until the binned kernel density lands. Docs/heatmaps.md lists them.
import GridwallCore

/// The ranges and budgets one heatmap request is held to (see the file header).
public enum HeatmapLimits {
    /// `size_m` of hexagon and square bins.
    public static let binSize: ClosedRange<Double> = 10...50_000
    /// `cell_m` of the density raster.
    public static let cellSize: ClosedRange<Double> = 5...10_000
    /// `bandwidth_m` of the kernel.
    public static let bandwidth: ClosedRange<Double> = 10...50_000
    /// The kernel's reach in cells (`bandwidth_m / cell_m`): each event touches about
    /// (2 × this)² cells, so the ratio, not either size, decides the work per event.
    public static let bandwidthInCells = 12.0
    /// Events × cells each touches, for one density raster (about 2 ns each).
    public static let kernelWork = 200_000_000.0
    /// Density raster cells (about a 1,400 × 1,400 image).
    public static let rasterCells = 2_000_000
    /// Density raster cells for isobands (`format=geojson`), which trace and merge polygons.
    public static let isobandCells = 600_000
    /// Distance-band radius of hot-spot weights (`weights=distance:<m>`).
    public static let neighbourDistance: ClosedRange<Double> = 1...50_000
    /// k of k-nearest hot-spot weights (`weights=knn:<k>`).
    public static let nearestK: ClosedRange<Int> = 1...64
    /// Bins in one answer (`by=hex|square`).
    public static let bins = 40_000
    /// Hot-spot units: grids or bins, empty ones included with `empty=true`.
    public static let hotSpotUnits = 100_000
    /// Neighbour pairs of hot-spot weights (k × units for knn).
    public static let neighbourPairs = 4_000_000

    /// Refuses `value` above `limit`, naming the parameter to change.
    public static func check(_ value: Double, atMost limit: Double, _ what: String, change parameter: String, hint: String) throws {
        guard value <= limit else {
            throw GridwallError(.overBudget, "\(what) would be \(formatCount(value)), more than the limit of \(formatCount(limit)); \(hint)", at: parameter)
        }
    }

    static func formatCount(_ v: Double) -> String {
        v >= 1e15 || !v.isFinite ? "more than 10^15" : String(Int64(v.rounded(.up)))
    }
}
