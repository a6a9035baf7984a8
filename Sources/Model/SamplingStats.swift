/// What sampling cost: how much was read and decoded to deliver the frames.
public struct SamplingStats: Codable, Sendable, Equatable {
    /// Video packets in the stream (read once, without decoding, to plan the sampling).
    public var videoPackets = 0
    /// Frames sampled out of how many were asked for (fewer when the video is shorter).
    public var framesTargeted = 0
    /// Frames the decoder produced, used or not.
    public var framesDecoded = 0
    /// Keyframe seeks taken instead of decoding through the frames in between.
    public var seeks = 0
    /// Whether the decoder was told to skip the frames before each target that no other frame
    /// is predicted from (B-frames, mostly; H.264 and HEVC): they cost decoding and would never
    /// be used. A stream without such frames (RAVDESS's) has none to skip.
    public var skippedNonReference = false
    /// Size of the gray frames analysed (scaled to at most `maxWidth`, turned upright): the
    /// pixels that face boxes are given in.
    public var frameWidth: Int?
    public var frameHeight: Int?
    /// Packets or frames the decoder rejected (corrupt data).
    public var decodeErrors = 0
    /// Frames the decoder produced but flagged as damaged (concealed errors, missing references).
    public var corruptFrames = 0
    /// Seconds of video the stream really holds, where that is less than its timestamps span
    /// (a timestamp jump) or its declared duration (a truncated file); nil when they agree.
    public var contentSeconds: Double?
    /// Gaps between consecutive frames far longer than any frame lasts: a camera or muxer that
    /// restarted its clock. Sampling spreads over the content on either side and skips the gap.
    public var timestampJumps: [TimestampJump] = []

    public init() {}
}
