/// What the voice branch found in a file: whether there was speech, and each segment's answer.
public struct VoiceReport: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Speech was found and classified.
        case speech
        /// The audio is silent (its loud level is below `voice.silence_below_db`).
        case silent
        /// There is sound, but none of it has the rhythm of speech (a tone, music, steady noise).
        case noSpeech = "no_speech"
        /// The audio is too short to hold an utterance (under `VoiceStage.shortestAudio`).
        case tooShort = "too_short"
        /// The file has no audio stream.
        case noAudio = "no_audio"
        /// The voice branch is turned off (`--no-audio` or the pipeline's `modalities.voice`).
        case disabled
        /// The audio could not be read; `error` says why.
        case failed
    }

    public var status: Status
    public var error: String?
    /// Seconds of audio decoded.
    public var audioSeconds: Double?
    /// Loud and quiet levels of the file (95th and 10th percentiles of 46 ms frames, dBFS), and
    /// the level above which a frame counted as active.
    public var loudDb: Double?
    public var quietDb: Double?
    public var thresholdDb: Double?
    /// Every utterance found, speech or not, in time order; silence between them is not listed.
    public var segments: [VoiceSegmentRow]

    public init(
        status: Status, error: String?, audioSeconds: Double?, loudDb: Double?, quietDb: Double?,
        thresholdDb: Double?, segments: [VoiceSegmentRow]
    ) {
        self.status = status
        self.error = error
        self.audioSeconds = audioSeconds
        self.loudDb = loudDb
        self.quietDb = quietDb
        self.thresholdDb = thresholdDb
        self.segments = segments
    }

    /// The report of a branch that found nothing to listen to, for the reason `status` gives.
    ///
    /// - Parameters:
    ///   - status: why there is nothing to listen to, such as `noAudio`, `disabled` or `failed`.
    ///   - error: what went wrong, for `failed`; nil otherwise.
    /// - Returns: a report with that status, no levels and no segments.
    public static func absent(_ status: Status, error: String? = nil) -> VoiceReport {
        VoiceReport(
            status: status, error: error, audioSeconds: nil, loudDb: nil, quietDb: nil, thresholdDb: nil,
            segments: [])
    }
}
