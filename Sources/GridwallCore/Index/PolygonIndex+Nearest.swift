// The nearest feature to a point, for "outside, 35 m from grid X". Distances are in metres on
// the local equirectangular frame at the point (within 0.1 % of geodesic distance over a few
// kilometres).

extension PolygonIndex {
    /// For a point inside no feature: the nearest feature and the distance to it in metres
    /// (through the unshared-edge index; see BoundaryEdgeIndex). nil if there are no features or
    /// the index was built without `Options.findsNearest`.
    public func nearestFeatureOutside(x: Double, y: Double) -> (feature: Int32, distance: Double)? {
        boundaryEdges.nearest(x: x, y: y)
    }

    /// The feature whose boundary is nearest to (x, y), and the distance in metres; nil if empty.
    /// Visits features in order of the distance to their boxes: the reference for the fast path.
    public func nearestFeature(x: Double, y: Double) -> (feature: Int32, distance: Double)? {
        guard featureCount > 0, x.isFinite, y.isFinite else { return nil }
        let frame = LocalFrame(origin: Coordinate(x, y))
        let kx = frame.metresPerDegreeX, ky = frame.metresPerDegreeY
        var order: [(Double, Int)] = []
        order.reserveCapacity(featureCount)
        for f in 0..<featureCount where featureEdgeRange[2 * f] < featureEdgeRange[2 * f + 1] {
            let dx = max(featureBoxes[4 * f] - x, 0, x - featureBoxes[4 * f + 2]) * kx
            let dy = max(featureBoxes[4 * f + 1] - y, 0, y - featureBoxes[4 * f + 3]) * ky
            order.append(((dx * dx + dy * dy).squareRoot(), f))
        }
        order.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var best = Double.infinity, bestFeature = -1
        for (lowerBound, f) in order {
            if lowerBound > best { break }
            for e in Int(featureEdgeRange[2 * f])..<Int(featureEdgeRange[2 * f + 1]) {
                let d = PolygonIndex.segmentDistanceSquared(0, 0, (edges[4 * e] - x) * kx, (edges[4 * e + 1] - y) * ky,
                                                            (edges[4 * e + 2] - x) * kx, (edges[4 * e + 3] - y) * ky).squareRoot()
                if d < best { best = d; bestFeature = f }
            }
        }
        return bestFeature < 0 ? nil : (Int32(bestFeature), best)
    }
}
