/// The voice modality's answer for a file.
public struct VoiceAggregate: Codable, Sendable, Equatable {
    /// The label with the highest duration-weighted mean probability over speech segments.
    public var emotion: String?
    public var confidence: Double?
    public var probs: [String: Double]?
    /// How many speech segments had each label as their top class.
    public var counts: [String: Int]
    /// The classes the voice model knows: an answer can only be one of them.
    public var labels: [String]
    public var segmentsSpeech: Int
    public var speechSeconds: Double
    public var method: String

    public init(
        emotion: String?, confidence: Double?, probs: [String: Double]?, counts: [String: Int],
        labels: [String], segmentsSpeech: Int, speechSeconds: Double, method: String
    ) {
        self.emotion = emotion
        self.confidence = confidence
        self.probs = probs
        self.counts = counts
        self.labels = labels
        self.segmentsSpeech = segmentsSpeech
        self.speechSeconds = speechSeconds
        self.method = method
    }
}
