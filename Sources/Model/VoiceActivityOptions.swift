/// How speech is told from silence and from other sound. Levels are relative to the file's own,
/// because recordings differ by 50 dB or more (RAVDESS clips peak near −45 dBFS, broadcast
/// audio near −10), so no absolute threshold fits them all. A pipeline's `voice:`.
public struct VoiceActivityOptions: Sendable, Equatable, Codable {
    /// A file whose loud level (95th percentile of frame levels) is below this is silent.
    public var silenceBelowDB: Double
    /// Frames more than this far below the loud level are pauses.
    public var rangeDB: Double
    /// ... and so are frames less than this far above the quiet level (10th percentile): in a
    /// steady sound (hum, a tone, continuous music) loud and quiet levels are close, and no frame
    /// stands out as speech.
    public var aboveFloorDB: Double
    /// Active stretches closer than this are one utterance (the pauses between words).
    public var mergeGapSeconds: Double
    /// Shorter utterances (clicks, knocks) are dropped.
    public var minSpeechSeconds: Double
    /// Silence kept on each side of an utterance, so the features see its onset and decay.
    public var paddingSeconds: Double
    /// Speech comes in syllables: at least this fraction of an utterance's frames must dip
    /// 10 dB below its loud level. A held tone or note does not.
    public var minDipFraction: Double
    /// Utterances longer than this are split into equal segments no longer than it, each classified.
    public var maxSegmentSeconds: Double

    public init(
        silenceBelowDB: Double = -70, rangeDB: Double = 30, aboveFloorDB: Double = 6,
        mergeGapSeconds: Double = 0.5, minSpeechSeconds: Double = 0.2, paddingSeconds: Double = 0.2,
        minDipFraction: Double = 0.05, maxSegmentSeconds: Double = 4
    ) {
        self.silenceBelowDB = silenceBelowDB
        self.rangeDB = rangeDB
        self.aboveFloorDB = aboveFloorDB
        self.mergeGapSeconds = mergeGapSeconds
        self.minSpeechSeconds = minSpeechSeconds
        self.paddingSeconds = paddingSeconds
        self.minDipFraction = minDipFraction
        self.maxSegmentSeconds = maxSegmentSeconds
    }

    /// Written in snake case (a model file records them), the keys read as the pipeline's
    /// `voice:` keys do (`silence_below_db`), and read back.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case silenceBelowDB = "silenceBelowDb"
        case rangeDB = "rangeDb"
        case aboveFloorDB = "aboveFloorDb"
        case mergeGapSeconds, minSpeechSeconds, paddingSeconds, minDipFraction, maxSegmentSeconds
    }
}
