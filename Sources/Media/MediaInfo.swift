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

    public init(container: String, durationSeconds: Double?, streams: [StreamInfo], video: VideoStreamInfo?,
                audio: AudioStreamInfo? = nil, isStillImage: Bool) {
        self.container = container
        self.durationSeconds = durationSeconds
        self.streams = streams
        self.video = video
        self.audio = audio
        self.isStillImage = isStillImage
    }
}

/// One stream of a container.
public struct StreamInfo: Codable, Sendable, Equatable {
    public var index: Int
    /// `video`, `audio`, `subtitle`, `data` or `attachment`.
    public var kind: String
    public var codec: String
    public var durationSeconds: Double?

    public init(index: Int, kind: String, codec: String, durationSeconds: Double?) {
        self.index = index
        self.kind = kind
        self.codec = codec
        self.durationSeconds = durationSeconds
    }
}

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

    public init(streamIndex: Int, codec: String, width: Int, height: Int, rotation: Int, averageFrameRate: Double?,
                frameCount: Int?) {
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

/// The audio stream's format as stored, before emoscan downmixes and resamples it.
public struct AudioStreamInfo: Codable, Sendable, Equatable {
    public var streamIndex: Int
    public var codec: String
    public var sampleRate: Int
    public var channels: Int

    public init(streamIndex: Int, codec: String, sampleRate: Int, channels: Int) {
        self.streamIndex = streamIndex
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
    }
}
