import Foundation

/// A `BatchStore` in this process's memory, for unit tests of what sits above the store
/// (`BatchRunner`, `Enqueuer`), as Hummingbird's `MemoryPersistDriver` serves its `PersistDriver`.
/// It keeps the same rules as the database drivers (the contract suite holds it to them), and
/// loses everything when the process ends.
///
/// Its methods never throw.
public final class MemoryBatchStore: BatchStore, @unchecked Sendable {
    private struct Row {
        var job: Job
        var availableAt: Double
        var queuedAt: Double
        var leaseUntil: Double?
        var startedAt: Double?
        var finishedAt: Double?
    }

    private let lock = NSLock()
    private let now: @Sendable () -> Date
    private var rows: [Row] = []
    private var nextID: Int64 = 1
    private var entries: [String: (entry: ResultEntry, recordedAt: Double, document: Data?)] = [:]
    private var humanLabels: [String: HumanLabel] = [:]

    /// An empty store.
    ///
    /// - Parameter now: the store's clock, for leases, retry delays and rates (tests pass their own).
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    // MARK: Queue

    /// Adds jobs, skipping content already in the store with the pipeline (see `BatchStore`).
    public func enqueue(_ requests: [JobRequest], force: Bool) async throws -> [EnqueueOutcome] {
        locked { time in
            requests.map { request in
                guard
                    let index = rows.firstIndex(where: {
                        $0.job.sha256 == request.sha256 && $0.job.pipelineHash == request.pipelineHash
                    })
                else {
                    rows.removeAll {
                        $0.job.path == request.path && $0.job.pipelineHash == request.pipelineHash
                            && $0.job.state == .failed
                    }
                    let job = Job(
                        id: nextID, path: request.path, sha256: request.sha256, sizeBytes: request.sizeBytes,
                        modified: request.modified, pipeline: request.pipeline,
                        pipelineHash: request.pipelineHash, priority: request.priority, state: .queued,
                        attempts: 0, worker: nil, error: nil)
                    nextID += 1
                    rows.append(Row(job: job, availableAt: time, queuedAt: time))
                    return .added
                }
                let state = rows[index].job.state
                if force, state != .running {
                    var job = rows[index].job
                    job.state = .queued
                    job.attempts = 0
                    job.error = nil
                    job.worker = nil
                    job.path = request.path
                    job.sizeBytes = request.sizeBytes
                    job.modified = request.modified
                    job.pipeline = request.pipeline
                    job.priority = request.priority
                    rows[index] = Row(job: job, availableAt: time, queuedAt: time)
                    return .requeued
                }
                if rows[index].job.path == request.path {
                    rows[index].job.sizeBytes = request.sizeBytes
                    rows[index].job.modified = request.modified
                }
                return .skipped(state: state, path: rows[index].job.path)
            }
        }
    }

    /// The digest of a job with this path, size and modification time, if there is one.
    public func knownDigest(path: String, sizeBytes: Int64, modified: Double) async throws -> String? {
        locked { _ in
            rows.first { $0.job.path == path && $0.job.sizeBytes == sizeBytes && $0.job.modified == modified }?.job
                .sha256
        }
    }

    /// Fails the jobs out of attempts, then takes the most urgent claimable job (see `BatchStore`).
    public func claim(for worker: WorkerID, lease: TimeInterval, policy: RetryPolicy) async throws -> Job? {
        locked { time in
            for index in rows.indices
            where isExpired(rows[index], at: time) && rows[index].job.attempts >= policy.maxAttempts {
                let reason = "the worker analysing it stopped without finishing, \(rows[index].job.attempts) times"
                markFailed(index, reason: reason, at: time)
            }
            let claimable = rows.indices.filter {
                (rows[$0].job.state == .queued && rows[$0].availableAt <= time) || isExpired(rows[$0], at: time)
            }
            guard
                let index = claimable.min(by: { a, b in
                    (rows[a].job.priority, -rows[a].job.id) > (rows[b].job.priority, -rows[b].job.id)
                })
            else { return nil }
            rows[index].job.state = .running
            rows[index].job.worker = worker
            rows[index].job.attempts += 1
            rows[index].leaseUntil = time + lease
            rows[index].startedAt = time
            return rows[index].job
        }
    }

    /// Extends the leases of `worker`'s running jobs to `lease` seconds from now.
    public func renewLeases(of worker: WorkerID, lease: TimeInterval) async throws -> Int {
        locked { time in
            update(where: { $0.job.worker == worker && $0.job.state == .running }) { $0.leaseUntil = time + lease }
        }
    }

    /// Records the result and marks the job done or failed, if its worker still holds it on this attempt.
    public func complete(_ job: Job, entry: ResultEntry, document: Data?) async throws -> Bool {
        locked { time in
            guard let index = heldIndex(of: job) else { return false }
            let failed = entry.status == .failed
            rows[index].job.state = failed ? .failed : .done
            rows[index].job.error = failed ? entry.error : nil
            rows[index].job.worker = nil
            rows[index].leaseUntil = nil
            rows[index].finishedAt = time
            entries[entry.file] = (entry, time, document)
            return true
        }
    }

    /// Queues the held job again after `policy`'s delay, or fails it after its last attempt.
    public func giveBack(_ job: Job, reason: String, policy: RetryPolicy) async throws -> JobState {
        locked { time in
            guard let index = heldIndex(of: job) else { return job.state }
            if job.attempts >= policy.maxAttempts {
                markFailed(index, reason: "\(reason) (after \(job.attempts) attempts)", at: time)
                return .failed
            }
            requeue(index, error: reason, availableAt: time + policy.delay(after: job.attempts))
            return .queued
        }
    }

    /// Queues the held job again after `delay` seconds, taking back the attempt its claim counted.
    public func postpone(_ job: Job, reason: String, delay: TimeInterval) async throws -> Bool {
        locked { time in
            guard let index = heldIndex(of: job) else { return false }
            rows[index].job.attempts = max(0, rows[index].job.attempts - 1)
            requeue(index, error: reason, availableAt: time + delay)
            return true
        }
    }

    /// Queues every job `worker` holds again at once, taking back the attempts their claims counted.
    public func release(_ worker: WorkerID) async throws -> Int {
        locked { time in
            let held = rows.indices.filter { rows[$0].job.worker == worker && rows[$0].job.state == .running }
            for index in held {
                rows[index].job.attempts = max(0, rows[index].job.attempts - 1)
                requeue(index, error: rows[index].job.error, availableAt: time)
            }
            return held.count
        }
    }

    /// The workers holding running jobs, each once, in the order their jobs were queued.
    public func workersHoldingJobs() async throws -> [WorkerID] {
        locked { _ in
            var seen: [WorkerID] = []
            for row in rows where row.job.state == .running {
                if let worker = row.job.worker, !seen.contains(worker) { seen.append(worker) }
            }
            return seen
        }
    }

    /// Ends the leases of `worker`'s running jobs, so that the next `claim` takes them over.
    public func expireLeases(of worker: WorkerID) async throws -> Int {
        locked { _ in update(where: { $0.job.worker == worker && $0.job.state == .running }) { $0.leaseUntil = 0 } }
    }

    /// Queues every failed job again, attempts reset and available at once.
    public func retryFailed() async throws -> Int {
        locked { time in
            update(where: { $0.job.state == .failed }) { row in
                row.job.state = .queued
                row.job.attempts = 0
                row.job.error = nil
                row.availableAt = time
                row.finishedAt = nil
            }
        }
    }

    /// Removes the queued and failed jobs.
    public func clearQueue() async throws -> Int {
        locked { _ in
            let before = rows.count
            rows.removeAll { $0.job.state == .queued || $0.job.state == .failed }
            return before - rows.count
        }
    }

    /// The jobs matching `query`, by id (see `BatchStore`).
    public func jobs(_ query: JobQuery) async throws -> [Job] {
        locked { _ in
            let matching = rows.lazy.filter { row in
                let job = row.job
                let emotion = query.fusedEmotion.map { self.entries[job.path]?.entry.fusedEmotion == $0 } ?? true
                return emotion && query.id.map { job.id == $0 } ?? true
                    && query.sha256.map { job.sha256 == $0 } ?? true
                    && query.pipelineHash.map { job.pipelineHash == $0 } ?? true
                    && query.state.map { job.state == $0 } ?? true
                    && query.queuedSince.map { row.queuedAt >= $0.timeIntervalSince1970 } ?? true
                    && query.afterID.map { job.id > $0 } ?? true
            }
            return matching.sorted { $0.job.id < $1.job.id }.prefix(max(0, query.limit)).map { row in
                var job = row.job
                job.queuedAt = Date(timeIntervalSince1970: row.queuedAt)
                job.finishedAt = row.finishedAt.map(Date.init(timeIntervalSince1970:))
                return job
            }
        }
    }

    /// Removes the job when it is queued (see `BatchStore`).
    public func cancel(_ id: Int64) async throws -> JobState? {
        locked { _ in
            guard let index = rows.firstIndex(where: { $0.job.id == id }) else { return nil }
            let state = rows[index].job.state
            if state == .queued { rows.remove(at: index) }
            return state
        }
    }

    /// Job counts by state, the queued jobs waiting out a retry delay, and the rate over ten minutes.
    public func counts() async throws -> QueueCounts {
        locked { time in
            var counts = QueueCounts()
            for row in rows {
                switch row.job.state {
                case .queued: counts.queued += 1
                case .running: counts.running += 1
                case .done: counts.done += 1
                case .failed: counts.failed += 1
                }
            }
            counts.waitingToRetry = rows.filter { $0.job.state == .queued && $0.availableAt > time }.count
            let window: TimeInterval = 600
            let recent = rows.filter { ($0.finishedAt ?? -.infinity) >= time - window }
            if let first = recent.compactMap(\.startedAt).min() {
                counts.perMinute = Double(recent.count) / max(1, time - max(first, time - window)) * 60
            }
            return counts
        }
    }

    // MARK: Results index

    /// Records `entry` as its file's latest result, stamped with the store's clock.
    public func record(_ entry: ResultEntry, document: Data?) async throws {
        locked { time in entries[entry.file] = (entry, time, document) }
    }

    /// The documents recorded with the files' latest results.
    public func documents(of files: [String]) async throws -> [String: Data] {
        locked { _ in
            files.reduce(into: [:]) { found, file in found[file] = entries[file]?.document }
        }
    }

    /// The file's entry and document.
    public func result(of file: String) async throws -> StoredResult? {
        locked { _ in entries[file].map { StoredResult(entry: $0.entry, document: $0.document) } }
    }

    /// Every file's latest result recorded at or after `since` (all when nil), oldest first.
    public func results(since: Date?) async throws -> [ResultEntry] {
        locked { _ in
            let cut = since?.timeIntervalSince1970 ?? 0
            return entries.values.filter { $0.recordedAt >= cut }
                .sorted { ($0.recordedAt, $0.entry.file) < ($1.recordedAt, $1.entry.file) }
                .map(\.entry)
        }
    }

    /// How many files have a result.
    public func resultCount() async throws -> Int {
        locked { _ in entries.count }
    }

    // MARK: Human labels

    /// Records `label`, replacing the file's earlier one.
    public func setLabel(_ label: HumanLabel) async throws {
        locked { _ in humanLabels[label.file] = label }
    }

    /// Every human label, sorted by file path.
    public func labels() async throws -> [HumanLabel] {
        locked { _ in humanLabels.values.sorted { $0.file < $1.file } }
    }

    // MARK: Helpers

    /// Runs `body` under the lock with the store's time, as one transaction.
    private func locked<T>(_ body: (Double) -> T) -> T {
        lock.withLock { body(now().timeIntervalSince1970) }
    }

    private func isExpired(_ row: Row, at time: Double) -> Bool {
        row.job.state == .running && (row.leaseUntil ?? .infinity) < time
    }

    /// Where `job` is, when its worker still holds it on the same attempt.
    private func heldIndex(of job: Job) -> Int? {
        rows.firstIndex {
            $0.job.id == job.id && $0.job.worker == job.worker && $0.job.attempts == job.attempts
                && $0.job.state == .running
        }
    }

    private func requeue(_ index: Int, error: String?, availableAt: Double) {
        rows[index].job.state = .queued
        rows[index].job.error = error
        rows[index].job.worker = nil
        rows[index].leaseUntil = nil
        rows[index].availableAt = availableAt
    }

    private func update(where matches: (Row) -> Bool, _ change: (inout Row) -> Void) -> Int {
        var count = 0
        for index in rows.indices where matches(rows[index]) {
            change(&rows[index])
            count += 1
        }
        return count
    }

    /// Marks the job failed and gives its file a result that says why, since no analysis will.
    private func markFailed(_ index: Int, reason: String, at time: Double) {
        rows[index].job.state = .failed
        rows[index].job.error = reason
        rows[index].job.worker = nil
        rows[index].leaseUntil = nil
        rows[index].finishedAt = time
        let entry = ResultEntry.failed(rows[index].job, reason: reason, at: Date(timeIntervalSince1970: time))
        entries[entry.file] = (entry, time, nil)
    }
}
