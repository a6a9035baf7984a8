/// Seconds spent per stage. Stages overlap: decoding runs while earlier frames are classified,
/// and the voice branch runs beside the video branch.
public struct Timings: Codable, Sendable {
    /// Video decoding and the face stage.
    public var decodeSeconds: Double = 0
    public var visionSeconds: Double = 0
    /// The whole voice branch: both audio passes, features and classification.
    public var voiceSeconds: Double = 0
    public var totalSeconds: Double = 0

    public init() {}
}
