import Foundation
import Model
import Store
import XCTest

/// What every `BatchStore` driver must do, written once: a driver's tests call `run` with a way
/// to open a fresh store, and a new driver passes all of it or it is not done (as swift-log's
/// `LogHandler` and Hummingbird's persist drivers are held to shared suites).
public enum BatchStoreContract {
    /// Opens a fresh, empty store on `clock`, and returns two connections to it (two processes;
    /// an in-process driver may return the same instance twice).
    public typealias Open = @Sendable (_ clock: TestClock) async throws -> (any BatchStore, any BatchStore)

    /// Runs every check, each on a fresh store; a failure names its check.
    public static func run(_ open: Open, file: StaticString = #filePath, line: UInt = #line) async throws {
        for (name, check) in checks {
            let clock = TestClock()
            let (store, other) = try await open(clock)
            do {
                try await check(Context(store: store, other: other, clock: clock, name: name))
            } catch {
                XCTFail("\(name): \(error)", file: file, line: line)
            }
        }
    }

    /// One check's store, second connection, clock and name.
    public struct Context: Sendable {
        public let store: any BatchStore
        public let other: any BatchStore
        public let clock: TestClock
        public let name: String
    }

    static let policy = RetryPolicy(maxAttempts: 3, firstDelay: 30)
    static let alice = WorkerID(rawValue: "host-a:101:aaaa")
    static let bob = WorkerID(rawValue: "host-b:202:bbbb")

    static func request(
        _ name: String, content: String? = nil, pipelineHash: String = "p1", priority: Int = 0
    ) -> JobRequest {
        JobRequest(
            path: "/data/\(name)", sha256: "sha-\(content ?? name)", sizeBytes: 10, modified: 1, pipeline: "default",
            pipelineHash: pipelineHash, priority: priority)
    }

    static func entry(for job: Job, error: String? = nil) -> ResultEntry {
        ResultEntry(
            file: job.path, status: error == nil ? .ok : .failed, error: error,
            pipeline: job.pipeline, pipelineHash: job.pipelineHash, fusedEmotion: error == nil ? "happy" : nil)
    }

    static let checks: [(String, @Sendable (Context) async throws -> Void)] = [
        ("enqueue skips the same content and pipeline; force requeues", enqueueSkipsAndForceRequeues),
        (
            "a file's new content replaces its failed job; a skipped file's size and time are remembered",
            newContentReplacesAFailedJob
        ),
        ("claims go by priority, then queue order", claimsByPriorityThenOrder),
        ("concurrent claims take each job exactly once", concurrentClaimsTakeEachJobOnce),
        ("an expired lease passes the job on and the late result is refused", expiredLeaseAndLateResult),
        ("a job whose worker dies on every attempt fails with the reason", deadWorkerJobFails),
        ("release returns jobs without counting the attempt", releaseKeepsTheAttempt),
        ("a failed analysis fails the job at once; retry-failed resets it", failedAnalysisAndRetry),
        ("a given-back job waits out its doubling delay, then fails", givenBackJobWaitsItsDelay),
        ("postpone puts a job back without counting the attempt", postponeKeepsTheAttempt),
        ("clear removes queued and failed jobs only", clearRemovesQueuedAndFailed),
        ("rate and ETA come from recently finished jobs", rateAndETA),
        ("results since, and the latest per file", resultsSinceAndLatest),
        ("the known digest needs the same path, size and time", knownDigest),
        ("a result's document comes back with it; a newer one replaces it", documentsComeBack),
        ("a human label replaces an earlier one", labelsReplace),
        ("jobs are found by id, content, state, time and emotion, a page at a time", jobsAreFound),
        ("cancel removes a queued job only", cancelRemovesQueuedOnly),
        ("one file's result comes back with its document", oneResultComesBack),
    ]

    // MARK: Queueing

    static func enqueueSkipsAndForceRequeues(_ c: Context) async throws {
        let store = c.store
        try await expectEqual(
            try await store.enqueue([request("a.mp4"), request("b.mp4")], force: false), [.added, .added], c.name)
        try await expectEqual(
            try await store.enqueue([request("a.mp4"), request("copy.mp4", content: "b.mp4")], force: false),
            [.skipped(state: .queued, path: "/data/a.mp4"), .skipped(state: .queued, path: "/data/b.mp4")], c.name)
        try await expectEqual(
            try await store.enqueue([request("a.mp4", pipelineHash: "p2")], force: false), [.added], c.name)
        let job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(try await store.complete(job, entry: entry(for: job), document: nil), c.name)
        try await expectEqual(
            try await store.enqueue([request("a.mp4")], force: false),
            [.skipped(state: .done, path: "/data/a.mp4")], c.name)
        try await expectEqual(try await store.enqueue([request("a.mp4")], force: true), [.requeued], c.name)
        let counts = try await store.counts()
        XCTAssertEqual([counts.queued, counts.done], [3, 0], c.name)
    }

    static func newContentReplacesAFailedJob(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("clip.mp4", content: "cut-off")], force: false)
        let job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(
            try await store.complete(job, entry: entry(for: job, error: "incomplete file"), document: nil), c.name)
        try await expectEqual(
            try await store.enqueue([request("clip.mp4", content: "whole")], force: false), [.added], c.name)
        let counts = try await store.counts()
        XCTAssertEqual([counts.queued, counts.failed], [1, 0], "\(c.name): the old content's failed job went")

        var grown = request("clip.mp4", content: "whole")
        grown.sizeBytes = 20
        grown.modified = 2
        try await expectEqual(
            try await store.enqueue([grown], force: false), [.skipped(state: .queued, path: "/data/clip.mp4")], c.name)
        try await expectEqual(
            try await store.knownDigest(path: "/data/clip.mp4", sizeBytes: 20, modified: 2), "sha-whole", c.name)
    }

    static func jobsAreFound(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("a"), request("b")], force: false)
        c.clock.advance(100)
        _ = try await store.enqueue([request("c"), request("d", pipelineHash: "p2")], force: false)
        let all = try await store.jobs(JobQuery())
        try await expectEqual(all.map(\.path), ["/data/a", "/data/b", "/data/c", "/data/d"], c.name)
        try await expectEqual(
            all.map(\.queuedAt), [c.clock.now - 100, c.clock.now - 100, c.clock.now, c.clock.now], c.name)

        let a = try await unwrap(try await c.other.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(try await c.other.complete(a, entry: entry(for: a), document: nil), c.name)
        let found = try await unwrap(try await store.jobs(JobQuery(id: a.id)).first, c.name)
        XCTAssertEqual([found.path, found.state.rawValue], ["/data/a", "done"], c.name)
        XCTAssertEqual(found.finishedAt, c.clock.now, "\(c.name): finished on the store's clock")

        let d = try await store.jobs(JobQuery(sha256: "sha-d", pipelineHash: "p2"))
        try await expectEqual(d.map(\.path), ["/data/d"], c.name)
        try await expectEqual(try await store.jobs(JobQuery(sha256: "sha-d", pipelineHash: "p1")).count, 0, c.name)
        try await expectEqual(try await store.jobs(JobQuery(state: .queued)).map(\.path).count, 3, c.name)
        try await expectEqual(
            try await store.jobs(JobQuery(queuedSince: c.clock.now - 1)).map(\.path), ["/data/c", "/data/d"], c.name)
        try await expectEqual(try await store.jobs(JobQuery(fusedEmotion: "happy")).map(\.path), ["/data/a"], c.name)
        try await expectEqual(try await store.jobs(JobQuery(fusedEmotion: "sad")).count, 0, c.name)

        let first = try await store.jobs(JobQuery(limit: 3))
        let next = try await store.jobs(JobQuery(afterID: first.last?.id, limit: 3))
        try await expectEqual((first + next).map(\.id), all.map(\.id), "\(c.name): pages follow each other")
        try await expectEqual(try await store.jobs(JobQuery(id: Int64.max)).count, 0, c.name)
    }

    static func cancelRemovesQueuedOnly(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("a"), request("b")], force: false)
        let running = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        let queued = try await unwrap(try await store.jobs(JobQuery(state: .queued)).first, c.name)
        try await expectEqual(try await c.other.cancel(queued.id), .queued, c.name)
        try await expectEqual(try await store.jobs(JobQuery(id: queued.id)).count, 0, "\(c.name): the job is gone")
        try await expectEqual(try await store.cancel(queued.id), nil, "\(c.name): a second cancel finds nothing")
        try await expectEqual(try await store.cancel(running.id), .running, c.name)
        try await expectEqual(try await store.counts().running, 1, "\(c.name): a running job stays")
        try await expectTrue(try await store.complete(running, entry: entry(for: running), document: nil), c.name)
        try await expectEqual(try await store.cancel(running.id), .done, c.name)
        try await expectEqual(try await store.counts().done, 1, "\(c.name): a finished job stays")
    }

    static func oneResultComesBack(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("a.mp4"), request("b.mp4")], force: false)
        let a = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        let document = Data(#"{"file": {"path": "/data/a.mp4"}}"#.utf8)
        try await expectTrue(try await store.complete(a, entry: entry(for: a), document: document), c.name)
        let b = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(try await store.complete(b, entry: entry(for: b, error: "broken"), document: nil), c.name)

        let found = try await unwrap(try await c.other.result(of: "/data/a.mp4"), c.name)
        XCTAssertEqual(found.entry, entry(for: a), c.name)
        try await expectSameJSON(found.document, document, c.name)
        let failed = try await unwrap(try await store.result(of: "/data/b.mp4"), c.name)
        XCTAssertEqual([failed.entry.status.rawValue, failed.entry.error], ["failed", "broken"], c.name)
        XCTAssertNil(failed.document, c.name)
        try await expectNil(try await store.result(of: "/data/none.mp4"), c.name)
    }

    static func claimsByPriorityThenOrder(_ c: Context) async throws {
        _ = try await c.store.enqueue(
            [request("first"), request("second"), request("urgent", priority: 5)], force: false)
        var claimed: [String?] = []
        for _ in 0..<4 { claimed.append(try await c.store.claim(for: alice, lease: 60, policy: policy)?.path) }
        XCTAssertEqual(claimed, ["/data/urgent", "/data/first", "/data/second", nil], c.name)
        try await expectEqual(try await c.store.counts().running, 3, c.name)
    }

    static func concurrentClaimsTakeEachJobOnce(_ c: Context) async throws {
        let count = 60
        _ = try await c.store.enqueue((0..<count).map { request("clip-\($0)") }, force: false)
        let connections = [c.store, c.other]
        let ids = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    let id = WorkerID(rawValue: "host:\(worker):w")
                    while let job = try await connections[worker % 2].claim(for: id, lease: 60, policy: policy) {
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        XCTAssertEqual(ids.count, count, "\(c.name): every job claimed")
        XCTAssertEqual(Set(ids).count, count, "\(c.name): no job claimed twice")
    }

    // MARK: Leases

    static func expiredLeaseAndLateResult(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("a.mp4")], force: false)
        let first = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        c.clock.advance(59)
        try await expectNil(
            try await store.claim(for: bob, lease: 60, policy: policy), "\(c.name): the lease still holds")
        try await expectEqual(try await store.renewLeases(of: alice, lease: 60), 1, c.name)
        c.clock.advance(59)
        try await expectNil(try await store.claim(for: bob, lease: 60, policy: policy), "\(c.name): renewed")
        c.clock.advance(2)
        let second = try await unwrap(try await store.claim(for: bob, lease: 60, policy: policy), c.name)
        XCTAssertEqual(second.id, first.id, c.name)
        XCTAssertEqual(second.attempts, 2, c.name)

        try await expectFalse(
            try await store.complete(first, entry: entry(for: first), document: nil), "\(c.name): alice lost the job")
        try await expectEqual(try await store.resultCount(), 0, c.name)
        try await expectTrue(try await store.complete(second, entry: entry(for: second), document: nil), c.name)
        try await expectEqual(try await store.counts().done, 1, c.name)
        try await expectEqual(try await store.results(since: nil).map(\.file), ["/data/a.mp4"], c.name)
    }

    static func deadWorkerJobFails(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("crasher.mp4")], force: false)
        for attempt in 1...3 {
            let job = try await unwrap(
                try await store.claim(for: alice, lease: 10, policy: policy), "\(c.name): attempt \(attempt)")
            XCTAssertEqual(job.attempts, attempt, c.name)
            try await expectEqual(try await store.workersHoldingJobs(), [alice], c.name)
            try await expectEqual(try await store.expireLeases(of: alice), 1, c.name)
        }
        try await expectNil(try await store.claim(for: alice, lease: 10, policy: policy), c.name)
        let counts = try await store.counts()
        XCTAssertEqual([counts.failed, counts.running], [1, 0], c.name)
        let result = try await unwrap(try await store.results(since: nil).first, c.name)
        XCTAssertEqual(result.status, .failed, c.name)
        XCTAssertEqual(
            result.error, "/data/crasher.mp4: the worker analysing it stopped without finishing, 3 times", c.name)
    }

    static func releaseKeepsTheAttempt(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("a.mp4"), request("b.mp4")], force: false)
        _ = try await store.claim(for: alice, lease: 60, policy: policy)
        _ = try await store.claim(for: bob, lease: 60, policy: policy)
        try await expectEqual(Set(try await store.workersHoldingJobs()), [alice, bob], c.name)
        try await expectEqual(try await store.release(alice), 1, c.name)
        try await expectEqual(try await store.workersHoldingJobs(), [bob], c.name)
        let again = try await unwrap(try await store.claim(for: bob, lease: 60, policy: policy), c.name)
        XCTAssertEqual(again.path, "/data/a.mp4", c.name)
        XCTAssertEqual(again.attempts, 1, c.name)
    }

    // MARK: Outcomes

    static func failedAnalysisAndRetry(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("broken.mp4")], force: false)
        let job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(
            try await store.complete(job, entry: entry(for: job, error: "not a readable media file"), document: nil),
            c.name)
        try await expectEqual(try await store.counts().failed, 1, c.name)
        try await expectNil(try await store.claim(for: alice, lease: 60, policy: policy), "\(c.name): not retried")
        try await expectEqual(try await store.retryFailed(), 1, c.name)
        let retried = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        XCTAssertEqual(retried.attempts, 1, "\(c.name): retry-failed resets the attempts")
    }

    static func givenBackJobWaitsItsDelay(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("flaky.mp4")], force: false)
        var job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectEqual(try await store.giveBack(job, reason: "disk full", policy: policy), .queued, c.name)
        try await expectEqual(try await store.counts().waitingToRetry, 1, c.name)
        c.clock.advance(29)
        try await expectNil(
            try await store.claim(for: alice, lease: 60, policy: policy), "\(c.name): 30 s after the first try")
        c.clock.advance(2)
        job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectEqual(try await store.giveBack(job, reason: "disk full", policy: policy), .queued, c.name)
        c.clock.advance(59)
        try await expectNil(
            try await store.claim(for: alice, lease: 60, policy: policy), "\(c.name): 60 s after the second")
        c.clock.advance(2)
        job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        XCTAssertEqual(job.attempts, 3, c.name)
        try await expectEqual(try await store.giveBack(job, reason: "disk full", policy: policy), .failed, c.name)
        try await expectEqual(
            try await store.results(since: nil).first?.error, "/data/flaky.mp4: disk full (after 3 attempts)", c.name)
    }

    static func postponeKeepsTheAttempt(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("growing.mp4")], force: false)
        let job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(try await store.postpone(job, reason: "still being written", delay: 30), c.name)
        try await expectFalse(try await store.postpone(job, reason: "again", delay: 30), "\(c.name): no longer held")
        c.clock.advance(29)
        try await expectNil(try await store.claim(for: alice, lease: 60, policy: policy), "\(c.name): the delay holds")
        c.clock.advance(2)
        let again = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        XCTAssertEqual(again.attempts, 1, "\(c.name): the postponed attempt did not count")
    }

    static func clearRemovesQueuedAndFailed(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue(["running", "done", "failed", "queued"].map { request($0) }, force: false)
        let running = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        let done = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(try await store.complete(done, entry: entry(for: done), document: nil), c.name)
        let failed = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        try await expectTrue(
            try await store.complete(failed, entry: entry(for: failed, error: "bad"), document: nil), c.name)

        try await expectEqual(try await store.clearQueue(), 2, c.name)
        let counts = try await store.counts()
        XCTAssertEqual([counts.queued, counts.running, counts.done, counts.failed], [0, 1, 1, 0], c.name)
        XCTAssertEqual(running.path, "/data/running", c.name)
        try await expectEqual(try await store.resultCount(), 2, "\(c.name): results are kept")
    }

    // MARK: Counts and results

    static func rateAndETA(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue((0..<6).map { request("clip-\($0)") }, force: false)
        try await expectNil(try await store.counts().perMinute, c.name)
        for _ in 0..<2 {
            let job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
            c.clock.advance(30)
            try await expectTrue(try await store.complete(job, entry: entry(for: job), document: nil), c.name)
        }
        let counts = try await store.counts()
        XCTAssertEqual(
            try XCTUnwrap(counts.perMinute), 2, accuracy: 1e-9,
            "\(c.name): two files in the minute since the first started")
        XCTAssertEqual(try XCTUnwrap(counts.etaSeconds), 120, accuracy: 1e-9, "\(c.name): four left at two a minute")
        c.clock.advance(3600)
        try await expectNil(try await store.counts().perMinute, "\(c.name): nothing finished in the last ten minutes")
    }

    static func resultsSinceAndLatest(_ c: Context) async throws {
        let store = c.store
        try await store.record(ResultEntry(file: "/data/a.mp4", status: .ok), document: nil)
        c.clock.advance(100)
        let cut = c.clock.now
        try await store.record(ResultEntry(file: "/data/b.mp4", status: .ok), document: nil)
        try await store.record(ResultEntry(file: "/data/a.mp4", status: .failed, error: "again"), document: nil)
        try await expectEqual(try await store.results(since: nil).map(\.file), ["/data/a.mp4", "/data/b.mp4"], c.name)
        try await expectEqual(try await store.results(since: cut).count, 2, c.name)
        c.clock.advance(1)
        try await expectEqual(try await store.results(since: c.clock.now).count, 0, c.name)
        try await expectEqual(
            try await store.results(since: nil).first?.error, "again", "\(c.name): the latest result replaces the older"
        )
        try await expectEqual(try await store.resultCount(), 2, c.name)
    }

    static func documentsComeBack(_ c: Context) async throws {
        let store = c.store
        _ = try await store.enqueue([request("a.mp4")], force: false)
        let job = try await unwrap(try await store.claim(for: alice, lease: 60, policy: policy), c.name)
        let document = Data(
            #"{"file": {"path": "/data/a.mp4"}, "scores": [0.25, 1.5e-05], "text": "é \"q\" <b>"}"#.utf8)
        try await expectTrue(try await store.complete(job, entry: entry(for: job), document: document), c.name)
        try await expectSameJSON(try await store.documents(of: ["/data/a.mp4"])["/data/a.mp4"], document, c.name)

        let newer = Data(#"{"version": 2}"#.utf8)
        try await store.record(ResultEntry(file: "/data/a.mp4", status: .ok), document: newer)
        try await store.record(ResultEntry(file: "/data/b.mp4", status: .failed, error: "unreadable"), document: nil)
        try await store.record(ResultEntry(file: "/data/c.mp4", status: .ok), document: Data(#"{"c": true}"#.utf8))
        let found = try await store.documents(of: ["/data/a.mp4", "/data/b.mp4", "/data/c.mp4", "/data/none.mp4"])
        XCTAssertEqual(
            found.keys.sorted(), ["/data/a.mp4", "/data/c.mp4"],
            "\(c.name): a result without a document and a file without a result are absent")
        try await expectSameJSON(found["/data/a.mp4"], newer, "\(c.name): the newer replaces it")
        try await expectSameJSON(found["/data/c.mp4"], Data(#"{"c": true}"#.utf8), c.name)
        try await expectEqual(try await store.documents(of: []), [:], c.name)
    }

    static func knownDigest(_ c: Context) async throws {
        _ = try await c.store.enqueue([request("a.mp4")], force: false)
        try await expectEqual(
            try await c.store.knownDigest(path: "/data/a.mp4", sizeBytes: 10, modified: 1), "sha-a.mp4", c.name)
        try await expectNil(try await c.store.knownDigest(path: "/data/a.mp4", sizeBytes: 11, modified: 1), c.name)
        try await expectNil(try await c.store.knownDigest(path: "/data/b.mp4", sizeBytes: 10, modified: 1), c.name)
    }

    static func labelsReplace(_ c: Context) async throws {
        try await c.store.setLabel(HumanLabel(file: "/data/b.mp4", emotion: "sad", source: "cli"))
        try await c.store.setLabel(HumanLabel(file: "/data/a.mp4", emotion: "happy", source: "cli"))
        try await c.store.setLabel(HumanLabel(file: "/data/b.mp4", emotion: "angry", source: "fixes.csv"))
        try await expectEqual(
            try await c.store.labels(),
            [
                HumanLabel(file: "/data/a.mp4", emotion: "happy", source: "cli"),
                HumanLabel(file: "/data/b.mp4", emotion: "angry", source: "fixes.csv"),
            ], c.name)
    }

    // MARK: Assertions on async values (XCTest's take no `await`)

    static func expectEqual<T: Equatable>(
        _ value: @autoclosure () async throws -> T, _ expected: T, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let actual = try await value()
        XCTAssertEqual(actual, expected, message, file: file, line: line)
    }

    /// The same JSON content, whatever the spacing and key order.
    static func expectSameJSON(
        _ value: @autoclosure () async throws -> Data?, _ expected: Data, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let value = try await value()
        let actual = try XCTUnwrap(value, message, file: file, line: line)
        let parse = { (data: Data) in try JSONSerialization.jsonObject(with: data) as? NSDictionary }
        XCTAssertEqual(try parse(actual), try parse(expected), message, file: file, line: line)
    }

    static func expectNil<T>(
        _ value: @autoclosure () async throws -> T?, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let actual = try await value()
        XCTAssertNil(actual, message, file: file, line: line)
    }

    static func expectTrue(
        _ value: @autoclosure () async throws -> Bool, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let actual = try await value()
        XCTAssertTrue(actual, message, file: file, line: line)
    }

    static func expectFalse(
        _ value: @autoclosure () async throws -> Bool, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let actual = try await value()
        XCTAssertFalse(actual, message, file: file, line: line)
    }

    static func unwrap<T>(
        _ value: @autoclosure () async throws -> T?, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> T {
        let actual = try await value()
        return try XCTUnwrap(actual, message, file: file, line: line)
    }
}
