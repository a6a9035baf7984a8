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

    public init(
        path: String, sizeBytes: Int?, sha256: String?, container: String?, durationSeconds: Double?,
        streams: [StreamInfo], video: VideoStreamInfo?, audio: AudioStreamInfo?
    ) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.container = container
        self.durationSeconds = durationSeconds
        self.streams = streams
        self.video = video
        self.audio = audio
    }
}
