import Foundation

/// Which jobs `BatchStore.jobs(_:)` lists: every filter that is set must hold. Pages go by id,
/// oldest first: the next page is the one after the last id seen (`afterID`), which stays right
/// while jobs are added, unlike an offset.
public struct JobQuery: Sendable, Equatable {
    /// One job.
    public var id: Int64?
    /// The jobs of this content (with `pipelineHash`: the one job of this content and pipeline).
    public var sha256: String?
    public var pipelineHash: String?
    public var state: JobState?
    /// Queued at or after this time, on the store's clock.
    public var queuedSince: Date?
    /// Only jobs whose file's latest result has this fused emotion.
    public var fusedEmotion: String?
    /// Only ids greater than this: the page after one that ended with it.
    public var afterID: Int64?
    /// At most this many.
    public var limit: Int

    public init(
        id: Int64? = nil, sha256: String? = nil, pipelineHash: String? = nil, state: JobState? = nil,
        queuedSince: Date? = nil, fusedEmotion: String? = nil, afterID: Int64? = nil, limit: Int = 100
    ) {
        self.id = id
        self.sha256 = sha256
        self.pipelineHash = pipelineHash
        self.state = state
        self.queuedSince = queuedSince
        self.fusedEmotion = fusedEmotion
        self.afterID = afterID
        self.limit = limit
    }
}
