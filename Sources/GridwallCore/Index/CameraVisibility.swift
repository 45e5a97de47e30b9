// Which cameras can see a point: in range, inside the field of view, and not blocked by a
// building (2.5D). The sight line runs from the camera's mount height down to the point on the
// ground; a building blocks only where its footprint crosses the line and its roof is above the
// line there: at fraction t along the way the line is at mount × (1 − t) metres.
// Buildings that hold the camera (mounted on their wall) or the point (an event inside) are not
// obstacles: their walls are where the camera and the point are.

/// Why a camera in range does not see the point.
public enum CameraRejection: Sendable, Hashable {
    case outsideFieldOfView
    case blocked(building: Int32, height: Double, sightLine: Double)

    public var reason: String {
        switch self {
        case .outsideFieldOfView: "outside_field_of_view"
        case .blocked: "blocked_by_building"
        }
    }
}

/// One camera's verdict for a point.
public struct CameraSight: Sendable, Hashable {
    public var camera: Int32
    /// Metres from the camera to the point (local frame).
    public var distance: Double
    /// nil when the camera sees the point.
    public var rejection: CameraRejection?
    public var visible: Bool { rejection == nil }
}

/// Which cameras see a point: in range, in the field of view, and not blocked by a building (2.5D).
public struct CameraVisibility: Sendable {
    public let cameras: [CameraRecord]
    public let buildingIDs: [String]
    let buildingHeights: [Double]
    let buildingIndex: PolygonIndex
    // Buckets of building boxes (degrees), to find the buildings a sight line crosses.
    let boxes: [Double]
    let rings: [[[Coordinate]]]
    let originX: Double, originY: Double, cellWidth: Double, cellHeight: Double
    let columns: Int, rows: Int
    let offsets: [Int32], items: [Int32]
    let cameraBuckets: CameraIndex
    /// Camera number → the building it is mounted on (-1 when none), found once, not per sight line.
    let cameraHolders: [Int32]

    /// Pass the assignment engine's `buildingIndex` and `cameraIndex` when there is one: the same
    /// layers need not be indexed twice.
    public init(cameras: [CameraRecord], buildings: [BuildingRecord], buildingIndex: PolygonIndex? = nil,
                cameraIndex: CameraIndex? = nil) {
        self.cameras = cameras
        buildingIDs = buildings.map(\.id)
        buildingHeights = buildings.map(\.height)
        self.buildingIndex = buildingIndex ?? PolygonIndex(features: buildings.map(\.geometry.polygons))
        rings = buildings.map { $0.geometry.polygons.flatMap(\.rings) }
        var all = BoundingBox.empty
        var boxes: [Double] = []
        for b in buildings {
            let box = b.geometry.boundingBox ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
            boxes += [box.minX, box.minY, box.maxX, box.maxY]
            all.extend(box)
        }
        self.boxes = boxes
        if all.isEmpty { all = BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1) }
        let frame = LocalFrame(origin: all.center)
        // 100 m buckets: a sight line of up to 150 m crosses a handful.
        cellWidth = 100 / frame.metresPerDegreeX; cellHeight = 100 / frame.metresPerDegreeY
        originX = all.minX; originY = all.minY
        columns = Int(all.width / cellWidth) + 1; rows = Int(all.height / cellHeight) + 1
        var lists = [[Int32]](repeating: [], count: columns * rows)
        for i in 0..<buildings.count {
            let c0 = Int((boxes[4 * i] - all.minX) / cellWidth), c1 = Int((boxes[4 * i + 2] - all.minX) / cellWidth)
            let r0 = Int((boxes[4 * i + 1] - all.minY) / cellHeight), r1 = Int((boxes[4 * i + 3] - all.minY) / cellHeight)
            for r in r0...r1 { for c in c0...c1 { lists[r * columns + c].append(Int32(i)) } }
        }
        var offsets: [Int32] = [0], items: [Int32] = []
        for l in lists { items += l; offsets.append(Int32(items.count)) }
        self.offsets = offsets; self.items = items
        cameraBuckets = cameraIndex ?? CameraIndex(cameras: cameras)
        let index = self.buildingIndex
        cameraHolders = cameras.map { index.locate(x: $0.position.x, y: $0.position.y).feature }
    }

    /// Cameras that see (x, y), nearest first; with `explain`, also the cameras in range that do
    /// not, each with the reason. `holder` is the building holding the point when the caller has
    /// found it already (with this index, as the assignment engine does); it is looked up otherwise.
    public func sights(x: Double, y: Double, explain: Bool = false, holder: Int32? = nil) -> [CameraSight] {
        guard x.isFinite, y.isFinite else { return [] }
        let frame = LocalFrame(origin: Coordinate(x, y))
        var inRange: [Int32] = []
        cameraBuckets.inRange(x: x, y: y, into: &inRange)
        guard !inRange.isEmpty else { return [] }
        let holder = holder ?? buildingIndex.locate(x: x, y: y).feature
        var out: [CameraSight] = []
        for i in inRange {
            // The camera's fields read in place: a copy of its record retains and releases its strings.
            let position = cameras[Int(i)].position
            let d = frame.project(position)
            let distance = (d.x * d.x + d.y * d.y).squareRoot()
            var rejection: CameraRejection?
            if !CameraIndex.sees(at: position, range: cameras[Int(i)].range, heading: cameras[Int(i)].heading,
                                 fieldOfView: cameras[Int(i)].fieldOfView, x: x, y: y, frame: frame) {
                rejection = .outsideFieldOfView
            } else if let block = firstObstacle(from: Int(i), to: Coordinate(x, y), ignoring: holder) {
                rejection = block
            }
            if rejection == nil || explain { out.append(CameraSight(camera: i, distance: distance, rejection: rejection)) }
        }
        out.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.camera < $1.camera) }
        return out
    }

    /// The first building (lowest index) whose roof is above the sight line from camera number
    /// `camera` to `p`, if any.
    func firstObstacle(from camera: Int, to p: Coordinate, ignoring holder: Int32) -> CameraRejection? {
        let a = cameras[camera].position, mount = cameras[camera].mountHeight
        let cameraHolder = cameraHolders[camera]
        let minX = min(a.x, p.x), maxX = max(a.x, p.x), minY = min(a.y, p.y), maxY = max(a.y, p.y)
        let c0 = max(0, Int((minX - originX) / cellWidth)), c1 = min(columns - 1, Int((maxX - originX) / cellWidth))
        let r0 = max(0, Int((minY - originY) / cellHeight)), r1 = min(rows - 1, Int((maxY - originY) / cellHeight))
        guard c0 <= c1, r0 <= r1 else { return nil }
        // The buildings whose boxes meet the line's, in index order, each once (one may lie in
        // several buckets): the first that blocks is the answer. A sort of a few numbers costs
        // less than the hash set this was.
        var candidates: [Int32] = []
        for r in r0...r1 {
            for c in c0...c1 {
                let b = r * columns + c
                for k in Int(offsets[b])..<Int(offsets[b + 1]) {
                    let i = items[k]
                    guard i != holder, i != cameraHolder else { continue }
                    let j = Int(i)
                    if boxes[4 * j] > maxX || boxes[4 * j + 2] < minX || boxes[4 * j + 1] > maxY || boxes[4 * j + 3] < minY { continue }
                    candidates.append(i)
                }
            }
        }
        candidates.sort()
        var previous: Int32 = -1
        for i in candidates where i != previous {
            previous = i
            let j = Int(i)
            if let line = Self.blockingSightLine(a, p, mount: mount, roof: buildingHeights[j], rings: rings[j]) {
                return .blocked(building: i, height: buildingHeights[j], sightLine: line)
            }
        }
        return nil
    }

    /// Where the footprint crosses the segment a→p, the lowest sight-line height there if the
    /// roof is above it; nil if the building does not block.
    static func blockingSightLine(_ a: Coordinate, _ p: Coordinate, mount: Double, roof: Double, rings: [[Coordinate]]) -> Double? {
        var lowest = Double.infinity
        let dx = p.x - a.x, dy = p.y - a.y
        for ring in rings {
            for k in 1..<max(1, ring.count) {
                let u = ring[k - 1], v = ring[k]
                let ex = v.x - u.x, ey = v.y - u.y
                let denominator = dx * ey - dy * ex
                guard denominator != 0 else { continue }   // parallel: crossing another edge decides
                let t = ((u.x - a.x) * ey - (u.y - a.y) * ex) / denominator
                let s = ((u.x - a.x) * dy - (u.y - a.y) * dx) / denominator
                guard t >= 0, t <= 1, s >= 0, s <= 1 else { continue }
                lowest = min(lowest, mount * (1 - t))
            }
        }
        return roof > lowest ? lowest : nil
    }
}

extension CameraIndex {
    /// Cameras within their range of (x, y), whatever their heading (for `explain`).
    public func inRange(x: Double, y: Double, into out: inout [Int32]) {
        covering(x: x, y: y, into: &out, fieldOfViewOverride: 360)
    }
}
