import Batch
import Foundation
import Logging
import Media
import Model
import Pipeline
import Store
import TestSupport
import XCTest

/// The workers in-process, with the real analyzer, on generated media.
final class BatchRunnerTests: XCTestCase {
    private var root: URL!
    private var store: ResultStore!
    private let logger = Logger(label: "emoscan.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = ResultStore(root: root, database: MemoryBatchStore(), logger: logger)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func enqueue(_ paths: [String]) async throws {
        let pipeline = try PipelineLibrary.load(RepoPaths.path("Pipelines/default.yml"))
        let tally = try await Enqueuer(
            database: store.database, pipeline: RepoPaths.path("Pipelines/default.yml"),
            pipelineHash: pipeline.hash
        ).add(paths)
        XCTAssertEqual(tally.added, paths.count)
    }

    private func runner(
        _ configure: (inout BatchRunner.Options) -> Void = { _ in }, worker: WorkerID = .thisProcess(),
        stop: StopRequest = StopRequest()
    ) -> BatchRunner {
        var options = BatchRunner.Options()
        options.workers = 2
        options.untilEmpty = true
        options.pollInterval = .milliseconds(50)
        configure(&options)
        let logger = self.logger
        return BatchRunner(store: store, worker: worker, options: options, stopRequest: stop, logger: logger) {
            pipeline in
            try FileAnalyzer(pipeline: try PipelineLibrary.load(pipeline) { $0.sampling.maxFrames = 3 }, logger: logger)
        }
    }

    func testEveryJobIsDoneOnceAndABrokenFileFailsWithItsReason() async throws {
        let good = [try GeneratedMedia.testPattern(), try GeneratedMedia.audioOnly(), try GeneratedMedia.stillImage()]
        let broken = try GeneratedMedia.garbage()
        try await enqueue(good + [broken])
        let events = Events()
        let summary = await runner().run(onEvent: events.add)

        XCTAssertNil(summary.storeError)
        XCTAssertEqual(summary.ending, .empty)
        XCTAssertEqual(summary.done, 3)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(events.finished.sorted(), (good + [broken]).sorted(), "each file finished once")
        let counts = try await store.database.counts()
        XCTAssertEqual([counts.queued, counts.running, counts.done, counts.failed], [0, 0, 3, 1])
        let failed = try await store.database.results(since: nil).filter { $0.status == .failed }
        XCTAssertEqual(failed.map(\.file), [broken])
        XCTAssertTrue(failed[0].error?.contains("not a readable media file") == true, "\(failed)")
        XCTAssertEqual(try store.summaryEntries().count, 4, "summary.csv is written at the end")
    }

    func testMaxJobsStopsClaiming() async throws {
        try await enqueue([
            try GeneratedMedia.testPattern(), try GeneratedMedia.audioOnly(), try GeneratedMedia.stillImage(),
        ])
        let summary = await runner { $0.maxJobs = 2 }.run()
        XCTAssertEqual(summary.ending, .maxJobs)
        XCTAssertEqual(summary.done, 2)
        let value1 = try await store.database.counts().queued
        XCTAssertEqual(value1, 1)
    }

    func testAStopRequestEndsTheRunAndLeavesTheRestQueued() async throws {
        try await enqueue([try GeneratedMedia.testPattern(), try GeneratedMedia.audioOnly()])
        let stop = StopRequest()
        stop.request()
        let summary = await runner(stop: stop).run()
        XCTAssertEqual(summary.ending, .stopped)
        XCTAssertEqual(summary.done, 0)
        let value2 = try await store.database.counts().queued
        XCTAssertEqual(value2, 2)
    }

    func testAMissingFileIsRetriedThenFails() async throws {
        let folder = root.appendingPathComponent("media")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("vanishing.wav").path
        try FileManager.default.copyItem(atPath: try GeneratedMedia.audioOnly(), toPath: path)
        try await enqueue([path])
        try FileManager.default.removeItem(atPath: path)

        let events = Events()
        let summary = await runner {
            $0.retry = RetryPolicy(maxAttempts: 2, firstDelay: 0.05)
        }.run(onEvent: events.add)
        XCTAssertEqual(summary.givenBack, 2)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(events.givenBack, [.queued, .failed])
        let value3 = try await store.database.results(since: nil).first?.error
        XCTAssertEqual(
            value3,
            "\(path): no such file (after 2 attempts)")
    }

    /// A worker reuses the digest read when the file was queued, unless the file changed since.
    func testResultsCarryTheDigestOfTheContentAnalysed() async throws {
        let folder = root.appendingPathComponent("media")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let kept = folder.appendingPathComponent("kept.wav").path,
            changed = folder.appendingPathComponent("changed.wav").path
        try FileManager.default.copyItem(atPath: try GeneratedMedia.audioOnly(), toPath: kept)
        try FileManager.default.copyItem(atPath: try GeneratedMedia.silence(), toPath: changed)
        try await enqueue([kept, changed])
        try FileManager.default.removeItem(atPath: changed)
        try FileManager.default.copyItem(atPath: try GeneratedMedia.speech(), toPath: changed)

        _ = await runner { $0.settle = 0 }.run()
        let entries = try await store.database.results(since: nil)
        let digests = try Dictionary(
            uniqueKeysWithValues: entries.map { row in
                let document = try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: row.document!)))
                return (row.file, ((document as? [String: Any])?["file"] as? [String: Any])?["sha256"] as? String)
            })
        XCTAssertEqual(digests[kept], try SHA256.hex(ofFileAt: kept))
        XCTAssertEqual(
            digests[changed], try SHA256.hex(ofFileAt: changed), "the new content's digest, not the queued one")
    }

    /// A file that changed since it was queued and is younger than the settle time is being
    /// written: it waits in the queue, its attempt not counted, and is analysed once it is still.
    func testAFileStillBeingWrittenWaitsInTheQueueWithoutCountingAnAttempt() async throws {
        let path = root.appendingPathComponent("growing.wav").path
        try FileManager.default.copyItem(atPath: try GeneratedMedia.silence(), toPath: path)
        try await enqueue([path])
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(count: 4096))  // the copy goes on after queueing
        try handle.close()

        let events = Events()
        let summary = await runner({
            $0.settle = 0.5
            $0.retry = RetryPolicy(maxAttempts: 1, firstDelay: 0.05)
        })
        .run(onEvent: events.add)
        XCTAssertEqual(events.givenBack, [.queued], "put back once, not failed")
        XCTAssertEqual(events.finished, [path])
        XCTAssertEqual(summary.failed, 0, "with one attempt allowed, the wait did not use it up")
        let value4 = try await store.database.counts().done
        XCTAssertEqual(value4, 1)
    }

    /// A document that cannot be written (a full disk, here a file where its folder goes) is kept
    /// and written again once it can be, without analysing the file a second time.
    func testADocumentThatCannotBeWrittenYetIsWrittenLaterWithoutAnotherAnalysis() async throws {
        try await enqueue([try GeneratedMedia.audioOnly()])
        let files = root.appendingPathComponent("files")
        try? FileManager.default.removeItem(at: files)
        try Data().write(to: files)
        let unblock = Task {
            try await Task.sleep(for: .milliseconds(300))
            try FileManager.default.removeItem(at: files)
        }
        let events = Events()
        let summary = await runner { $0.documentRetryDelays = Array(repeating: .milliseconds(200), count: 5) }
            .run(onEvent: events.add)
        try await unblock.value
        XCTAssertNil(summary.storeError)
        XCTAssertEqual(events.claimed, 1, "analysed once")
        XCTAssertEqual(events.finished.count, 1)
        let value5 = try await store.database.counts().done
        XCTAssertEqual(value5, 1)
    }

    /// When documents still cannot be written, the run stops with the store's error (exit 3) and
    /// its job is back in the queue, not left `running` for another machine to wait out.
    func testAStoreThatCannotTakeDocumentsStopsTheRunWithItsJobQueued() async throws {
        try await enqueue([try GeneratedMedia.audioOnly(), try GeneratedMedia.testPattern()])
        let files = root.appendingPathComponent("files")
        try? FileManager.default.removeItem(at: files)
        try Data().write(to: files)
        let summary = await runner {
            $0.workers = 1
            $0.documentRetryDelays = [.milliseconds(10)]
        }.run()
        XCTAssertEqual(summary.ending, .storeFailed)
        let error = try XCTUnwrap(summary.storeError)
        XCTAssertTrue("\(error)".contains("result not written"), "\(error)")
        XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"), "one line, not a Foundation dump: \(error)")
        let counts = try await store.database.counts()
        XCTAssertEqual([counts.queued, counts.running, counts.done], [2, 0, 0], "nothing left running, nothing lost")
    }

    func testJobsOfAWorkerThatDiedOnThisHostAreTakenAtOnce() async throws {
        try await enqueue([try GeneratedMedia.audioOnly()])
        // A worker that claimed the job with an hour's lease, then died: its pid no longer exists.
        let dead = WorkerID(rawValue: "\(ProcessInfo.processInfo.hostName):\(Int32.max):dead")
        XCTAssertTrue(dead.isDeadOnThisHost)
        let value6 = try await store.database.claim(for: dead, lease: 3600, policy: RetryPolicy())
        let job = try XCTUnwrap(value6)

        let summary = await runner().run()
        XCTAssertEqual(summary.done, 1)
        let value7 = try await store.database.counts().done
        XCTAssertEqual(value7, 1)
        let value8 = try await store.database.complete(
            job, entry: ResultEntry(file: job.path, status: .ok), document: nil)
        XCTAssertFalse(
            value8,
            "the dead worker's claim no longer counts")
    }
}

/// What a run reported, collected from its workers' tasks.
private final class Events: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var finished: [String] = []
    private(set) var givenBack: [JobState] = []
    private(set) var claimed = 0

    func add(_ event: BatchRunner.Event) {
        lock.withLock {
            switch event {
            case .claimed: claimed += 1
            case .finished(let job, _, _): finished.append(job.path)
            case .givenBack(_, _, let state): givenBack.append(state)
            default: break
            }
        }
    }
}
