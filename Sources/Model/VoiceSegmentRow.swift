/// One stretch of sound.
public struct VoiceSegmentRow: Codable, Sendable, Equatable {
    /// Start and end, in seconds from the start of the audio.
    public var t0: Double
    public var t1: Double
    public var kind: SegmentKind
    /// Mean level over the segment, dBFS.
    public var levelDb: Double?
    /// Class probabilities by the voice model's labels (speech segments only).
    public var probs: [String: Double]?

    public init(t0: Double, t1: Double, kind: SegmentKind, levelDb: Double?, probs: [String: Double]?) {
        self.t0 = t0
        self.t1 = t1
        self.kind = kind
        self.levelDb = levelDb
        self.probs = probs
    }
}
