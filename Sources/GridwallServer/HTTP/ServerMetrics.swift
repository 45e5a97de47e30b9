// GET /metrics: Prometheus text through swift-metrics (the API the code records with) and
// swift-prometheus (the registry that writes the format). Each server has its own registry
// instead of bootstrapping the process-wide MetricsSystem, so tests can run many servers.
import CoreMetrics
import Foundation
import GridwallCore
import Hummingbird
import HTTPTypes
import Prometheus

/// The metrics of one server.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private let eventsIngested: CoreMetrics.Counter
    private let commitSizes: any RecorderHandler

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests here take microseconds to seconds: finer buckets than the default 5 ms floor.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(10),
        ]
        factory.valueHistogramBuckets = ["gridwall_ingest_commit_events": [1, 2, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000]]
        self.factory = factory
        eventsIngested = CoreMetrics.Counter(label: "gridwall_events_ingested_total", factory: factory)
        // (swift-metrics has no Recorder initialiser taking a factory: the handler is made directly.)
        commitSizes = factory.makeRecorder(label: "gridwall_ingest_commit_events", dimensions: [], aggregate: true)
    }

    /// A request's counter and timer, by what labels them.
    private struct RequestLabels: Hashable { let route: String, method: String, status: Int }
    /// The counters and timers made so far: the registry would find them again by name and
    /// labels, but only after building the label arrays and taking its lock, a few per cent of a
    /// small request's time.
    private let requestMetrics = Locked<[RequestLabels: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    /// Counts a request and its time, by route template, method and status.
    func request(route: String, method: String, status: Int, seconds: Double) {
        let labels = RequestLabels(route: route, method: method, status: status)
        let (counter, timer) = requestMetrics.withLock { made in
            if let known = made[labels] { return known }
            let new = (CoreMetrics.Counter(label: "gridwall_http_requests_total",
                                           dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory),
                       CoreMetrics.Timer(label: "gridwall_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
                                         factory: factory))
            made[labels] = new
            return new
        }
        counter.increment()
        timer.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// One group commit of `events` events.
    func commit(events: Int) {
        eventsIngested.increment(by: events)
        commitSizes.record(Int64(events))
    }

    /// Sets a gauge (index sizes, stream clients, memory: read when scraped).
    func gauge(_ name: String, _ value: Double, _ dimensions: [(String, String)] = []) {
        CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
    }

    /// The Prometheus text.
    func text() -> String { registry.emitToString() }
}

/// Resident memory of process `pid` (this one by default) from Linux /proc; 0 where there is none.
public func residentBytes(of pid: Int32? = nil) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8) else { return 0 }
    return residentBytes(status: status)
}

/// The VmRSS line of a /proc/PID/status text, in bytes (0 without one).
func residentBytes(status: String) -> Int {
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    // "VmRSS:\t  123456 kB": the number is padded to eight places, so from 10 GB on no space
    // separates it from the tab.
    return (Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "0") ?? 0) * 1024
}

/// Times every request and counts it by route template (never by raw path: ids would make
/// the label set grow without bound), method and status; logs it at debug level (the logger
/// carries the request id).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = GridwallContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: GridwallContext, next: (Request, GridwallContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let route = context.endpointPath ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: response.status.code, seconds: seconds)
        context.logger.debug("request", metadata: ["method": .string(request.method.rawValue), "route": .string(route),
                                                   "status": .stringConvertible(response.status.code),
                                                   "ms": .string(String(format: "%.2f", seconds * 1000))])
        return response
    }
}
