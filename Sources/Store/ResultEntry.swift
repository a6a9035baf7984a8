import Foundation
import Model

/// A file's latest result as the store's index keeps it: what `summary.csv`, `results list` and
/// `evaluate --labelled` read, without opening the document.
public struct ResultEntry: Sendable, Equatable {
    /// Absolute path of the analysed file.
    public var file: String
    public var status: FileResult.Status
    public var error: String?
    public var durationSeconds: Double?
    public var framesSampled: Int?
    public var framesWithFace: Int?
    public var framesAccepted: Int?
    public var faceEmotion: String?
    public var faceConfidence: Double?
    /// The result document's path; nil when there is none (a job that failed before analysis).
    public var document: String?
    public var pipeline: String?
    public var pipelineHash: String?
    /// When the analysis finished (ISO 8601, UTC), as the document says.
    public var analyzedAt: String?
    public var voiceEmotion: String?
    public var voiceConfidence: Double?
    public var fusedEmotion: String?
    public var fusedConfidence: Double?
    /// How the fused answer was reached; nil for a failed file.
    public var fusionMethod: FusedAggregate.Method?
    /// The spoken language's code, and its probability; nil when it was not identified.
    public var language: String?
    public var languageConfidence: Double?

    public init(
        file: String, status: FileResult.Status, error: String? = nil, durationSeconds: Double? = nil,
        framesSampled: Int? = nil, framesWithFace: Int? = nil, framesAccepted: Int? = nil,
        faceEmotion: String? = nil, faceConfidence: Double? = nil, document: String? = nil,
        pipeline: String? = nil, pipelineHash: String? = nil, analyzedAt: String? = nil,
        voiceEmotion: String? = nil, voiceConfidence: Double? = nil, fusedEmotion: String? = nil,
        fusedConfidence: Double? = nil, fusionMethod: FusedAggregate.Method? = nil, language: String? = nil,
        languageConfidence: Double? = nil
    ) {
        self.file = file
        self.status = status
        self.error = error
        self.durationSeconds = durationSeconds
        self.framesSampled = framesSampled
        self.framesWithFace = framesWithFace
        self.framesAccepted = framesAccepted
        self.faceEmotion = faceEmotion
        self.faceConfidence = faceConfidence
        self.document = document
        self.pipeline = pipeline
        self.pipelineHash = pipelineHash
        self.analyzedAt = analyzedAt
        self.voiceEmotion = voiceEmotion
        self.voiceConfidence = voiceConfidence
        self.fusedEmotion = fusedEmotion
        self.fusedConfidence = fusedConfidence
        self.fusionMethod = fusionMethod
        self.language = language
        self.languageConfidence = languageConfidence
    }

    /// The entry for `result`, whose document was written to `document`.
    ///
    /// - Parameters:
    ///   - result: the file's result; its fusion method is kept only when its status is `ok`.
    ///   - document: the path of the result's JSON document; nil when it is kept in the database only.
    public init(_ result: FileResult, document: String?) {
        let face = result.aggregate.face, voice = result.aggregate.voice, fused = result.aggregate.fused
        self.init(
            file: result.file.path, status: result.status, error: result.error,
            durationSeconds: result.file.durationSeconds, framesSampled: face?.framesSampled,
            framesWithFace: face?.framesWithFace, framesAccepted: face?.framesAccepted,
            faceEmotion: face?.emotion, faceConfidence: face?.confidence, document: document,
            pipeline: result.pipeline.name, pipelineHash: result.pipeline.hash, analyzedAt: result.analyzedAt,
            voiceEmotion: voice?.emotion, voiceConfidence: voice?.confidence, fusedEmotion: fused.emotion,
            fusedConfidence: fused.confidence, fusionMethod: result.status == .ok ? fused.method : nil,
            language: result.aggregate.language?.code, languageConfidence: result.aggregate.language?.confidence)
    }

    /// The entry of a job that failed without an analysis (its worker died on every attempt).
    ///
    /// - Parameters:
    ///   - job: the job; its path and pipeline go into the entry.
    ///   - reason: why it failed; the entry's error reads `<path>: <reason>`.
    ///   - time: when it was failed: the entry's `analyzedAt`.
    /// - Returns: a `failed` entry without a document.
    public static func failed(_ job: Job, reason: String, at time: Date) -> ResultEntry {
        ResultEntry(
            file: job.path, status: .failed, error: "\(job.path): \(reason)", pipeline: job.pipeline,
            pipelineHash: job.pipelineHash, analyzedAt: time.formatted(.iso8601))
    }
}
