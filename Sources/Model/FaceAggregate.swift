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

    public init(
        emotion: String?, confidence: Double?, probs: [String: Double]?, counts: [String: Int],
        framesSampled: Int, framesWithFace: Int, framesAccepted: Int, facesAccepted: Int, method: String
    ) {
        self.emotion = emotion
        self.confidence = confidence
        self.probs = probs
        self.counts = counts
        self.framesSampled = framesSampled
        self.framesWithFace = framesWithFace
        self.framesAccepted = framesAccepted
        self.facesAccepted = facesAccepted
        self.method = method
    }
}
