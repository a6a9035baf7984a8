import Foundation

/// The queue of jobs and the index of results behind `emoscan queue`, `run`, `status` and
/// `results`: everything several processes (and, later, several machines) must agree on.
///
/// One protocol, so that a PostgreSQL driver can stand in for the embedded SQLite one when one
/// machine is outgrown; `MemoryBatchStore` serves unit tests. Every driver passes the same
/// contract suite (`BatchStoreContract` in the tests). Each method is one transaction: a
/// process killed at any point leaves the store as it was before or after the call, never
/// between. Timing rules (leases, retry delays) are applied inside the store, against its own
/// clock, so that every process judges "expired" the same way. Methods are `async` so that a
/// driver waiting on a lock or the network suspends instead of holding a worker's thread.
public protocol BatchStore: Sendable {
    // MARK: Queue

    /// Adds jobs, skipping any whose content (sha256) is already queued, running, done or failed
    /// with the same pipeline hash.
    ///
    /// - Parameters:
    ///   - requests: the files to queue.
    ///   - force: queue such existing jobs again from scratch (not running ones).
    /// - Returns: what became of each request, in order.
    /// - Throws: `StoreError` when the store cannot be written.
    func enqueue(_ requests: [JobRequest], force: Bool) async throws -> [EnqueueOutcome]

    /// The content digest already recorded for the file at `path` when its size and
    /// modification time are unchanged: lets `queue add` skip re-reading a directory it has seen.
    ///
    /// - Returns: the digest, or nil when the file is unknown or changed.
    /// - Throws: `StoreError` when the store cannot be read.
    func knownDigest(path: String, sizeBytes: Int64, modified: Double) async throws -> String?

    /// Takes the most urgent claimable job (priority, then queue order) and holds it: a queued
    /// job whose retry delay is over, or a running job whose lease has expired (its worker
    /// died). A job whose worker died `policy.maxAttempts` times is marked failed instead, with a
    /// result that says so. Two workers never get the same job.
    ///
    /// - Parameters:
    ///   - worker: who takes it.
    ///   - lease: seconds the job is held before another worker may take it over.
    ///   - policy: how many attempts a job gets.
    /// - Returns: the job, its attempts counting this one; nil when nothing is claimable.
    /// - Throws: `StoreError` when the store cannot be written.
    func claim(for worker: WorkerID, lease: TimeInterval, policy: RetryPolicy) async throws -> Job?

    /// Extends the lease of every job `worker` holds.
    ///
    /// - Returns: how many jobs it still holds.
    /// - Throws: `StoreError` when the store cannot be written.
    @discardableResult
    func renewLeases(of worker: WorkerID, lease: TimeInterval) async throws -> Int

    /// Records the finished job's result and its document, and marks the job done (or failed,
    /// when the analysis failed), in one transaction.
    ///
    /// - Parameters:
    ///   - job: the job as `claim` returned it.
    ///   - entry: the result's index columns.
    ///   - document: the result document (JSON), kept with the entry: a store shared by many
    ///     machines needs no shared folder for it.
    /// - Returns: false, changing nothing, when `job` is no longer held by its worker (its lease
    ///   expired and another worker took it): a late result is refused.
    /// - Throws: `StoreError` when the store cannot be written.
    @discardableResult
    func complete(_ job: Job, entry: ResultEntry, document: Data?) async throws -> Bool

    /// A job that could not be finished for a reason that may pass (the file was unreadable, the
    /// result could not be written): queued again after `policy`'s delay, or failed once it has
    /// had `policy.maxAttempts`.
    ///
    /// - Returns: the job's state afterwards (`job.state`, unchanged, when it is no longer held).
    /// - Throws: `StoreError` when the store cannot be written.
    @discardableResult
    func giveBack(_ job: Job, reason: String, policy: RetryPolicy) async throws -> JobState

    /// Puts a held job back in the queue for `delay` seconds without counting the attempt: its
    /// file was still being written, which is no fault of the file.
    ///
    /// - Returns: false, changing nothing, when `job` is no longer held by its worker.
    /// - Throws: `StoreError` when the store cannot be written.
    @discardableResult
    func postpone(_ job: Job, reason: String, delay: TimeInterval) async throws -> Bool

    /// Puts every job `worker` holds back in the queue without counting the attempt: a clean stop.
    ///
    /// - Returns: how many jobs went back.
    /// - Throws: `StoreError` when the store cannot be written.
    @discardableResult
    func release(_ worker: WorkerID) async throws -> Int

    /// The workers that hold running jobs now.
    ///
    /// - Throws: `StoreError` when the store cannot be read.
    func workersHoldingJobs() async throws -> [WorkerID]

    /// Ends the leases of every job `worker` holds, now: for a worker known to be dead, whose
    /// jobs are then claimed again (the attempt counts) without waiting for the lease to run out.
    ///
    /// - Returns: how many leases ended.
    /// - Throws: `StoreError` when the store cannot be written.
    @discardableResult
    func expireLeases(of worker: WorkerID) async throws -> Int

    /// Queues every failed job again with its attempts reset.
    ///
    /// - Returns: how many.
    /// - Throws: `StoreError` when the store cannot be written.
    func retryFailed() async throws -> Int

    /// Removes the queued and failed jobs (not running ones, not done ones, which keep
    /// `queue add` from repeating work); results are kept.
    ///
    /// - Returns: how many.
    /// - Throws: `StoreError` when the store cannot be written.
    func clearQueue() async throws -> Int

    /// The jobs that match `query`, by id, oldest first: how a server answers "where is my job?"
    /// and lists them a page at a time.
    ///
    /// - Returns: at most `query.limit` jobs, with the times they were queued and finished.
    /// - Throws: `StoreError` when the store cannot be read.
    func jobs(_ query: JobQuery) async throws -> [Job]

    /// Removes a queued job: a client that no longer wants it. A job in any other state is left
    /// as it is (a running one is a worker's; a finished one keeps `queue add` from repeating work).
    ///
    /// - Returns: the job's state before the call (`queued`: it is gone now); nil when there is no such job.
    /// - Throws: `StoreError` when the store cannot be written.
    func cancel(_ id: Int64) async throws -> JobState?

    /// Job counts by state, and the rate of finishing over the last ten minutes.
    ///
    /// - Throws: `StoreError` when the store cannot be read.
    func counts() async throws -> QueueCounts

    // MARK: Results index

    /// Records a file's latest result outside the queue (`emoscan analyze`), replacing the
    /// file's earlier one.
    ///
    /// - Parameters:
    ///   - entry: the result's index columns.
    ///   - document: the result document (JSON); nil when there is none.
    /// - Throws: `StoreError` when the store cannot be written.
    func record(_ entry: ResultEntry, document: Data?) async throws

    /// The documents recorded with the latest results of `files`, in one read: an export asks
    /// for a page of files at a time, not a query per file. The JSON's content is what was
    /// recorded; its spacing and key order may differ (PostgreSQL's `jsonb` normalises them).
    ///
    /// - Returns: each file's document by path; a file without a result, or whose result has none, is absent.
    /// - Throws: `StoreError` when the store cannot be read.
    func documents(of files: [String]) async throws -> [String: Data]

    /// One file's latest result with its document, in one read: how a server answers for one
    /// analysis without listing the others.
    ///
    /// - Returns: the result; nil when the file has none.
    /// - Throws: `StoreError` when the store cannot be read.
    func result(of file: String) async throws -> StoredResult?

    /// Every file's latest result, oldest first.
    ///
    /// - Parameter since: only those recorded at or after it (on the store's clock); nil for all.
    /// - Returns: One entry per file, in the order recorded.
    /// - Throws: `StoreError` when the store cannot be read.
    func results(since: Date?) async throws -> [ResultEntry]

    /// How many files have a result.
    ///
    /// - Throws: `StoreError` when the store cannot be read.
    func resultCount() async throws -> Int

    // MARK: Human labels

    /// Records what a person says `label.file` shows (replacing an earlier label): a correction
    /// that training (`train voice --include-labels`) and evaluation (`evaluate --labelled`) use.
    ///
    /// - Throws: `StoreError` when the store cannot be written.
    func setLabel(_ label: HumanLabel) async throws

    /// Every human label, by file path.
    ///
    /// - Throws: `StoreError` when the store cannot be read.
    func labels() async throws -> [HumanLabel]

    // MARK: Waiting

    /// Returns when a job may have become claimable, or after `timeout` at the latest: how an
    /// idle worker waits. A driver that can hear of new jobs (PostgreSQL's `LISTEN`) returns as
    /// soon as one is queued; the others sleep out the timeout, which is then a poll interval.
    func waitForJobs(upTo timeout: Duration) async
}

extension BatchStore {
    /// Sleeps for `timeout`: a poll.
    public func waitForJobs(upTo timeout: Duration) async {
        try? await Task.sleep(for: timeout)
    }
}
