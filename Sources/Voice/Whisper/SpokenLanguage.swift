import Model

/// A file's spoken language, from up to its first 30 s of speech: Whisper's front-end, encoder
/// and language step over the speech segments joined end to end, padded with silence to 10 s.
///
/// Why the padding: Whisper learnt languages from 30 s windows, mostly silence after a short
/// utterance. Unpadded, TESS's 1.5 s "Say the word …" came out English for 37 of 56 files (16
/// Hawaiian) and EmoDB German for 38 of 42; padded to 10 s, 56 of 56 and 41 of 42, the same as
/// padded to 30 s, for about 0.3 s of CPU a file instead of 1.8 s (158 files through
/// `analyze --no-video` with the Whisper voice model, release build). Emotion features stay unpadded.
public struct SpokenLanguage: Sendable {
    /// Speech beyond this is not listened to: Whisper's window, and enough to tell a language.
    public static let maxSeconds = 30.0
    /// Shorter speech is padded with silence to this.
    public static let paddedSeconds = 10.0

    /// Above this no-speech probability, what was heard is not speech.
    public let noSpeechAbove: Double
    private let frontEnd = WhisperLogMel()
    private let encoder: WhisperEncoder
    private let identifier: WhisperLanguageIdentifier

    /// The language step over `weights`.
    ///
    /// - Parameters:
    ///   - weights: the mapped Whisper model.
    ///   - noSpeechAbove: the no-speech probability above which speech is taken for noise (1: never).
    /// - Throws: `WhisperError` when a tensor is missing or has another shape.
    public init(weights: WhisperWeights, noSpeechAbove: Double = 0.5) throws {
        encoder = try WhisperEncoder(weights: weights)
        identifier = try WhisperLanguageIdentifier(weights: weights)
        self.noSpeechAbove = noSpeechAbove
    }

    /// The most likely language of `speech`, and how likely it is that it holds no speech at all.
    ///
    /// - Parameter speech: 16 kHz speech, at most `maxSeconds` of it (the rest is ignored).
    /// - Returns: the code, its probability, the seconds of speech heard and the no-speech
    ///   probability; nil for no samples.
    /// - Throws: `OpenCVError` when the DFT fails.
    public func identify(speech: [Float]) throws -> LanguageAggregate? {
        let rate = WhisperLogMel.sampleRate
        let samples = Array(speech.prefix(Int(Self.maxSeconds) * rate))
        guard !samples.isEmpty else { return nil }
        let padding = max(0, Int(Self.paddedSeconds) * rate - samples.count)
        let encoding = try encoder.encode(
            try frontEnd.spectrogram(of: samples + [Float](repeating: 0, count: padding)))
        let verdict = identifier.verdict(on: encoding)
        guard let best = TopLabel.index(of: verdict.languages.map(Double.init)) else { return nil }
        return LanguageAggregate(
            code: identifier.languages[best], confidence: Double(verdict.languages[best]),
            speechSeconds: Double(samples.count) / Double(rate), noSpeech: Double(verdict.noSpeech))
    }

    /// Whether `language`'s no-speech probability says its speech was noise.
    ///
    /// - Parameter language: what `identify(speech:)` said.
    /// - Returns: true above `noSpeechAbove`.
    public func isNoise(_ language: LanguageAggregate) -> Bool { (language.noSpeech ?? 0) > noSpeechAbove }
}
