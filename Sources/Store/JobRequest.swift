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

    public init(
        path: String, sha256: String, sizeBytes: Int64, modified: Double, pipeline: String,
        pipelineHash: String, priority: Int = 0
    ) {
        self.path = path
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.modified = modified
        self.pipeline = pipeline
        self.pipelineHash = pipelineHash
        self.priority = priority
    }
}
