import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct CameraVisibilityTests {
    static let origin = Coordinate(120.2, 30.3)
    static let frame = LocalFrame(origin: origin)
    /// A rectangle footprint in local metres east/north of the origin.
    static func building(_ id: String, east: ClosedRange<Double>, north: ClosedRange<Double>, height: Double) -> BuildingRecord {
        let ring = [(east.lowerBound, north.lowerBound), (east.upperBound, north.lowerBound), (east.upperBound, north.upperBound),
                    (east.lowerBound, north.upperBound), (east.lowerBound, north.lowerBound)].map { frame.unproject(Coordinate($0.0, $0.1)) }
        return BuildingRecord(id: id, height: height, geometry: .polygon(Polygon(exterior: ring)))
    }
    static func at(_ east: Double, _ north: Double) -> Coordinate { frame.unproject(Coordinate(east, north)) }

    /// A camera at the origin, 6 m up, looking east with a 90° view and 100 m range.
    let camera = CameraRecord(id: "cam", position: CameraVisibilityTests.origin, heading: 90, fieldOfView: 90, range: 100, mountHeight: 6)

    @Test func aTowerBetweenCameraAndPointBlocks() {
        let v = CameraVisibility(cameras: [camera], buildings: [Self.building("tower", east: 20...30, north: -5...5, height: 80)])
        let p = Self.at(60, 0)
        #expect(v.sights(x: p.x, y: p.y).isEmpty)
        let explained = v.sights(x: p.x, y: p.y, explain: true)
        #expect(explained.count == 1)
        guard case .blocked(let b, let h, let line)? = explained.first?.rejection else { Issue.record("expected blocked"); return }
        // The line enters the tower at t = 20/60 (4 m up) and leaves at t = 30/60 (3 m up).
        #expect(b == 0 && h == 80 && abs(line - 3) < 1e-6)
    }

    @Test func aLowBuildingNearTheCameraDoesNotBlockButOneNearThePointDoes() {
        // Near the camera the line is still 4–5 m up: a 3 m shed is below it.
        let shed = CameraVisibility(cameras: [camera], buildings: [Self.building("shed", east: 10...20, north: -5...5, height: 3)])
        let p = Self.at(60, 0)
        #expect(shed.sights(x: p.x, y: p.y).map(\.camera) == [0])
        // Near the point the line is under a metre: the same 3 m wall blocks.
        let wall = CameraVisibility(cameras: [camera], buildings: [Self.building("wall", east: 50...55, north: -5...5, height: 3)])
        #expect(wall.sights(x: p.x, y: p.y).isEmpty)
    }

    @Test func aPointBehindTheCameraIsNotSeen() {
        let v = CameraVisibility(cameras: [camera], buildings: [])
        let behind = Self.at(-30, 0)
        #expect(v.sights(x: behind.x, y: behind.y).isEmpty)
        #expect(v.sights(x: behind.x, y: behind.y, explain: true).first?.rejection == .outsideFieldOfView)
        let farAhead = Self.at(150, 0)
        #expect(v.sights(x: farAhead.x, y: farAhead.y, explain: true).isEmpty)   // out of range: not even explained
    }

    @Test func theBuildingHoldingThePointOrTheCameraIsNoObstacle() {
        let v = CameraVisibility(cameras: [camera], buildings: [Self.building("home", east: 50...70, north: -10...10, height: 30),
                                                                Self.building("mount", east: -5...5, north: -5...5, height: 20)])
        let inside = Self.at(60, 0)
        #expect(v.sights(x: inside.x, y: inside.y).map(\.camera) == [0])
    }

    /// Random scenes against a brute force over every camera and every building.
    @Test func matchesBruteForce() {
        var rng = TestData.random("visibility")
        let cameras = (0..<60).map { i in
            CameraRecord(id: "C\(i)", position: Self.at(rng.uniform(-300, 300), rng.uniform(-300, 300)), heading: rng.uniform(0, 360),
                         fieldOfView: rng.unit() < 0.3 ? 360 : rng.uniform(30, 120), range: rng.uniform(40, 150), mountHeight: rng.uniform(3, 10))
        }
        var buildings: [BuildingRecord] = []
        for i in 0..<150 {
            let e = rng.uniform(-300, 300), n = rng.uniform(-300, 300)
            buildings.append(Self.building("B\(i)", east: e...(e + rng.uniform(8, 40)), north: n...(n + rng.uniform(8, 40)), height: rng.uniform(2, 60)))
        }
        let v = CameraVisibility(cameras: cameras, buildings: buildings)
        var seen = 0, blockedSeen = 0
        for _ in 0..<200 {
            let p = Self.at(rng.uniform(-320, 320), rng.uniform(-320, 320))
            let local = LocalFrame(origin: p)
            let holder = buildings.indices.first { RandomShapes.bruteForceContains($0 < 0 ? [] : buildings[$0].geometry.polygons, x: p.x, y: p.y) }
            var expected: [Int32] = []
            for (i, c) in cameras.enumerated() where CameraIndex.sees(c, x: p.x, y: p.y, frame: local) {
                let cameraHolder = buildings.indices.first { RandomShapes.bruteForceContains(buildings[$0].geometry.polygons, x: c.position.x, y: c.position.y) }
                let blocked = buildings.indices.contains { j in
                    j != holder && j != cameraHolder
                        && CameraVisibilityReference.blocks(c, p, buildings[j])
                }
                if !blocked { expected.append(Int32(i)) }
            }
            let got = v.sights(x: p.x, y: p.y).map(\.camera)
            #expect(got.sorted() == expected.sorted(), "at \(p)")
            seen += got.count
            // Explained, a blocked camera names the first building (by index) that blocks it.
            for sight in v.sights(x: p.x, y: p.y, explain: true) {
                guard case .blocked(let building, _, _) = sight.rejection else { continue }
                let c = cameras[Int(sight.camera)]
                let cameraHolder = buildings.indices.first { RandomShapes.bruteForceContains(buildings[$0].geometry.polygons, x: c.position.x, y: c.position.y) }
                let first = buildings.indices.first { j in j != holder && j != cameraHolder && CameraVisibilityReference.blocks(c, p, buildings[j]) }
                #expect(Int(building) == first, "camera \(sight.camera) at \(p)")
                blockedSeen += 1
            }
        }
        #expect(seen > 50 && blockedSeen > 50, "\(seen) seen, \(blockedSeen) blocked")
    }
}

/// The occlusion rule written out directly: sample the sight line finely and look for a point
/// inside the footprint where the roof is above the line.
enum CameraVisibilityReference {
    static func blocks(_ c: CameraRecord, _ p: Coordinate, _ b: BuildingRecord) -> Bool {
        let box = b.geometry.boundingBox!
        if box.maxX < min(c.position.x, p.x) || box.minX > max(c.position.x, p.x)
            || box.maxY < min(c.position.y, p.y) || box.minY > max(c.position.y, p.y) { return false }
        let steps = 2_000
        for k in 0...steps {
            let t = Double(k) / Double(steps)
            let q = Coordinate(c.position.x + t * (p.x - c.position.x), c.position.y + t * (p.y - c.position.y))
            if RandomShapes.bruteForceContains(b.geometry.polygons, x: q.x, y: q.y) && b.height > c.mountHeight * (1 - t) { return true }
        }
        return false
    }
}
