// The heatmap colour ramp: transparent where nothing happens, then blue, green, yellow, red,
// growing more opaque with the density so the map beneath stays readable.

/// The heat colour ramp (transparent, then blue, green, yellow, red) and images of a raster through it.
public enum ColourRamp {
    /// (position, r, g, b, alpha) stops.
    static let stops: [(Double, Double, Double, Double, Double)] = [
        (0.00, 43, 131, 186, 0), (0.15, 43, 131, 186, 140), (0.40, 171, 221, 164, 180),
        (0.65, 255, 255, 140, 200), (0.85, 253, 174, 97, 215), (1.00, 215, 25, 28, 230),
    ]

    /// RGBA for a fraction of the scale (clamped to 0…1).
    public static func rgba(_ fraction: Double) -> (UInt8, UInt8, UInt8, UInt8) {
        let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
        var i = 1
        while i < stops.count - 1 && stops[i].0 < f { i += 1 }
        let a = stops[i - 1], b = stops[i]
        let t = (f - a.0) / (b.0 - a.0)
        func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * t).rounded()) }
        return (mix(a.1, b.1), mix(a.2, b.2), mix(a.3, b.3), mix(a.4, b.4))
    }

    /// The raster as RGBA rows from the top, density / `scale` through the ramp.
    public static func image(_ raster: DensityRaster, scale: Double) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: raster.columns * raster.rows * 4)
        for y in 0..<raster.rows {
            let r = raster.rows - 1 - y
            for c in 0..<raster.columns {
                let (red, green, blue, alpha) = rgba(scale > 0 ? raster[column: c, row: r] / scale : 0)
                let o = (y * raster.columns + c) * 4
                out[o] = red; out[o + 1] = green; out[o + 2] = blue; out[o + 3] = alpha
            }
        }
        return out
    }
}
