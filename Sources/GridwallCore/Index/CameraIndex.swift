// Which cameras cover a point: within range and inside the field of view (heading ± fov/2;
// domes see all around). Occlusion by buildings is a separate step (the visibility issue).
// Cameras sit in buckets as wide as the longest range, so a query reads at most 3×3 buckets.
import Foundation

public struct CameraIndex: Sendable {
    public let cameras: [CameraRecord]
    private let originX: Double, originY: Double
    private let cellWidth: Double, cellHeight: Double
    private let columns: Int, rows: Int
    private let bucketOffsets: [Int32]
    private let bucketItems: [Int32]

    public init(cameras: [CameraRecord]) {
        self.cameras = cameras
        var box = BoundingBox.empty
        for c in cameras { box.extend(c.position) }
        if box.isEmpty { box = BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0) }
        let frame = LocalFrame(origin: box.center)
        let maxRange = max(1, cameras.map(\.range).max() ?? 1)
        cellWidth = maxRange / frame.metresPerDegreeX
        cellHeight = maxRange / frame.metresPerDegreeY
        originX = box.minX; originY = box.minY
        columns = Int((box.width / cellWidth).rounded(.down)) + 1
        rows = Int((box.height / cellHeight).rounded(.down)) + 1
        var lists = [[Int32]](repeating: [], count: columns * rows)
        for (i, c) in cameras.enumerated() {
            let col = Int((c.position.x - box.minX) / cellWidth), row = Int((c.position.y - box.minY) / cellHeight)
            lists[row * columns + col].append(Int32(i))
        }
        var offsets: [Int32] = [0], items: [Int32] = []
        for l in lists { items.append(contentsOf: l); offsets.append(Int32(items.count)) }
        bucketOffsets = offsets
        bucketItems = items
    }

    /// Appends to `out` (cleared first) the cameras whose range and field of view cover (x, y),
    /// in camera order.
    public func covering(x: Double, y: Double, into out: inout [Int32]) {
        covering(x: x, y: y, into: &out, fieldOfViewOverride: nil)
    }

    /// As `covering`, optionally treating every camera as a dome (`fieldOfViewOverride: 360`).
    func covering(x: Double, y: Double, into out: inout [Int32], fieldOfViewOverride: Double?) {
        out.removeAll(keepingCapacity: true)
        guard !cameras.isEmpty, x.isFinite, y.isFinite else { return }
        let col = Int(((x - originX) / cellWidth).rounded(.down)), row = Int(((y - originY) / cellHeight).rounded(.down))
        // Farther than one bucket outside the extent: no camera can reach.
        guard row >= -1, row <= rows, col >= -1, col <= columns else { return }
        let frame = LocalFrame(origin: Coordinate(x, y))
        for r in max(0, row - 1)...min(rows - 1, row + 1) {
            for c in max(0, col - 1)...min(columns - 1, col + 1) {
                let bucket = r * columns + c
                for k in Int(bucketOffsets[bucket])..<Int(bucketOffsets[bucket + 1]) {
                    let i = Int(bucketItems[k])
                    var camera = cameras[i]
                    if let fov = fieldOfViewOverride { camera.fieldOfView = fov }
                    if Self.sees(camera, x: x, y: y, frame: frame) { out.append(Int32(i)) }
                }
            }
        }
        out.sort()
    }

    /// Range and field-of-view test for one camera (no occlusion).
    public static func sees(_ camera: CameraRecord, x: Double, y: Double, frame: LocalFrame) -> Bool {
        let dx = (x - camera.position.x) * frame.metresPerDegreeX
        let dy = (y - camera.position.y) * frame.metresPerDegreeY
        let distance = (dx * dx + dy * dy).squareRoot()
        guard distance <= camera.range else { return false }
        if camera.fieldOfView >= 360 || distance == 0 { return true }
        let bearing = atan2(dx, dy) * 180 / .pi
        var difference = (bearing - camera.heading).truncatingRemainder(dividingBy: 360)
        if difference > 180 { difference -= 360 }
        if difference < -180 { difference += 360 }
        return abs(difference) <= camera.fieldOfView / 2
    }
}
