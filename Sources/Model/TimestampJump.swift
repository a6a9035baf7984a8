/// A leap in a stream's timestamps: `seconds` with no frame, after the frame at `at`.
public struct TimestampJump: Codable, Sendable, Equatable {
    /// Presentation time, in seconds from the stream's start, of the last frame before the gap.
    public var at: Double
    public var seconds: Double

    public init(at: Double, seconds: Double) {
        self.at = at
        self.seconds = seconds
    }
}
