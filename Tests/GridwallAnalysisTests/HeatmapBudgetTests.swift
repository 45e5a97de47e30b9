// No heatmap request can make the analysis work or allocate without bound: random parameter
// values, hostile ones among them (0.5 m bins with every empty bin, infinite distances, huge k,
// NaN, 1e-300), go through the same parser and analysis as GET /heatmap on the sample district.
// Each must be answered or refused with a Gridwall error (never a trap), within a time and a
// memory budget, and the refusals over a budget must name a parameter.
import Foundation
import PropertyBased
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallTestSupport

@Suite(.serialized) struct HeatmapBudgetTests {
    /// Values a client might send, ordinary and hostile, per parameter.
    static let choices: [String: [String]] = [
        "by": ["grid", "hex", "square", "kde", "gistar", "emerging", "nonsense"],
        "size_m": ["0.5", "1e-300", "10", "50", "250", "500", "5000", "1e9", "inf", "nan", "-5", "abc"],
        "cell_m": ["1", "5", "10", "50", "200", "1e-300", "1e12", "inf"],
        "bandwidth_m": ["10", "300", "2000", "50000", "1e308", "nan", "0"],
        "weights": ["queen", "rook", "distance:inf", "distance:1e308", "distance:50000", "distance:2000", "distance:0", "knn:1",
                    "knn:8", "knn:64", "knn:100000", "knn:-1", "bogus"],
        "units": ["grid", "hex", "square", "kde"],
        "empty": ["true", "false", "maybe"],
        "format": ["png", "json", "geojson"],
        "level": ["grid", "community", "street", "district"],
        "classify": ["quantile", "jenks", "fixed"],
        "thresholds": ["1,2,3,4", "inf,1,2,3", "4,3,2,1"],
        "levels": ["1,2,3,4,5", "nan,1,2,3,4"],
        "crs": ["EPSG:32651", "EPSG:3857", "EPSG:4326", "EPSG:999999"],
        "from": ["2026-11-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "yesterday"],
        "to": ["2026-11-08T00:00:00Z", "9999-12-31T23:59:59Z"],
        "bbox": ["120.2,30.28,120.25,30.33", "-180,-90,180,90", "1,1,0,0"],
        "category": ["illegal_parking", "noise,garbage", "no_such"],
        "status": ["reported", "resolved"],
        "step": ["day", "week", "hour", "fortnight"],
        "steps": ["2", "12", "520", "521", "0", "-3", "1e9", "x"],
        "lags": ["0", "1", "12", "13", "-1", "nan"],
    ]

    /// Peak resident memory of this process so far, in bytes.
    static func peakResident() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// One request from a seed: `by` plus a few other parameters.
    static func randomQuery(_ seed: Int) -> [String: String] {
        var rng = SeededRandom(seed: UInt64(seed))
        func pick(_ name: String) -> String { let c = choices[name]!; return c[rng.int(0, c.count - 1)] }
        var query = ["by": pick("by")]
        let others = choices.keys.filter { $0 != "by" }.sorted()
        for _ in 0..<rng.int(1, 5) {
            let name = others[rng.int(0, others.count - 1)]
            query[name] = pick(name)
        }
        return query
    }

    /// Runs one request; returns the refusal, if any. Anything but a GridwallError is a failure.
    static func run(_ query: [String: String], on analysis: EventAnalysis) -> GridwallError? {
        do {
            let request = try HeatmapRequest(given: Array(query.keys)) { query[$0] }
            _ = try analysis.heatmap(request).geoJSON
            return nil
        } catch let e as GridwallError {
            return e
        } catch {
            Issue.record("\(query): not a GridwallError: \(error)")
            return nil
        }
    }

    // One second per request in an optimised build (see Docs/heatmaps.md for the command). The
    // debug build `scripts/test` runs is 10–30× slower on these loops and shares the cores with
    // the other suites, so there the budget only catches work without bound (a minute).
    #if DEBUG
    static let secondsPerRequest = 60.0
    #else
    static let secondsPerRequest = 1.0
    #endif
    static let growthBudget = 1 << 30

    @Test func randomRequestsStayWithinBudget() async throws {
        let analysis = EventAnalysisTests.sample.analysis
        _ = Self.run(["by": "grid"], on: analysis)   // warm up before measuring memory
        let startPeak = Self.peakResident()
        var slowest = (0.0, [String: String]())
        var refused = 0, overBudget = 0
        await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000)) { seed in
            let query = Self.randomQuery(seed)
            let clock = ContinuousClock.now
            let error = Self.run(query, on: analysis)
            let seconds = Double((ContinuousClock.now - clock).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - clock).components.seconds)
            if seconds > slowest.0 { slowest = (seconds, query) }
            #expect(seconds < Self.secondsPerRequest, "seed \(seed): \(query) took \(seconds) s")
            if let error {
                refused += 1
                #expect(error.location != nil, "seed \(seed): \(query): the error names no parameter: \(error)")
                if error.code == .overBudget { overBudget += 1 }
            }
        }
        let growth = Self.peakResident() - startPeak
        print("heatmap budget: 100 random requests, \(refused) refused (\(overBudget) over budget); slowest \(slowest.0) s: \(slowest.1); "
              + "peak memory grew \(growth >> 20) MB")
        #expect(growth < Self.growthBudget, "peak memory grew by \(growth >> 20) MB")
    }

    /// The heaviest requests the limits still allow, each answered (or refused for a budget)
    /// within the time per request: the random ones above rarely land on these.
    @Test(arguments: [
        ["by": "kde", "bandwidth_m": "600", "cell_m": "50"],
        ["by": "kde", "bandwidth_m": "84", "cell_m": "7"],
        ["by": "kde", "bandwidth_m": "120", "cell_m": "20"],
        ["by": "kde", "bandwidth_m": "300", "cell_m": "36", "format": "geojson"],
        ["by": "hex", "size_m": "10"],
        ["by": "gistar", "units": "square", "size_m": "80", "empty": "true"],
        ["by": "gistar", "units": "hex", "size_m": "100", "weights": "distance:1000"],
        ["by": "gistar", "units": "square", "size_m": "100", "weights": "knn:64"],
        ["by": "emerging", "units": "square", "size_m": "10", "step": "day", "steps": "520", "lags": "12"],
        ["by": "emerging", "units": "square", "size_m": "80", "step": "day", "steps": "520", "lags": "12"],
        ["by": "emerging", "units": "grid", "step": "day", "steps": "520", "lags": "12"],
        ["by": "emerging", "units": "hex", "size_m": "250", "step": "week", "steps": "52", "lags": "12"],
        ["by": "emerging", "units": "grid", "step": "day", "steps": "520", "lags": "3"],
        ["by": "emerging", "units": "square", "size_m": "500", "step": "day", "steps": "520", "lags": "2"],
    ])
    func heaviestAllowedRequestsStayWithinTime(_ query: [String: String]) {
        let clock = ContinuousClock.now
        let error = Self.run(query, on: EventAnalysisTests.sample.analysis)
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("heaviest: \(query): \(seconds) s\(error.map { ", refused: \($0)" } ?? "")")
        #expect(seconds < Self.secondsPerRequest, "\(query) took \(seconds) s")
        if let error { #expect(error.code == .overBudget, "\(query): \(error)") }
    }

    /// The requests the hardening issue named, each refused with the parameter and the limit.
    @Test(arguments: [
        (["by": "gistar", "units": "square", "size_m": "0.5", "empty": "true"], "size_m"),
        (["by": "gistar", "units": "square", "size_m": "10", "empty": "true"], "size_m"),
        (["by": "gistar", "weights": "distance:inf"], "weights"),
        (["by": "gistar", "units": "hex", "size_m": "50", "weights": "distance:50000"], "weights"),
        (["by": "gistar", "weights": "knn:100000"], "weights"),
        (["by": "hex", "size_m": "1e-300"], "size_m"),
        (["by": "kde", "bandwidth_m": "50000", "cell_m": "5"], "cell_m"),
        (["by": "kde", "cell_m": "5", "bandwidth_m": "10"], "cell_m"),
    ])
    func namedRequestsAreRefused(_ query: [String: String], _ parameter: String) throws {
        let error = try #require(Self.run(query, on: EventAnalysisTests.sample.analysis), "\(query) was answered")
        #expect(error.location == parameter, "\(query): \(error)")
        let givesALimit = error.message.contains { $0.isNumber }
        #expect(givesALimit, "the message gives the limit: \(error.message)")
    }
}
