/// Everything emoscan found in one file with one pipeline: the document written as JSON.
///
/// Versioned by `schema`; a field is only ever added, never renamed or repurposed, within a version.
/// Version 2 added the voice branch (`voice`, `aggregate.voice`, `aggregate.fused`, `file.audio`)
/// and made `aggregate.face` absent when the face branch did not run.
public struct FileResult: Codable, Sendable {
    public static let currentSchema = "emoscan.result/2"

    public enum Status: String, Codable, Sendable {
        /// Analysed; an emotion may still be absent (no accepted face, no speech), and `warnings` say why.
        case ok
        /// No branch could analyse the file; `error` says why.
        case failed
    }

    public var schema = FileResult.currentSchema
    public var status: Status
    public var error: String?
    public var file: FileFacts
    public var pipeline: PipelineStamp
    public var models: [ModelStamp]
    /// One row per sampled frame, in time order, accepted or not.
    public var frames: [FrameRow]
    /// The voice branch's finding and its segments.
    public var voice: VoiceReport
    public var aggregate: Aggregate
    public var sampling: SamplingStats?
    public var timings: Timings
    public var warnings: [String]
    /// When the analysis finished (ISO 8601, UTC).
    public var analyzedAt: String

    public init(
        status: Status, error: String?, file: FileFacts, pipeline: PipelineStamp, models: [ModelStamp],
        frames: [FrameRow], voice: VoiceReport, aggregate: Aggregate, sampling: SamplingStats?, timings: Timings,
        warnings: [String], analyzedAt: String
    ) {
        self.status = status
        self.error = error
        self.file = file
        self.pipeline = pipeline
        self.models = models
        self.frames = frames
        self.voice = voice
        self.aggregate = aggregate
        self.sampling = sampling
        self.timings = timings
        self.warnings = warnings
        self.analyzedAt = analyzedAt
    }
}
