// Live event ingest: check, assign, write durably, then make visible. Requests hand their
// batches to one writer, which commits everything waiting in a single transaction (group
// commit: one fsync serves every request that arrived meanwhile, so single events are cheap
// too) and hands the commit to a publisher, which appends the new events to the heatmap
// analysis and the live stream, and only then answers the requests. An answer therefore means:
// on disk, in /heatmap, on /stream. For big commits the two run on their own threads, so the
// next commit's SQLite work overlaps the last one's appends (a fifth of the writer's time when
// it did both; batches of 1,000 went 15 % faster in A/B loads).
import Foundation
import GridwallCore
import GridwallStore

/// Takes events from POST /events into the store, the analysis and the stream.
public final class EventIngest: Sendable {
    let store: GeoStore
    let assignment: AssignmentService
    let heatmaps: HeatmapService
    let hub: EventHub
    let categories: CategoryKinds
    let metrics: ServerMetrics

    private struct Job: Sendable {
        var events: [IngestEvent]
        /// Each event's stream message, made by the request (in parallel), published by the writer.
        var messages: [StreamMessage]
        var continuation: CheckedContinuation<Result<[IngestedEvent], GridwallError>, Error>
    }
    private struct Pending: Sendable {
        var jobs: [Job] = []
        var writing = false
    }
    private let pending = Locked(Pending())
    /// The writer runs on its own thread: SQLite's fsync must not hold up the event loops.
    private let writer = DispatchQueue(label: "gridwall.ingest")
    /// Appends, publishes and answers each commit, in commit order.
    private let publisher = DispatchQueue(label: "gridwall.ingest.publish")
    /// Commits of at least this many events are published while the writer goes on.
    public static let eventsPublishedAside = 500
    /// One commit takes at most this many events (later ones wait for the next).
    static let eventsPerCommit = 50_000

    /// Commits so far and the events they stored.
    public let commits = Locked((commits: 0, events: 0))

    /// Where events may be (the areas' extent and a margin); nil takes any position.
    let serviceArea: ServiceArea?

    public init(store: GeoStore, assignment: AssignmentService, heatmaps: HeatmapService, hub: EventHub, categories: CategoryKinds,
                serviceArea: ServiceArea?, metrics: ServerMetrics) {
        self.store = store; self.assignment = assignment; self.heatmaps = heatmaps; self.hub = hub; self.categories = categories
        self.serviceArea = serviceArea; self.metrics = metrics
    }

    /// Assigns `events` (grid and building, when the client did not name them) and checks their
    /// categories and positions, throwing at the first bad one; returns the snapshot used and
    /// each event's assignment (the answers are written from it).
    func prepare(_ events: inout [IngestEvent]) throws -> (snapshot: AssignmentSnapshot, assignments: [PointAssignment]) {
        let snapshot = assignment.snapshot
        var assignments: [PointAssignment] = []
        assignments.reserveCapacity(events.count)
        for i in events.indices {
            _ = try categories.kinds(for: events[i].category, at: "\(events[i].place).category")
            // An event thousands of kilometres away is a mistake (swapped or zeroed coordinates),
            // not a report for this district: refused, where one just outside the grids is kept
            // as outside with its nearest grid.
            if let problem = serviceArea?.problem(with: events[i].position) {
                throw GridwallError(.invalidInput, "the event's position \(problem)", at: events[i].place)
            }
            let a = snapshot.engine.assign(x: events[i].position.x, y: events[i].position.y)
            if events[i].gridID == nil, a.grid >= 0 { events[i].gridID = snapshot.engine.grids[Int(a.grid)].gridID }
            if events[i].buildingID == nil, a.building >= 0 { events[i].buildingID = snapshot.engine.buildingIDs[Int(a.building)] }
            assignments.append(a)
        }
        return (snapshot, assignments)
    }

    /// Writes one batch (all or nothing) in the next group commit; returns each event's
    /// outcome once it is durable, in the analysis and on the stream.
    func submit(_ events: [IngestEvent], snapshot: AssignmentSnapshot) async throws -> [IngestedEvent] {
        let messages = events.map { streamMessage($0, snapshot: snapshot) }
        let result = try await withCheckedThrowingContinuation { continuation in
            let start = pending.withLock { p -> Bool in
                p.jobs.append(Job(events: events, messages: messages, continuation: continuation))
                guard !p.writing else { return false }
                p.writing = true
                return true
            }
            if start { writer.async { self.drain() } }
        }
        return try result.get()
    }

    /// Commits what is waiting, in arrival order, until nothing is.
    private func drain() {
        while true {
            let (jobs, events) = pending.withLock { p -> ([Job], Int) in
                var taken = 0, count = 0
                while taken < p.jobs.count && (taken == 0 || count + p.jobs[taken].events.count <= Self.eventsPerCommit) {
                    count += p.jobs[taken].events.count
                    taken += 1
                }
                let jobs = Array(p.jobs.prefix(taken))
                p.jobs.removeFirst(taken)
                if jobs.isEmpty { p.writing = false }
                return (jobs, count)
            }
            guard !jobs.isEmpty else { return }
            let commit: IngestCommit
            do {
                commit = try heatmaps.committing { try store.ingest(jobs.map(\.events)) }
            } catch {
                for job in jobs { job.continuation.resume(throwing: error) }
                continue
            }
            // A big commit is published on the publisher's thread while the writer starts the
            // next; a small one on this thread once the ones before it are (`sync` runs the
            // block here, at once when the publisher is idle): waking another thread for a few
            // single events cost more than it saved (single events/s fell by a fifth in A/B loads).
            if events >= Self.eventsPublishedAside {
                publisher.async { self.publish(commit, of: jobs) }
            } else {
                publisher.sync { publish(commit, of: jobs) }
            }
        }
    }

    /// Makes a durable commit visible (the analysis, the stream), then answers its requests.
    private func publish(_ commit: IngestCommit, of jobs: [Job]) {
        var rows: [(fid: Int64, record: EventRecord)] = []
        var messages: [StreamMessage] = []
        for (job, outcome) in zip(jobs, commit.batches) {
            guard case .success(let results) = outcome else { continue }
            for ((e, r), m) in zip(zip(job.events, results), job.messages) {
                guard case .stored(let fid) = r else { continue }
                rows.append((fid, EventRecord(time: e.time, position: e.position, projected: e.position, category: e.category,
                                              status: e.status, source: e.source ?? "unknown", grid: -1, id: e.id, gridID: e.gridID)))
                messages.append(m)
            }
        }
        // Stored and durable whatever happens here: were the append to fail, the watcher's
        // next refresh would bring the analysis up to date.
        try? heatmaps.ingested(rows, after: commit.previousMaxFid, lastChange: commit.lastChange, store: store)
        hub.publish(messages)
        commits.withLock { c in c.commits += 1; c.events += messages.count }
        metrics.commit(events: messages.count)
        for (job, outcome) in zip(jobs, commit.batches) { job.continuation.resume(returning: outcome) }
    }

    /// The stream message announcing a stored event.
    func streamMessage(_ e: IngestEvent, snapshot: AssignmentSnapshot) -> StreamMessage {
        let grid = e.gridID.flatMap { snapshot.gridNumbers[$0] }
        return StreamMessage(kind: .event, data: EventAnswers.summary(e, grid: grid, fragments: snapshot.fragments), position: e.position,
                             category: e.category, areas: grid.map { snapshot.fragments.streamAreas[$0] } ?? [])
    }
}

extension GridChain {
    /// The ids a stream client's `area` filter matches: the grid, its community and street.
    var streamAreas: [String] { [gridID, communityID, streetID].compactMap { $0 } }
}

extension AssignmentSnapshot {
    /// The grid → community → street → district chain of the grid with id `gridID` (nil when
    /// there is none, or the grids were redrawn without it).
    func chain(ofGrid gridID: String?) -> GridChain? {
        gridID.flatMap { gridNumbers[$0] }.map { engine.grids[$0] }
    }
}
