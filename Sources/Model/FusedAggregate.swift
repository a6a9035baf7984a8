/// The file's one answer from face and voice, in the face model's label space.
public struct FusedAggregate: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable {
        /// Both modalities, each weighted by its pipeline weight times its confidence.
        case weighted
        /// The face alone: the voice is absent or below `fusion.min_confidence`.
        case faceOnly = "face_only"
        /// The voice alone (mapped to face labels): the face is absent or below `fusion.min_confidence`.
        case voiceOnly = "voice_only"
        /// Neither modality gave an answer.
        case none
    }

    public var emotion: String?
    public var confidence: Double?
    /// Fused probability of each face label.
    public var probs: [String: Double]?
    public var method: Method
    /// The weights actually applied after normalising by confidence (they sum to 1; 0 for a
    /// modality left out).
    public var faceWeight: Double
    public var voiceWeight: Double
    /// Why a modality was left out, when one was.
    public var note: String?

    public init(
        emotion: String?, confidence: Double?, probs: [String: Double]?, method: Method, faceWeight: Double,
        voiceWeight: Double, note: String?
    ) {
        self.emotion = emotion
        self.confidence = confidence
        self.probs = probs
        self.method = method
        self.faceWeight = faceWeight
        self.voiceWeight = voiceWeight
        self.note = note
    }
}
