/// Which language the file's speech is in, as Whisper tells it from up to its first 30 s.
public struct LanguageAggregate: Codable, Sendable, Equatable {
    /// Whisper's code for it (`en`, `de`, …).
    public var code: String
    /// Its probability among Whisper's 99 languages.
    public var confidence: Double
    /// Seconds of speech the answer rests on (at most 30).
    public var speechSeconds: Double
    /// Whisper's probability that those seconds hold no speech at all; above the pipeline's
    /// `whisper.no_speech_above` they are taken for noise, and the file has no language. Absent
    /// from documents written before emoscan recorded it.
    public var noSpeech: Double?

    public init(code: String, confidence: Double, speechSeconds: Double, noSpeech: Double?) {
        self.code = code
        self.confidence = confidence
        self.speechSeconds = speechSeconds
        self.noSpeech = noSpeech
    }
}
