import Foundation
import GRDB
import Store
import XCTest

final class SQLiteBatchStoreTests: XCTestCase {
    private var folder: URL!
    private let clock = TestClock()
    private let policy = RetryPolicy(maxAttempts: 3, firstDelay: 30)
    private let alice = WorkerID(rawValue: "host-a:101:aaaa")
    private let bob = WorkerID(rawValue: "host-b:202:bbbb")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-sqlite-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var databasePath: String { folder.appendingPathComponent("emoscan.sqlite").path }

    /// A connection to the test's database; several may be open at once, as several processes would.
    private func store(lockTimeout: TimeInterval = 5) throws -> SQLiteBatchStore {
        let clock = self.clock
        return try SQLiteBatchStore(path: databasePath, lockTimeout: lockTimeout, now: { clock.now })
    }

    private func request(_ name: String, content: String? = nil, pipelineHash: String = "p1", priority: Int = 0) -> JobRequest {
        JobRequest(path: "/data/\(name)", sha256: "sha-\(content ?? name)", sizeBytes: 10, modified: 1, pipeline: "default",
                   pipelineHash: pipelineHash, priority: priority)
    }

    private func row(for job: Job, status: String = "ok", error: String = "") -> SummaryRow {
        SummaryRow(values: ["file": job.path, "status": status, "error": error, "fused_emotion": status == "ok" ? "happy" : "",
                            "pipeline": job.pipeline, "pipeline_hash": job.pipelineHash])
    }

    // MARK: Queueing

    func testEnqueueSkipsTheSameContentAndPipelineAndForceRequeues() throws {
        let store = try store()
        XCTAssertEqual(try store.enqueue([request("a.mp4"), request("b.mp4")], force: false), [.added, .added])
        XCTAssertEqual(try store.enqueue([request("a.mp4"), request("copy.mp4", content: "b.mp4")], force: false),
                       [.skipped(state: .queued, path: "/data/a.mp4"), .skipped(state: .queued, path: "/data/b.mp4")])
        XCTAssertEqual(try store.enqueue([request("a.mp4", pipelineHash: "p2")], force: false), [.added])

        let job = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertTrue(try store.complete(job, row: row(for: job)))
        XCTAssertEqual(try store.enqueue([request("a.mp4")], force: false), [.skipped(state: .done, path: "/data/a.mp4")])
        XCTAssertEqual(try store.enqueue([request("a.mp4")], force: true), [.requeued])
        XCTAssertEqual(try store.counts().queued, 3)
        XCTAssertEqual(try store.counts().done, 0)
    }

    func testClaimsGoByPriorityThenQueueOrderAndNeverTwice() throws {
        let store = try store()
        _ = try store.enqueue([request("first"), request("second"), request("urgent", priority: 5)], force: false)
        let claimed = try (0..<4).map { _ in try store.claim(for: alice, lease: 60, policy: policy)?.path }
        XCTAssertEqual(claimed, ["/data/urgent", "/data/first", "/data/second", nil])
        XCTAssertEqual(try store.counts().running, 3)
    }

    func testConcurrentClaimsFromSeveralConnectionsTakeEachJobOnce() throws {
        let setup = try store()
        let count = 60
        _ = try setup.enqueue((0..<count).map { request("clip-\($0)") }, force: false)
        // Two connections stand for two processes, each claimed from by four threads at once.
        let connections = [try store(lockTimeout: 30), try store(lockTimeout: 30)]
        let claims = Claims()
        let policy = self.policy
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let worker = WorkerID(rawValue: "host:\(thread):w")
            do {
                while let job = try connections[thread % 2].claim(for: worker, lease: 60, policy: policy) {
                    claims.add(job.id)
                }
            } catch {
                claims.fail("\(error)")
            }
        }
        XCTAssertEqual(claims.errors, [])
        XCTAssertEqual(claims.ids.count, count, "every job claimed")
        XCTAssertEqual(Set(claims.ids).count, count, "no job claimed twice")
    }

    // MARK: Leases

    func testAnExpiredLeaseLetsAnotherWorkerTakeTheJobAndTheOldResultIsRefused() throws {
        let store = try store()
        _ = try store.enqueue([request("a.mp4")], force: false)
        let first = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        clock.advance(59)
        XCTAssertNil(try store.claim(for: bob, lease: 60, policy: policy), "the lease still holds")
        XCTAssertEqual(try store.renewLeases(of: alice, lease: 60), 1)
        clock.advance(59)
        XCTAssertNil(try store.claim(for: bob, lease: 60, policy: policy), "renewed")
        clock.advance(2)
        let second = try XCTUnwrap(store.claim(for: bob, lease: 60, policy: policy))
        XCTAssertEqual(second.id, first.id)
        XCTAssertEqual(second.attempts, 2)

        XCTAssertFalse(try store.complete(first, row: row(for: first)), "alice lost the job")
        XCTAssertEqual(try store.resultCount(), 0)
        XCTAssertTrue(try store.complete(second, row: row(for: second)))
        XCTAssertEqual(try store.counts().done, 1)
        XCTAssertEqual(try store.results(since: nil).map(\.file), ["/data/a.mp4"])
    }

    func testAJobWhoseWorkerDiesOnEveryAttemptFailsWithTheReason() throws {
        let store = try store()
        _ = try store.enqueue([request("crasher.mp4")], force: false)
        for attempt in 1...3 {
            let job = try XCTUnwrap(store.claim(for: alice, lease: 10, policy: policy), "attempt \(attempt)")
            XCTAssertEqual(job.attempts, attempt)
            XCTAssertEqual(try store.expireLeases(of: alice), 1)
        }
        XCTAssertNil(try store.claim(for: alice, lease: 10, policy: policy))
        let counts = try store.counts()
        XCTAssertEqual(counts.failed, 1)
        XCTAssertEqual(counts.running, 0)
        let result = try XCTUnwrap(store.results(since: nil).first)
        XCTAssertEqual(result.values["status"], "failed")
        XCTAssertEqual(result.values["error"], "/data/crasher.mp4: the worker analysing it stopped without finishing, 3 times")
    }

    func testReleaseReturnsJobsWithoutCountingTheAttempt() throws {
        let store = try store()
        _ = try store.enqueue([request("a.mp4"), request("b.mp4")], force: false)
        _ = try store.claim(for: alice, lease: 60, policy: policy)
        _ = try store.claim(for: bob, lease: 60, policy: policy)
        XCTAssertEqual(Set(try store.workersHoldingJobs()), [alice, bob])
        XCTAssertEqual(try store.release(alice), 1)
        XCTAssertEqual(try store.workersHoldingJobs(), [bob])
        let again = try XCTUnwrap(store.claim(for: bob, lease: 60, policy: policy))
        XCTAssertEqual(again.path, "/data/a.mp4")
        XCTAssertEqual(again.attempts, 1)
    }

    // MARK: Outcomes

    func testAFailedAnalysisFailsTheJobAtOnceWithItsReason() throws {
        let store = try store()
        _ = try store.enqueue([request("broken.mp4")], force: false)
        let job = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertTrue(try store.complete(job, row: row(for: job, status: "failed", error: "not a readable media file")))
        XCTAssertEqual(try store.counts().failed, 1)
        XCTAssertNil(try store.claim(for: alice, lease: 60, policy: policy), "not retried")

        XCTAssertEqual(try store.retryFailed(), 1)
        let retried = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertEqual(retried.attempts, 1, "retry-failed resets the attempts")
    }

    func testAGivenBackJobWaitsOutItsDelayAndFailsAfterTheLastAttempt() throws {
        let store = try store()
        _ = try store.enqueue([request("flaky.mp4")], force: false)
        var job = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertEqual(try store.giveBack(job, reason: "disk full", policy: policy), .queued)
        XCTAssertEqual(try store.counts().waitingToRetry, 1)
        clock.advance(29)
        XCTAssertNil(try store.claim(for: alice, lease: 60, policy: policy), "30 s after the first try")
        clock.advance(2)
        job = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertEqual(try store.giveBack(job, reason: "disk full", policy: policy), .queued)
        clock.advance(59)
        XCTAssertNil(try store.claim(for: alice, lease: 60, policy: policy), "60 s after the second")
        clock.advance(2)
        job = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertEqual(job.attempts, 3)
        XCTAssertEqual(try store.giveBack(job, reason: "disk full", policy: policy), .failed)
        XCTAssertEqual(try store.results(since: nil).first?.values["error"], "/data/flaky.mp4: disk full (after 3 attempts)")
    }

    func testClearRemovesQueuedAndFailedJobsOnly() throws {
        let store = try store()
        _ = try store.enqueue(["running", "done", "failed", "queued"].map { request($0) }, force: false)
        let running = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        let done = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertTrue(try store.complete(done, row: row(for: done)))
        let failed = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
        XCTAssertTrue(try store.complete(failed, row: row(for: failed, status: "failed", error: "bad")))

        XCTAssertEqual(try store.clearQueue(), 2)
        let counts = try store.counts()
        XCTAssertEqual([counts.queued, counts.running, counts.done, counts.failed], [0, 1, 1, 0])
        XCTAssertEqual(running.path, "/data/running")
        XCTAssertEqual(try store.resultCount(), 2, "results are kept")
    }

    // MARK: Counts and results

    func testRateAndETAComeFromRecentlyFinishedJobs() throws {
        let store = try store()
        _ = try store.enqueue((0..<6).map { request("clip-\($0)") }, force: false)
        XCTAssertNil(try store.counts().perMinute)
        for _ in 0..<2 {
            let job = try XCTUnwrap(store.claim(for: alice, lease: 60, policy: policy))
            clock.advance(30)
            XCTAssertTrue(try store.complete(job, row: row(for: job)))
        }
        let counts = try store.counts()
        XCTAssertEqual(try XCTUnwrap(counts.perMinute), 2, accuracy: 1e-9, "two files in the minute since the first started")
        XCTAssertEqual(try XCTUnwrap(counts.etaSeconds), 120, accuracy: 1e-9, "four left at two a minute")
        clock.advance(3600)
        XCTAssertNil(try store.counts().perMinute, "nothing finished in the last ten minutes")
    }

    func testResultsSinceAndLatestPerFile() throws {
        let store = try store()
        try store.record(SummaryRow(values: ["file": "/data/a.mp4", "status": "ok"]))
        clock.advance(100)
        let cut = clock.now
        try store.record(SummaryRow(values: ["file": "/data/b.mp4", "status": "ok"]))
        try store.record(SummaryRow(values: ["file": "/data/a.mp4", "status": "failed", "error": "again"]))
        XCTAssertEqual(try store.results(since: nil).map(\.file), ["/data/a.mp4", "/data/b.mp4"])
        XCTAssertEqual(try store.results(since: cut).count, 2)
        clock.advance(1)
        XCTAssertEqual(try store.results(since: clock.now).count, 0)
        XCTAssertEqual(try store.results(since: nil).first?.values["error"], "again", "the latest result replaces the older")
    }

    func testAHumanLabelReplacesAnEarlierOneForTheSameFile() throws {
        let store = try store()
        try store.setLabel(HumanLabel(file: "/data/b.mp4", emotion: "sad", source: "cli"))
        try store.setLabel(HumanLabel(file: "/data/a.mp4", emotion: "happy", source: "cli"))
        try store.setLabel(HumanLabel(file: "/data/b.mp4", emotion: "angry", source: "fixes.csv"))
        XCTAssertEqual(try store.labels(), [HumanLabel(file: "/data/a.mp4", emotion: "happy", source: "cli"),
                                            HumanLabel(file: "/data/b.mp4", emotion: "angry", source: "fixes.csv")])
    }

    // MARK: Schema and failures

    func testTheResultTableHasEverySummaryColumn() throws {
        _ = try store()
        let columns = try DatabaseQueue(path: databasePath).read { db in try db.columns(in: "result").map(\.name) }
        XCTAssertEqual(Set(SummaryRow.columns).subtracting(columns), [], "a new summary column needs a migration")
    }

    func testAStoreHeldByAnotherWriterIsReportedLocked() throws {
        let store = try store(lockTimeout: 0.2)
        let holder = try DatabaseQueue(path: databasePath)
        let held = expectation(description: "lock held")
        let release = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                held.fulfill()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }
        wait(for: [held], timeout: 5)
        XCTAssertThrowsError(try store.enqueue([request("a.mp4")], force: false)) { error in
            XCTAssertEqual(error as? StoreError, .locked(path: databasePath, seconds: 0.2))
        }
        XCTAssertNoThrow(try store.counts(), "readers do not wait for the writer (WAL)")
        release.signal()
    }

    func testAStoreThatCannotBeCreatedIsUnavailable() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("a file")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try SQLiteBatchStore(path: file.appendingPathComponent("emoscan.sqlite").path)) { error in
            guard case .unavailable? = error as? StoreError else { return XCTFail("\(error)") }
        }
    }
}

// MARK: - Helpers

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}

/// Job ids claimed from several threads.
private final class Claims: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var ids: [Int64] = []
    private(set) var errors: [String] = []

    func add(_ id: Int64) { lock.withLock { ids.append(id) } }
    func fail(_ error: String) { lock.withLock { errors.append(error) } }
}
