import Foundation

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
    /// When it was queued and when it finished, on the store's clock: `jobs(_:)` reads them; a
    /// worker's copy of a job (from `claim`) may leave them nil.
    public var queuedAt: Date?
    public var finishedAt: Date?

    public init(
        id: Int64, path: String, sha256: String, sizeBytes: Int64, modified: Double, pipeline: String,
        pipelineHash: String, priority: Int, state: JobState, attempts: Int, worker: WorkerID?, error: String?,
        queuedAt: Date? = nil, finishedAt: Date? = nil
    ) {
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
        self.queuedAt = queuedAt
        self.finishedAt = finishedAt
    }
}
