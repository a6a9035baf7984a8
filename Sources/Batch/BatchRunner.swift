import Foundation
import Logging
import Media
import Model
import Pipeline
import Store

/// The queue's workers: each claims a job, analyses its file with the same `FileAnalyzer.analyze`
/// that `emoscan analyze` calls, writes the document and records the result, until the queue is
/// empty (or a limit or a stop request ends the run).
///
/// Fault tolerance lives in the store's rules, not in this process's memory: a claimed job is
/// leased, and the lease is renewed while the worker lives, so a job whose process dies goes back
/// to the queue when the lease runs out (at once, when a later run on the same host sees that the
/// holder's pid is gone). A file that analyses to `failed` (corrupt, no streams) is failed at once:
/// trying a broken file again gives the same answer. A file that could not be read, or a result
/// that could not be written, is given back to be retried after a delay.
public struct BatchRunner: Sendable {
    public struct Options: Sendable {
        /// Files analysed at once, each worker with its own analyzer.
        public var workers = 1
        /// The workers' threads' nice value: `serve` raises it so that analysis yields the cores to
        /// requests (a server answers at once while its workers are busy); `run` leaves it at 0.
        public var niceness: Int32 = 0
        /// Return when no job is queued or running, instead of waiting for new ones.
        public var untilEmpty = false
        /// Claim at most this many jobs.
        public var maxJobs: Int?
        /// Claim no new job after this long.
        public var maxTime: Duration?
        /// How long a claim holds without renewal; renewed every third of it.
        public var lease: TimeInterval = 60
        public var retry = RetryPolicy()
        /// The longest wait between looks at an empty queue (a store that hears of new jobs wakes its
        /// workers sooner).
        public var pollInterval: Duration = .seconds(2)
        /// How often `summary.csv` is rewritten from the index while the run goes on.
        public var summaryInterval: Duration = .seconds(30)
        /// A file modified less than this long ago, or changed while it was analysed, is still
        /// being written: it goes back to the queue for this long, without counting an attempt.
        public var settle: TimeInterval = 30
        /// Waits before each new try at writing a document that could not be written (a full
        /// disk): the analysis is kept meanwhile, not redone. After the last, the run stops.
        public var documentRetryDelays: [Duration] = [.seconds(1), .seconds(4), .seconds(15)]

        public init() {}
    }

    /// Why the run ended.
    public enum Ending: String, Sendable {
        case empty
        case maxJobs = "max-jobs"
        case maxTime = "max-time"
        case stopped
        case storeFailed = "store-failed"
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var done = 0
        public var failed = 0
        /// Jobs given back to be retried later (or failed, after their last attempt).
        public var givenBack = 0
        public var ending = Ending.empty
        /// Set when the store failed (locked, unavailable): the run stopped.
        public var storeError: StoreError?
    }

    /// What happens, as it happens, for the CLI to show.
    public enum Event: Sendable {
        case claimed(Job)
        /// `document` is the result's file; nil when the store keeps documents in its database only.
        case finished(Job, FileResult, document: URL?)
        /// Not finished for a reason that may pass (which does not repeat the job's path); `state`
        /// is `queued` (to be retried) or `failed`.
        case givenBack(Job, reason: String, state: JobState)
        /// The job's lease was lost (another worker took it): this worker's result was discarded.
        case leaseLost(Job)
        case warning(String)
    }

    /// Makes the analyzer for a pipeline reference (a name, or a path to a .yml file).
    public typealias AnalyzerFactory = @Sendable (_ pipeline: String) throws -> FileAnalyzer

    public let store: ResultStore
    public let worker: WorkerID
    public let options: Options
    public let stopRequest: StopRequest
    private let makeAnalyzer: AnalyzerFactory
    private let logger: Logger

    public init(
        store: ResultStore, worker: WorkerID = .thisProcess(), options: Options,
        stopRequest: StopRequest = StopRequest(),
        logger: Logger, makeAnalyzer: @escaping AnalyzerFactory
    ) {
        self.store = store
        self.worker = worker
        self.options = options
        self.stopRequest = stopRequest
        self.logger = logger
        self.makeAnalyzer = makeAnalyzer
    }

    // MARK: Running

    /// Runs the workers until the run ends; `onEvent` is called from the workers' tasks.
    ///
    /// - Parameter onEvent: hears of each claim, finished file, give-back, lost lease and warning; it is called from
    ///   several workers' tasks at once.
    /// - Returns: what the run did and why it ended; a store that fails ends the run, with `storeError` set, instead of
    ///   throwing.
    public func run(onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async -> Summary {
        let state = RunState(maxJobs: options.maxJobs, deadline: options.maxTime.map { ContinuousClock.now + $0 })
        do {
            try await reclaimJobsOfDeadWorkers()
        } catch {
            return await state.fail(error)
        }
        // Each worker on a lane of its own: --workers N uses N cores, and throughput grows with N.
        let lanes = Lane.forWorkers(options.workers, niceness: options.niceness)
        defer { for lane in lanes { lane.close() } }
        await withTaskGroup(of: Void.self) { group in
            for lane in lanes {
                group.addTask(executorPreference: lane) { await workLoop(state: state, onEvent: onEvent) }
            }
            group.addTask { await housekeeping(state: state) }
            // The workers end first; housekeeping is then cancelled.
            for _ in 0..<max(1, options.workers) { await group.next() }
            group.cancelAll()
        }
        do {
            try await store.writeSummary()
        } catch {
            logger.error("summary.csv not written", metadata: ["error": "\(error)"])
        }
        return await state.summary
    }

    /// How often an idle worker looks for work while another worker of the run holds a job.
    static let busyPollInterval = Duration.milliseconds(200)

    /// One worker: claim, analyse, record, until the run ends.
    private func workLoop(state: RunState, onEvent: @Sendable (Event) -> Void) async {
        var analyzers: [String: FileAnalyzer] = [:]
        while await state.mayClaim(stopRequested: stopRequest.isRequested) {
            let job: Job?
            do {
                job = try await store.database.claim(for: worker, lease: options.lease, policy: options.retry)
            } catch {
                await state.releaseReservation()
                _ = await state.fail(error)
                return
            }
            guard let job else {
                await state.releaseReservation()
                do {
                    if options.untilEmpty, try await store.database.counts().remaining == 0 {
                        await state.end(.empty)
                        return
                    }
                } catch {
                    _ = await state.fail(error)
                    return
                }
                // While another worker of this run holds a job, what is left may be just that job:
                // look again soon, so the run ends with its last file and not a poll interval later.
                let busy = await state.jobsInHand > 0
                await store.database.waitForJobs(
                    upTo: busy ? min(options.pollInterval, Self.busyPollInterval) : options.pollInterval)
                continue
            }
            onEvent(.claimed(job))
            do {
                await state.changeJobsInHand(by: 1)
                try await process(job, analyzers: &analyzers, state: state, onEvent: onEvent)
                await state.changeJobsInHand(by: -1)
            } catch {  // the run ends: the count no longer matters
                _ = await state.fail(error)
                return
            }
        }
    }

    private func process(
        _ job: Job, analyzers: inout [String: FileAnalyzer], state: RunState,
        onEvent: @Sendable (Event) -> Void
    ) async throws {
        let before: FileStamp
        do {
            before = try FileStamp.check(job.path, allowingEmpty: true)
        } catch {
            return try await giveBack(
                job, reason: (error as? MediaError)?.reason ?? "\(error)", state: state, onEvent: onEvent)
        }
        // Queueing left out files still being written; one that changed since may be growing again.
        let unchanged = before == FileStamp(sizeBytes: job.sizeBytes, modified: job.modified)
        let age = Date().timeIntervalSince1970 - before.modified
        if !unchanged, age < options.settle {
            return try await postpone(job, reason: "modified \(Int(age)) s ago: still being written?", onEvent: onEvent)
        }
        let analyzer: FileAnalyzer
        if let cached = analyzers[job.pipeline] {
            analyzer = cached
        } else {
            do {
                analyzer = try makeAnalyzer(job.pipeline)
            } catch {
                return try await giveBack(
                    job, reason: "pipeline \(job.pipeline): \(error)", state: state, onEvent: onEvent)
            }
            analyzers[job.pipeline] = analyzer
            if analyzer.pipeline.hash != job.pipelineHash {
                onEvent(
                    .warning(
                        "pipeline \(job.pipeline) changed since \(job.path) was queued: its result is for the "
                            + "pipeline as it is now (\(analyzer.pipeline.hash.prefix(12)))"))
            }
        }
        // The digest read when the job was queued holds while the file is unchanged.
        let result = await analyzer.analyze(path: job.path, knownSHA256: unchanged ? job.sha256 : nil)
        if FileStamp(path: job.path) != before {
            return try await postpone(
                job, reason: "changed while it was analysed: still being written?", onEvent: onEvent)
        }
        let outcome: (completed: Bool, document: URL?)
        do {
            outcome = try await recordResult(result, of: job)
        } catch {
            // The store cannot take results: stop claiming files whose analyses would be lost too.
            let reason = "result not written: " + ((error as? StoreError)?.reason ?? StoreError.words(for: error))
            _ = try? await giveBack(job, reason: reason, state: state, onEvent: onEvent)
            throw StoreError.unavailable(path: store.location, reason: reason)
        }
        guard outcome.completed else {
            onEvent(.leaseLost(job))
            return
        }
        await state.count(failed: result.status == .failed)
        onEvent(.finished(job, result, document: outcome.document))
    }

    /// Writes the document (into the folder, when the store has one) and completes the job with
    /// it, trying again after each of `documentRetryDelays` (a full disk, a database restarting;
    /// housekeeping keeps the lease meanwhile) before giving up with the last error. The analysis
    /// is kept, not redone.
    ///
    /// - Returns: whether the job was still held (false: its late result was refused), and the document's file.
    private func recordResult(_ result: FileResult, of job: Job) async throws -> (completed: Bool, document: URL?) {
        let document = try ResultStore.encode(result)
        func attempt() async throws -> (completed: Bool, document: URL?) {
            let url = try store.writeDocument(result, document: document)
            let entry = ResultEntry(result, document: url?.path)
            return (try await store.database.complete(job, entry: entry, document: document), url)
        }
        for delay in options.documentRetryDelays {
            do {
                return try await attempt()
            } catch {
                logger.warning("result not written; trying again", metadata: ["error": "\(error)", "in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
        return try await attempt()
    }

    private func postpone(_ job: Job, reason: String, onEvent: @Sendable (Event) -> Void) async throws {
        if try await store.database.postpone(job, reason: reason, delay: options.settle) {
            onEvent(.givenBack(job, reason: reason, state: .queued))
        } else {
            onEvent(.leaseLost(job))
        }
    }

    private func giveBack(_ job: Job, reason: String, state: RunState, onEvent: @Sendable (Event) -> Void) async throws
    {
        let outcome = try await store.database.giveBack(job, reason: reason, policy: options.retry)
        await state.countGivenBack(failed: outcome == .failed)
        onEvent(.givenBack(job, reason: reason, state: outcome))
    }

    // MARK: Housekeeping

    /// While the workers run: renews this process's leases, frees the jobs of workers that died on
    /// this host, and rewrites `summary.csv` now and then.
    private func housekeeping(state: RunState) async {
        let clock = ContinuousClock()
        var lastSummary = clock.now
        let renewEvery = Duration.seconds(max(0.05, options.lease / 3))
        while !Task.isCancelled {
            try? await Task.sleep(for: renewEvery)
            guard !Task.isCancelled else { return }
            do {
                try await store.database.renewLeases(of: worker, lease: options.lease)
                try await reclaimJobsOfDeadWorkers()
                if clock.now - lastSummary >= options.summaryInterval {
                    try await store.writeSummary()
                    lastSummary = clock.now
                }
            } catch {
                logger.warning("housekeeping failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func reclaimJobsOfDeadWorkers() async throws {
        for holder in try await store.database.workersHoldingJobs() where holder != worker && holder.isDeadOnThisHost {
            let count = try await store.database.expireLeases(of: holder)
            logger.notice(
                "jobs of a stopped worker returned to the queue",
                metadata: ["worker": "\(holder)", "jobs": "\(count)"])
        }
    }
}

// MARK: - Stopping

/// A request to stop claiming jobs, set from a signal handler: workers finish the file in hand
/// and return. Thread-safe; shared by reference.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public var isRequested: Bool { lock.withLock { requested } }

    /// Asks the workers to stop claiming jobs; each finishes the file in hand. It takes a lock, so call it from a
    /// dispatch signal source, not from a raw signal handler.
    public func request() { lock.withLock { requested = true } }
}

// MARK: - Run state

/// The counts and limits the workers share.
private actor RunState {
    private(set) var summary = BatchRunner.Summary()
    private var claimsLeft: Int?
    private let deadline: ContinuousClock.Instant?
    private var ended = false
    /// Jobs this run's workers are analysing now.
    private(set) var jobsInHand = 0

    init(maxJobs: Int?, deadline: ContinuousClock.Instant?) {
        claimsLeft = maxJobs
        self.deadline = deadline
    }

    /// Whether a worker may claim another job; reserves one of `--max-jobs` when it may.
    func mayClaim(stopRequested: Bool) -> Bool {
        if ended { return false }
        if stopRequested { return end(.stopped) }
        if let deadline, ContinuousClock.now >= deadline { return end(.maxTime) }
        if let left = claimsLeft {
            guard left > 0 else { return end(.maxJobs) }
            claimsLeft = left - 1
        }
        return true
    }

    /// Returns a reservation that found no job.
    func releaseReservation() {
        if let left = claimsLeft { claimsLeft = left + 1 }
    }

    @discardableResult
    func end(_ ending: BatchRunner.Ending) -> Bool {
        if !ended {
            ended = true
            summary.ending = ending
        }
        return false
    }

    func fail(_ error: Error) -> BatchRunner.Summary {
        summary.storeError = (error as? StoreError) ?? .unavailable(path: "", reason: "\(error)")
        ended = true
        summary.ending = .storeFailed
        return summary
    }

    func changeJobsInHand(by change: Int) {
        jobsInHand += change
    }

    func count(failed: Bool) {
        if failed { summary.failed += 1 } else { summary.done += 1 }
    }

    func countGivenBack(failed: Bool) {
        summary.givenBack += 1
        if failed { summary.failed += 1 }
    }
}
