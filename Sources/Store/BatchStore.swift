import Foundation

/// The queue of jobs and the index of results behind `emoscan queue`, `run`, `status` and
/// `results`: everything several processes (and, later, several machines) must agree on.
///
/// One protocol so that a PostgreSQL driver can stand in for the embedded SQLite one
/// (`SQLiteBatchStore`) when one machine is outgrown. Each method is one transaction: a process
/// killed at any point leaves the store as it was before or after the call, never between.
/// Timing rules (leases, retry delays) are applied inside the store, against its clock, so that
/// every process judges "expired" the same way.
public protocol BatchStore: Sendable {
    // MARK: Queue

    /// Adds jobs, skipping any whose content (sha256) is already queued, running, done or failed
    /// with the same pipeline hash; with `force`, such jobs are queued again from scratch.
    func enqueue(_ requests: [JobRequest], force: Bool) throws -> [EnqueueOutcome]

    /// The content digest already recorded for the file at `path` when its size and modification
    /// time are unchanged: lets `queue add` skip re-reading a directory it has seen.
    func knownDigest(path: String, sizeBytes: Int64, modified: Double) throws -> String?

    /// Takes the most urgent claimable job for `worker` and holds it for `lease` seconds: a queued
    /// job whose retry delay is over, or a running job whose lease has expired (its worker died).
    /// A job whose worker died `policy.maxAttempts` times is marked failed instead. Atomic across
    /// processes: two workers never get the same job.
    func claim(for worker: WorkerID, lease: TimeInterval, policy: RetryPolicy) throws -> Job?

    /// Extends the lease of every job `worker` holds; returns how many it still holds.
    @discardableResult
    func renewLeases(of worker: WorkerID, lease: TimeInterval) throws -> Int

    /// Records the finished job's result row and marks it done (or failed, when the analysis
    /// failed), in one transaction. Returns false, changing nothing, when `job` is no longer held
    /// by its worker (its lease expired and another worker took it).
    @discardableResult
    func complete(_ job: Job, row: SummaryRow) throws -> Bool

    /// A job that could not be finished for a reason that may pass (the file was unreadable, the
    /// result could not be written): queued again after `policy`'s delay, or failed once it has
    /// had `policy.maxAttempts`.
    @discardableResult
    func giveBack(_ job: Job, reason: String, policy: RetryPolicy) throws -> JobState

    /// Puts a held job back in the queue for `delay` seconds without counting the attempt: its
    /// file was still being written, which is no fault of the file. Returns false, changing
    /// nothing, when `job` is no longer held by its worker.
    @discardableResult
    func postpone(_ job: Job, reason: String, delay: TimeInterval) throws -> Bool

    /// Puts every job `worker` holds back in the queue without counting the attempt: a clean stop.
    @discardableResult
    func release(_ worker: WorkerID) throws -> Int

    /// The workers that hold running jobs now.
    func workersHoldingJobs() throws -> [WorkerID]

    /// Ends the leases of every job `worker` holds, now: for a worker known to be dead, whose jobs
    /// are then claimed again (the attempt counts) without waiting for the lease to run out.
    @discardableResult
    func expireLeases(of worker: WorkerID) throws -> Int

    /// Queues every failed job again with its attempts reset; returns how many.
    func retryFailed() throws -> Int

    /// Removes the queued and failed jobs (not running ones, not done ones, which keep `queue add`
    /// from repeating work); results are kept. Returns how many.
    func clearQueue() throws -> Int

    /// Job counts by state, and the recent rate of finishing.
    func counts() throws -> QueueCounts

    // MARK: Results index

    /// Records a file's latest result outside the queue (`emoscan analyze`).
    func record(_ row: SummaryRow) throws

    /// Every file's latest result, oldest first; with `since`, only those recorded at or after it.
    func results(since: Date?) throws -> [SummaryRow]

    /// How many files have a result.
    func resultCount() throws -> Int

    // MARK: Human labels

    /// Records what a person says `file` shows (replacing an earlier label): a correction that
    /// training (`train voice --include-labels`) and evaluation (`evaluate --labelled`) use.
    func setLabel(_ label: HumanLabel) throws

    /// Every human label, by file path.
    func labels() throws -> [HumanLabel]
}

/// What a person says a file shows.
public struct HumanLabel: Sendable, Equatable {
    /// Absolute path of the file.
    public var file: String
    public var emotion: String
    /// Where the label came from (`cli`, or the corrections file's path).
    public var source: String

    public init(file: String, emotion: String, source: String) {
        self.file = file
        self.emotion = emotion
        self.source = source
    }
}

// MARK: Values

/// A file to queue: its content digest and the pipeline it is to be analysed with.
public struct JobRequest: Sendable, Equatable {
    public var path: String
    public var sha256: String
    public var sizeBytes: Int64
    /// Modification time (seconds since 1970), remembered for `knownDigest`.
    public var modified: Double
    /// The pipeline's name, or the absolute path of its file.
    public var pipeline: String
    public var pipelineHash: String
    /// Higher runs first; equal priorities run in the order queued.
    public var priority: Int

    public init(path: String, sha256: String, sizeBytes: Int64, modified: Double, pipeline: String,
                pipelineHash: String, priority: Int = 0) {
        self.path = path
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.modified = modified
        self.pipeline = pipeline
        self.pipelineHash = pipelineHash
        self.priority = priority
    }
}

/// What `enqueue` did with one request.
public enum EnqueueOutcome: Sendable, Equatable {
    case added
    /// `--force` put an existing job back in the queue.
    case requeued
    /// A job with the same content and pipeline exists, in `state`, for `path` (which differs from
    /// the request's when the same content was queued under another name).
    case skipped(state: JobState, path: String)
}

public enum JobState: String, Sendable, CaseIterable {
    case queued, running, done, failed
}

/// One file to analyse with one pipeline, as a worker holds it.
public struct Job: Sendable, Equatable {
    public var id: Int64
    public var path: String
    /// The content's digest when queued, with the size and modification time it had then.
    public var sha256: String
    public var sizeBytes: Int64
    public var modified: Double
    public var pipeline: String
    public var pipelineHash: String
    public var priority: Int
    public var state: JobState
    /// Claims so far, this one included.
    public var attempts: Int
    public var worker: WorkerID?
    public var error: String?

    public init(id: Int64, path: String, sha256: String, sizeBytes: Int64, modified: Double, pipeline: String,
                pipelineHash: String, priority: Int, state: JobState, attempts: Int, worker: WorkerID?, error: String?) {
        self.id = id
        self.path = path
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.modified = modified
        self.pipeline = pipeline
        self.pipelineHash = pipelineHash
        self.priority = priority
        self.state = state
        self.attempts = attempts
        self.worker = worker
        self.error = error
    }
}

/// Who holds a job: `host:pid:nonce`. The host and pid let a later `run` on the same machine see at
/// once that the holder is gone (after `kill -9`) instead of waiting for its lease to run out.
public struct WorkerID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A fresh identity for this process.
    public static func thisProcess() -> WorkerID {
        WorkerID(rawValue: "\(localHost):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())")
    }

    /// This machine's name, read once (Foundation's `hostName` may ask the resolver).
    private static let localHost = ProcessInfo.processInfo.hostName

    public var host: String { String(rawValue.split(separator: ":").first ?? "") }
    public var pid: Int32? { rawValue.split(separator: ":").dropFirst().first.flatMap { Int32($0) } }

    /// True when the holder is a process on this host that no longer exists.
    public var isDeadOnThisHost: Bool {
        guard host == Self.localHost, let pid else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    public var description: String { rawValue }
}

/// How often a job is tried, and how long it waits between tries.
public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    /// The wait after the first failed try; it doubles after each one.
    public var firstDelay: TimeInterval

    public init(maxAttempts: Int = 3, firstDelay: TimeInterval = 30) {
        self.maxAttempts = maxAttempts
        self.firstDelay = firstDelay
    }

    /// The wait before try `attempts + 1`.
    public func delay(after attempts: Int) -> TimeInterval {
        firstDelay * pow(2, Double(max(0, attempts - 1)))
    }
}

/// The queue at a glance, for `emoscan status` and the progress line.
public struct QueueCounts: Sendable, Equatable {
    public var queued = 0
    public var running = 0
    public var done = 0
    public var failed = 0
    /// Of `queued`, how many wait for a retry delay to pass.
    public var waitingToRetry = 0
    /// Jobs finished (done or failed) per minute over the last ten minutes of activity; nil when none finished.
    public var perMinute: Double?

    public init() {}

    public var total: Int { queued + running + done + failed }
    public var remaining: Int { queued + running }

    /// Seconds until the queue is empty at `perMinute`; nil when there is no rate to go by.
    public var etaSeconds: Double? {
        guard let perMinute, perMinute > 0 else { return remaining == 0 ? 0 : nil }
        return Double(remaining) / perMinute * 60
    }
}

/// Why the store cannot be used: the CLI's exit code 3.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Another process held the store's write lock for longer than the timeout.
    case locked(path: String, seconds: Double)
    /// The store cannot be opened or written (missing folder, permissions, full disk, not a database).
    case unavailable(path: String, reason: String)

    /// What is wrong, without the path.
    public var reason: String {
        switch self {
        case .locked(_, let seconds): return "store is locked by another process (waited \(String(format: "%g", seconds)) s)"
        case .unavailable(_, let reason): return reason
        }
    }

    public var description: String {
        switch self {
        case .locked(let path, let seconds):
            return "\(path): store is locked by another process (waited \(String(format: "%g", seconds)) s)"
        case .unavailable(let path, let reason): return "\(path): store unavailable: \(reason)"
        }
    }

    /// `error` as one line a person can act on: Foundation's file errors carry the system's
    /// reason (`No space left on device`) under a dump of their user info, which is all that is kept.
    public static func words(for error: Error) -> String {
        if let error = error as? StoreError { return error.description }
        if let error = error as? POSIXError { return String(cString: strerror(error.code.rawValue)) }
        let nsError = error as NSError
        // On Linux the underlying error is a Swift error in the user info, not an NSError.
        let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        for candidate in [underlying, nsError].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
            case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
            case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
            case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
            default: break
            }
        }
        return "\(error)"
    }
}
