import Media
import Vision

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
}

/// The input file as probed.
public struct FileFacts: Codable, Sendable {
    /// Absolute path.
    public var path: String
    public var sizeBytes: Int?
    public var sha256: String?
    public var container: String?
    /// The duration the container declares (which a cut-off file still claims in full).
    public var durationSeconds: Double?
    /// Seconds of media the file really holds, when that differs from `duration_seconds`: where a
    /// truncated file's media ends, or a video's span without its timestamp jumps.
    public var contentSeconds: Double? = nil
    public var streams: [StreamInfo]
    /// The sampled video stream: codec, size, rotation, frame rate.
    public var video: VideoStreamInfo?
    /// The audio stream listened to: codec, rate, channels as stored.
    public var audio: AudioStreamInfo?
}

/// Which pipeline made a result.
public struct PipelineStamp: Codable, Sendable {
    public var name: String
    public var hash: String
    /// The resolved settings, so a result can be understood without the pipeline file.
    public var settings: PipelineDefinition
}

/// Which model a result came from.
public struct ModelStamp: Codable, Sendable {
    public var role: String
    public var name: String
    public var source: String
    public var sha256: String
    public var labels: [String]
}

// MARK: Frames and faces

/// Why a frame or face did not count towards the file's emotion.
public enum RejectReason: String, Codable, Sendable {
    case tooDark = "too_dark"
    case tooBright = "too_bright"
    case noFace = "no_face"
    case faceTooSmall = "face_too_small"
    case tooBlurred = "too_blurred"
}

/// One sampled frame: its time, its light, and what became of each face in it.
public struct FrameRow: Codable, Sendable {
    public var index: Int
    /// Presentation time in seconds.
    public var t: Double
    /// Mean gray level of the whole frame (0-255).
    public var brightness: Double
    /// True when at least one face in the frame was classified.
    public var accepted: Bool
    /// Why nothing in the frame was classified (nil when accepted).
    public var reason: RejectReason?
    /// Faces found, largest first.
    public var faces: [FaceRow]
}

/// One detected face.
public struct FaceRow: Codable, Sendable {
    public var box: FaceBox
    /// Shorter side of the box, in pixels.
    public var size: Int
    /// Variance of the Laplacian inside the box.
    public var sharpness: Double
    public var accepted: Bool
    public var reason: RejectReason?
    /// Class probabilities (only for accepted faces), by label.
    public var probs: [String: Double]?
}

// MARK: Aggregate and timings

/// The per-file answers: each modality's, and the fused one.
public struct Aggregate: Codable, Sendable {
    /// Absent when the face branch did not run (no video stream, or turned off).
    public var face: FaceAggregate?
    /// Absent when the voice branch did not run (no audio stream, or turned off).
    public var voice: VoiceAggregate?
    public var fused: FusedAggregate
}

/// The face modality's answer for a file.
public struct FaceAggregate: Codable, Sendable, Equatable {
    /// The label with the highest mean probability over accepted faces; nil when none was accepted.
    public var emotion: String?
    /// That label's mean probability.
    public var confidence: Double?
    /// Mean probability of each label over accepted faces.
    public var probs: [String: Double]?
    /// How many accepted faces had each label as their top class.
    public var counts: [String: Int]
    public var framesSampled: Int
    public var framesWithFace: Int
    public var framesAccepted: Int
    public var facesAccepted: Int
    /// How `emotion` was reached.
    public var method: String
}

/// Seconds spent per stage. Stages overlap: decoding runs while earlier frames are classified,
/// and the voice branch runs beside the video branch.
public struct Timings: Codable, Sendable {
    /// Video decoding and the face stage.
    public var decodeSeconds: Double = 0
    public var visionSeconds: Double = 0
    /// The whole voice branch: both audio passes, features and classification.
    public var voiceSeconds: Double = 0
    public var totalSeconds: Double = 0
}
