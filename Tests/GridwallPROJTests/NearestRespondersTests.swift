import Foundation
import Testing
import GridwallCore
import GridwallPROJ
import GridwallTestSupport

@Suite struct NearestRespondersTests {
    static let kinds = ["grid_worker", "police", "fire", "medical"]
    static let skills = ["first_aid", "patrol", "rescue", "hazmat"]

    static func responders(_ n: Int, rng: inout SeededRandom, now: Double) -> [Responder] {
        (0..<n).map { i in
            var s = Set<String>()
            for skill in skills where rng.unit() < 0.4 { s.insert(skill) }
            return Responder(id: String(format: "R%05d", i), kind: kinds[rng.int(0, kinds.count - 1)],
                             status: ResponderStatus.allCases[rng.weightedIndex([6, 3, 1])], skills: s,
                             position: Coordinate(rng.uniform(120.15, 120.30), rng.uniform(30.24, 30.37)),
                             updatedAt: now - rng.uniform(0, 900))
        }
    }

    /// The reference: every responder, plain filter, geodesic distance, sort.
    static func bruteForce(_ all: [Responder], near p: Coordinate, k: Int, filter f: ResponderFilter, now: Double)
        -> [(id: String, distance: Double)] {
        var rows: [(id: String, distance: Double)] = []
        for r in all where f.admits(r, now: now) {
            let d = Geodesic.inverse(p, r.position).distance
            if let m = f.maxDistance, d > m { continue }
            rows.append((r.id, d))
        }
        rows.sort { a, b in a.distance < b.distance || (a.distance == b.distance && a.id < b.id) }
        return Array(rows.prefix(k))
    }

    /// Every filter combination, against brute force over all responders in geodesic metres.
    @Test func knnEqualsBruteForceWithEveryFilterCombination() {
        var rng = TestData.random("knn")
        let now = 1_795_132_800.0
        let all = Self.responders(2_000, rng: &rng, now: now)
        let index = ResponderIndex(responders: all)
        var compared = 0
        for kinds in [nil, Set(["police"]), Set(["police", "fire"])] as [Set<String>?] {
            for statuses in [nil, [.available], [.available, .busy], [.available, .offDuty], [.offDuty]] as [Set<ResponderStatus>?] {
                for skills in [[], ["first_aid"], ["first_aid", "patrol"]] as [Set<String>] {
                    for maxAge in [nil, 300.0] {
                        for maxDistance in [nil, 1_500.0] {
                            var f = ResponderFilter()
                            f.kinds = kinds; f.statuses = statuses; f.skills = skills; f.maxAge = maxAge; f.maxDistance = maxDistance
                            for _ in 0..<8 {
                                let p = Coordinate(rng.uniform(120.14, 120.31), rng.uniform(30.23, 30.38))
                                let k = rng.int(1, 8)
                                let got = NearestResponders.query(index, near: p, k: k, filter: f, now: now)
                                let expected = Self.bruteForce(all, near: p, k: k, filter: f, now: now)
                                #expect(got.map { $0.responder.id } == expected.map { $0.id }, "filter \(f) at \(p), k \(k)")
                                for (g, e) in zip(got, expected) { #expect(abs(g.distance - e.distance) < 1e-6) }
                                compared += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(compared == 180 * 8)
    }

    /// One responder reported at (0, 0), valid but half a world away: the buckets keep their
    /// size and number (query work and memory stay as they were), the outlier waits in the
    /// A position beyond the service area is named with its distance; one that swapping
    /// longitude and latitude would bring inside says so (a district where both are valid either way).
    @Test func aPositionBeyondTheServiceAreaIsExplained() {
        let area = ServiceArea(district: BoundingBox(minX: 10.0, minY: 45.0, maxX: 10.2, maxY: 45.2), margin: 5_000)
        #expect(area.problem(with: Coordinate(10.1, 45.1)) == nil)
        #expect(area.problem(with: Coordinate(10.1, 45.2 + 0.04)) == nil)   // 4.4 km north: inside the margin
        let north = area.problem(with: Coordinate(10.1, 45.3)) ?? ""
        #expect(north.contains("11 km from the service area") && !north.contains("swapped"), "\(north)")
        let swapped = area.problem(with: Coordinate(45.1, 10.1)) ?? ""
        #expect(swapped.contains("with lon and lat swapped it would be inside"), "\(swapped)")
    }

    /// overflow list, and answers still equal brute force, in the district and at (0, 0).
    @Test func anOutlierCannotWidenTheBuckets() {
        var rng = TestData.random("outlier")
        let now = 1_795_132_800.0
        let all = Self.responders(5_000, rng: &rng, now: now)
        let area = ServiceArea(district: BoundingBox(minX: 120.15, minY: 30.24, maxX: 120.30, maxY: 30.37), margin: 20_000)
        for serviceArea in [area.box, nil] {
            let registry = ResponderRegistry(responders: all, serviceArea: serviceArea)
            let before = registry.snapshot.bucketLayout
            #expect(before.overflow == 0)
            registry.update([PositionUpdate(id: all[0].id, position: Coordinate(0, 0), time: now + 1)])
            let snapshot = registry.snapshot
            let after = snapshot.bucketLayout
            #expect(after.cell == before.cell && after.columns == before.columns && after.rows == before.rows, "\(before) → \(after)")
            #expect(after.overflow == 1)
            var moved = all
            moved[0].position = Coordinate(0, 0); moved[0].updatedAt = now + 1
            for _ in 0..<200 {
                let p = Coordinate(rng.uniform(120.14, 120.31), rng.uniform(30.23, 30.38))
                var f = ResponderFilter(); f.statuses = [.available]
                let got = NearestResponders.query(snapshot, near: p, k: 5, filter: f, now: now)
                #expect(got.map(\.responder.id) == Self.bruteForce(moved, near: p, k: 5, filter: f, now: now).map(\.id))
            }
            var anyone = ResponderFilter(); anyone.statuses = nil
            let there = NearestResponders.query(snapshot, near: Coordinate(0.001, 0.001), k: 1, filter: anyone, now: now)
            #expect(there.map(\.responder.id) == [all[0].id])
        }
        // Without a service area the buckets come from the bulk of the positions: an outlier
        // among the first positions changes them by no more than its share.
        let plain = ResponderIndex(responders: all).bucketLayout
        let withOutlier = ResponderIndex(responders: all + [Responder(id: "far", kind: "police", position: Coordinate(0, 0), updatedAt: now)]).bucketLayout
        #expect(abs(withOutlier.cell - plain.cell) < 0.01 * plain.cell && withOutlier.overflow == 1)
    }

    @Test func bearingAndArrivalTime() {
        let now = 0.0
        let p = Coordinate(120.2, 30.3)
        let north = Geodesic.direct(from: p, bearing: 0, distance: 800)
        let east = Geodesic.direct(from: p, bearing: 90, distance: 500)
        let index = ResponderIndex(responders: [
            Responder(id: "a", kind: "police", position: north, updatedAt: now),
            Responder(id: "b", kind: "grid_worker", position: east, updatedAt: now),
        ])
        let answers = NearestResponders.query(index, near: p, k: 5, filter: ResponderFilter(), now: now)
        #expect(answers.map(\.responder.id) == ["b", "a"])
        #expect(abs(answers[0].distance - 500) < 1e-6 && abs(answers[0].bearing - 90) < 1e-6)
        #expect(abs(answers[0].eta - 500 / 4.0) < 1e-6)
        #expect(abs(answers[1].distance - 800) < 1e-6 && (answers[1].bearing < 1e-6 || answers[1].bearing > 360 - 1e-6))
    }

    /// Readers and a writer at once: every answer must come from one consistent snapshot
    /// (positions the writer set in one batch appear together or not at all).
    @Test func queriesDuringUpdatesSeeWholeSnapshots() async {
        var rng = TestData.random("live")
        let now = 1_795_132_800.0
        let registry = ResponderRegistry(responders: Self.responders(5_000, rng: &rng, now: now))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Each batch moves every responder to the same new time: a snapshot mixing two
                // batches would show two different times.
                for round in 1...50 {
                    var batch: [PositionUpdate] = []
                    for r in registry.snapshot.responders {
                        batch.append(PositionUpdate(id: r.id, position: Coordinate(r.position.x + 1e-5, r.position.y), time: now + Double(round)))
                    }
                    registry.update(batch)
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<200 {
                        let snapshot = registry.snapshot
                        let times = Set(snapshot.responders.map(\.updatedAt))
                        #expect(times.count == 1 || snapshot.generation == 0)
                        _ = NearestResponders.query(snapshot, near: Coordinate(120.22, 30.3), k: 5, filter: ResponderFilter(), now: now + 100)
                    }
                }
            }
        }
        #expect(registry.snapshot.responders.allSatisfy { $0.updatedAt == now + 50 })
    }

    /// Speeds from the command line override the defaults and change the arrival estimate; bad
    /// entries are named.
    @Test func travelSpeedsCanBeConfigured() throws {
        let speeds = try TravelSpeeds.urban.overridden(by: "police=10, grid_worker=1.5,default=3")
        #expect(speeds.speed("police") == 10)
        #expect(speeds.speed("grid_worker") == 1.5)
        #expect(speeds.speed("fire") == TravelSpeeds.urban.speed("fire"))
        #expect(speeds.speed("drone") == 3)
        let r = Responder(id: "P1", kind: "police", position: Coordinate(120.2, 30.3), updatedAt: 0)
        let index = ResponderIndex(responders: [r])
        let p = Coordinate(120.21, 30.3)
        let fast = try #require(NearestResponders.query(index, near: p, k: 1, filter: ResponderFilter(), now: 0, speeds: speeds).first)
        let usual = try #require(NearestResponders.query(index, near: p, k: 1, filter: ResponderFilter(), now: 0).first)
        #expect(abs(fast.eta - fast.distance / 10) < 1e-9)
        #expect(abs(usual.eta - usual.distance / 8) < 1e-9)
        for (bad, place) in [("police", "entry 1"), ("police=fast", "entry 1"), ("fire=9,medical=-1", "entry 2"), ("=4", "entry 1"),
                             ("police=8,,fire=9", "entry 2")] {
            let error = #expect(throws: GridwallError.self) { try TravelSpeeds.urban.overridden(by: bad) }
            #expect(error?.location?.contains(place) == true, "\(bad): \(String(describing: error))")
        }
    }
}
