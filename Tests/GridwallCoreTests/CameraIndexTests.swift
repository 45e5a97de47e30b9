import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct CameraIndexTests {
    @Test func coverageMatchesBruteForce() {
        var rng = TestData.random("cameras")
        let cameras = (0..<400).map { i in
            CameraRecord(id: "C\(i)", position: Coordinate(rng.uniform(120.20, 120.22), rng.uniform(30.30, 30.32)),
                         heading: rng.uniform(0, 360), fieldOfView: rng.unit() < 0.3 ? 360 : rng.uniform(20, 120),
                         range: rng.uniform(20, 150))
        }
        let index = CameraIndex(cameras: cameras)
        var out: [Int32] = []
        for _ in 0..<2_000 {
            let x = rng.uniform(120.195, 120.225), y = rng.uniform(30.295, 30.325)
            index.covering(x: x, y: y, into: &out)
            let frame = LocalFrame(origin: Coordinate(x, y))
            let expected = cameras.indices.filter { CameraIndex.sees(cameras[$0], x: x, y: y, frame: frame) }.map(Int32.init)
            #expect(out == expected)
        }
    }

    /// A camera at (0, 0) and one with a 10,000 km range used to ask for billions of buckets:
    /// now they wait in the overflow list, the buckets stay as they were, answers stay exact.
    @Test func outlyingCamerasCannotBlowUpTheBuckets() {
        var rng = TestData.random("camera outliers")
        var cameras = (0..<400).map { i in
            CameraRecord(id: "C\(i)", position: Coordinate(rng.uniform(120.20, 120.22), rng.uniform(30.30, 30.32)),
                         heading: rng.uniform(0, 360), fieldOfView: 360, range: rng.uniform(20, 150))
        }
        let plain = CameraIndex(cameras: cameras)
        cameras.append(CameraRecord(id: "far", position: Coordinate(0, 0), heading: 0, fieldOfView: 360, range: 100))
        cameras.append(CameraRecord(id: "wide", position: Coordinate(120.21, 30.31), heading: 0, fieldOfView: 360, range: 1e7))
        let index = CameraIndex(cameras: cameras)
        #expect(index.overflowCount == 2)
        #expect(index.bucketCount <= plain.bucketCount * 2 && index.bucketCount <= CameraIndex.maximumBuckets)
        var out: [Int32] = []
        for (x, y) in [(0.0, 0.0), (0.0005, 0.0003), (120.21, 30.31)] + (0..<500).map({ _ in (rng.uniform(120.195, 120.225), rng.uniform(30.295, 30.325)) }) {
            index.covering(x: x, y: y, into: &out)
            let frame = LocalFrame(origin: Coordinate(x, y))
            #expect(out == cameras.indices.filter { CameraIndex.sees(cameras[$0], x: x, y: y, frame: frame) }.map(Int32.init), "at \(x), \(y)")
        }
        index.covering(x: 0, y: 0, into: &out)
        #expect(out.map { cameras[Int($0)].id } == ["far"])
    }

    @Test func fieldOfViewAndRange() {
        // A camera looking east with a 90° view and 100 m range.
        let c = CameraRecord(id: "c", position: Coordinate(120.2, 30.3), heading: 90, fieldOfView: 90, range: 100)
        let frame = LocalFrame(origin: c.position)
        let east50 = frame.unproject(Coordinate(50, 0)), west50 = frame.unproject(Coordinate(-50, 0))
        let east150 = frame.unproject(Coordinate(150, 0)), northEast = frame.unproject(Coordinate(40, 45))
        #expect(CameraIndex.sees(c, x: east50.x, y: east50.y, frame: frame))
        #expect(!CameraIndex.sees(c, x: west50.x, y: west50.y, frame: frame))
        #expect(!CameraIndex.sees(c, x: east150.x, y: east150.y, frame: frame))
        #expect(!CameraIndex.sees(c, x: northEast.x, y: northEast.y, frame: frame))   // 41.6° from north: outside 45°–135°
    }
}
