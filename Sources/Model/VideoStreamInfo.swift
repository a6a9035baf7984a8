/// The sampled video stream's geometry and timing.
public struct VideoStreamInfo: Codable, Sendable, Equatable {
    public var streamIndex: Int
    public var codec: String
    /// Coded size, before rotation.
    public var width: Int
    public var height: Int
    /// Clockwise rotation, in degrees (0, 90, 180 or 270), that the display matrix asks for.
    /// Frames handed out by the sampler are already turned upright.
    public var rotation: Int
    /// Average frame rate as the container states it; variable-frame-rate files are sampled by
    /// timestamp, so this is informative only.
    public var averageFrameRate: Double?
    /// Frame count as the container states it (0 or absent when it does not say).
    public var frameCount: Int?

    public init(
        streamIndex: Int, codec: String, width: Int, height: Int, rotation: Int, averageFrameRate: Double?,
        frameCount: Int?
    ) {
        self.streamIndex = streamIndex
        self.codec = codec
        self.width = width
        self.height = height
        self.rotation = rotation
        self.averageFrameRate = averageFrameRate
        self.frameCount = frameCount
    }

    /// Size of the upright picture, after rotation.
    public var displaySize: (width: Int, height: Int) {
        rotation % 180 == 0 ? (width, height) : (height, width)
    }
}
