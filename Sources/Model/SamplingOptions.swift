/// How much of a file is looked at and listened to: how many frames to take from a video, at
/// what size, and how much of its speech to classify. A pipeline's `sampling:`.
public struct SamplingOptions: Codable, Sendable, Equatable {
    /// At most this many frames, spread evenly over the duration by presentation time.
    public var maxFrames: Int
    /// Frames wider than this are scaled down (keeping the aspect) when converted to gray:
    /// nothing downstream needs more, and a 4K frame would cost 6× the memory and time.
    public var maxWidth: Int
    /// Decoder threads (0 lets FFmpeg choose). One, because files and branches already run side by side.
    public var decoderThreads: Int
    /// Frames of more pixels than this are refused before decoding (`MediaError.frameTooLarge`):
    /// a decoded frame must fit in a worker's memory.
    public var maxPixels: Int
    /// At most this many seconds of speech are classified, in segments spread evenly over the
    /// file (the others are listed without probabilities): a 10-minute interview says what its
    /// voice shows well before Whisper has heard all of it, at a fraction of the work.
    public var maxSpeechSeconds: Double

    /// 40 megapixels: 8K UHD (7680×4320, 33.2) passes; one such frame decodes in about 130 MB.
    public static let defaultMaxPixels = 40_000_000

    public init(
        maxFrames: Int = 21, maxWidth: Int = 1280, decoderThreads: Int = 1, maxPixels: Int = defaultMaxPixels,
        maxSpeechSeconds: Double = 60
    ) {
        self.maxFrames = maxFrames
        self.maxWidth = maxWidth
        self.decoderThreads = decoderThreads
        self.maxPixels = maxPixels
        self.maxSpeechSeconds = maxSpeechSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxFrames, maxWidth, decoderThreads, maxPixels, maxSpeechSeconds
    }
}
