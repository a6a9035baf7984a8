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

    public init(
        id: Int64, path: String, sha256: String, sizeBytes: Int64, modified: Double, pipeline: String,
        pipelineHash: String, priority: Int, state: JobState, attempts: Int, worker: WorkerID?, error: String?
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
    }
}
