// Which cameras cover a point: within range and inside the field of view (heading ± fov/2;
// domes see all around). Occlusion by buildings is a separate step (the visibility issue).
// Cameras sit in buckets as wide as the longest ordinary range, so a query reads at most 3×3
// buckets. The buckets cover where most cameras are (`BoundingBox.bulk`), at most a few million
// of them; a camera far outside that, or with a range far beyond the others', goes to a short
// overflow list that every query tests. Sizing the buckets from all cameras instead let one
// outlier (a camera at (0, 0), a 1,000 km range) ask for billions of buckets at build time.
import Foundation

/// Which cameras cover a point by range and field of view, from buckets as wide as the ranges.
public struct CameraIndex: Sendable {
    public let cameras: [CameraRecord]
    private let originX: Double, originY: Double
    private let cellWidth: Double, cellHeight: Double
    private let columns: Int, rows: Int
    private let bucketOffsets: [Int32]
    private let bucketItems: [Int32]
    /// Cameras outside the buckets' area or with outlying ranges, tested by every query.
    private let overflow: [Int32]
    public static let maximumBuckets = 4_000_000

    /// Buckets `cameras` (outliers go to the overflow list).
    public init(cameras: [CameraRecord]) {
        self.cameras = cameras
        let area = BoundingBox.bulk(of: cameras.map(\.position))
        let frame = LocalFrame(origin: area.center)
        // The longest ordinary range: up to four times the median; longer ones overflow.
        let ranges = cameras.map(\.range).filter(\.isFinite).sorted()
        let ordinary = ranges.isEmpty ? 1 : 4 * max(1, ranges[ranges.count / 2])
        let cellRange = max(1, ranges.last { $0 <= ordinary } ?? 1)
        var width = cellRange / frame.metresPerDegreeX, height = cellRange / frame.metresPerDegreeY
        let wanted = (area.width / width + 1) * (area.height / height + 1)
        if wanted > Double(Self.maximumBuckets) {
            let grow = (wanted / Double(Self.maximumBuckets)).squareRoot()
            width *= grow; height *= grow
        }
        cellWidth = width; cellHeight = height
        originX = area.minX; originY = area.minY
        columns = Int((area.width / cellWidth).rounded(.down)) + 1
        rows = Int((area.height / cellHeight).rounded(.down)) + 1
        var lists = [[Int32]](repeating: [], count: columns * rows)
        var overflow: [Int32] = []
        for (i, c) in cameras.enumerated() {
            guard area.contains(c.position), c.range <= cellRange else { overflow.append(Int32(i)); continue }
            let col = min(columns - 1, Int((c.position.x - area.minX) / cellWidth))
            let row = min(rows - 1, Int((c.position.y - area.minY) / cellHeight))
            lists[row * columns + col].append(Int32(i))
        }
        var offsets: [Int32] = [0], items: [Int32] = []
        for l in lists { items.append(contentsOf: l); offsets.append(Int32(items.count)) }
        bucketOffsets = offsets
        bucketItems = items
        self.overflow = overflow
    }

    /// How many cameras are tested on every query (outside the buckets).
    public var overflowCount: Int { overflow.count }

    /// How many buckets the index holds.
    public var bucketCount: Int { columns * rows }

    /// Appends to `out` (cleared first) the cameras whose range and field of view cover (x, y),
    /// in camera order.
    public func covering(x: Double, y: Double, into out: inout [Int32]) {
        covering(x: x, y: y, into: &out, fieldOfViewOverride: nil)
    }

    /// As `covering`, optionally treating every camera as a dome (`fieldOfViewOverride: 360`).
    func covering(x: Double, y: Double, into out: inout [Int32], fieldOfViewOverride: Double?) {
        out.removeAll(keepingCapacity: true)
        guard !cameras.isEmpty, x.isFinite, y.isFinite else { return }
        let frame = LocalFrame(origin: Coordinate(x, y))
        func test(_ i: Int) {
            // The camera's fields read in place: a copy of its record retains and releases its strings.
            if Self.sees(at: cameras[i].position, range: cameras[i].range, heading: cameras[i].heading,
                         fieldOfView: fieldOfViewOverride ?? cameras[i].fieldOfView, x: x, y: y, frame: frame) {
                out.append(Int32(i))
            }
        }
        for i in overflow { test(Int(i)) }
        defer { out.sort() }
        let fx = (x - originX) / cellWidth, fy = (y - originY) / cellHeight
        // Farther than one bucket outside the area: no bucketed camera can reach.
        guard fx >= -1, fy >= -1, fx < Double(columns + 1), fy < Double(rows + 1) else { return }
        let col = Int(fx.rounded(.down)), row = Int(fy.rounded(.down))
        for r in max(0, row - 1)...min(rows - 1, row + 1) {
            for c in max(0, col - 1)...min(columns - 1, col + 1) {
                let bucket = r * columns + c
                for k in Int(bucketOffsets[bucket])..<Int(bucketOffsets[bucket + 1]) { test(Int(bucketItems[k])) }
            }
        }
    }

    /// Range and field-of-view test for one camera (no occlusion).
    public static func sees(_ camera: CameraRecord, x: Double, y: Double, frame: LocalFrame) -> Bool {
        sees(at: camera.position, range: camera.range, heading: camera.heading, fieldOfView: camera.fieldOfView, x: x, y: y, frame: frame)
    }

    /// The same test for a camera at `position` with its range (metres), heading and field of view (degrees).
    static func sees(at position: Coordinate, range: Double, heading: Double, fieldOfView: Double, x: Double, y: Double, frame: LocalFrame) -> Bool {
        let dx = (x - position.x) * frame.metresPerDegreeX
        let dy = (y - position.y) * frame.metresPerDegreeY
        let distance = (dx * dx + dy * dy).squareRoot()
        guard distance <= range else { return false }
        if fieldOfView >= 360 || distance == 0 { return true }
        let bearing = atan2(dx, dy) * 180 / .pi
        var difference = (bearing - heading).truncatingRemainder(dividingBy: 360)
        if difference > 180 { difference -= 360 }
        if difference < -180 { difference += 360 }
        return abs(difference) <= fieldOfView / 2
    }
}
