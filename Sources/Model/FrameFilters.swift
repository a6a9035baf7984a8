/// The quality filters a frame and its faces must pass to be classified: a pipeline's `filters:`.
public struct FrameFilters: Codable, Sendable, Equatable {
    /// Mean gray level of the frame (0-255): darker frames are rejected.
    public var minBrightness: Double
    /// Brighter (washed-out) frames are rejected.
    public var maxBrightness: Double
    /// Variance of the Laplacian on the face: blurrier faces are rejected.
    public var minSharpness: Double
    /// Shorter side of the face box, in pixels of the frame.
    public var minFaceSize: Int

    public init(
        minBrightness: Double = 40, maxBrightness: Double = 220, minSharpness: Double = 10, minFaceSize: Int = 48
    ) {
        self.minBrightness = minBrightness
        self.maxBrightness = maxBrightness
        self.minSharpness = minSharpness
        self.minFaceSize = minFaceSize
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minBrightness, maxBrightness, minSharpness, minFaceSize
    }
}
