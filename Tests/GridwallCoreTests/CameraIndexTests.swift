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
