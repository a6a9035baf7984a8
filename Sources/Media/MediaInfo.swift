import Model

/// What probing a recording found: the facts a result document records about its input.
public struct MediaInfo: Codable, Sendable, Equatable {
    /// The container format as FFmpeg names it (e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `png_pipe`).
    public var container: String
    /// Duration in seconds, when the container or stream states one.
    public var durationSeconds: Double?
    /// Every stream in the container, in order.
    public var streams: [StreamInfo]
    /// The video stream emoscan samples, if any.
    public var video: VideoStreamInfo?
    /// The audio stream emoscan listens to, if any.
    public var audio: AudioStreamInfo?
    /// True for still images (jpg, png, ...), which are analysed as a single frame.
    public var isStillImage: Bool

    public init(
        container: String, durationSeconds: Double?, streams: [StreamInfo], video: VideoStreamInfo?,
        audio: AudioStreamInfo? = nil, isStillImage: Bool
    ) {
        self.container = container
        self.durationSeconds = durationSeconds
        self.streams = streams
        self.video = video
        self.audio = audio
        self.isStillImage = isStillImage
    }
}
