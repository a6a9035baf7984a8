import Model

/// A file's spoken language, from up to its first 30 s of speech: Whisper's front-end, encoder
/// and language step over the speech segments joined end to end, padded with silence.
///
/// Why the padding: Whisper learnt languages from 30 s windows, mostly silence after a short
/// utterance. Unpadded, TESS's 1.5 s "Say the word …" came out English for 37 of 56 files (16
/// Hawaiian) and EmoDB German for 38 of 42; padded to 10 s, 56 of 56 and 41 of 42, the same as
/// padded to 30 s. Padding costs encoder work, so short speech is first heard padded to 4 s,
/// and again padded to 10 s only when that answer is unsure (a language below 0.9, or a
/// no-speech probability above 0.1): at 4 s every wrong answer on EmoDB, TESS and RAVDESS was
/// below 0.89, and real speech's no-speech probabilities are near 0.02. Emotion features stay unpadded.
public struct SpokenLanguage: Sendable {
    /// Speech beyond this is not listened to: Whisper's window, and enough to tell a language.
    public static let maxSeconds = 30.0
    /// Shorter speech is first padded with silence to this...
    public static let quickPaddedSeconds = 4.0
    /// ... and, when that answer is unsure, to this.
    public static let paddedSeconds = 10.0
    /// A quick answer stands when its language is at least this likely...
    static let sureLanguage: Float = 0.9
    /// ... and no-speech at most this.
    static let sureSpeech: Float = 0.1

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
        var verdict = try self.verdict(on: samples, paddedTo: Self.quickPaddedSeconds)
        let sure = (verdict.languages.max() ?? 0) >= Self.sureLanguage && verdict.noSpeech <= Self.sureSpeech
        if !sure, samples.count < Int(Self.paddedSeconds) * rate {
            verdict = try self.verdict(on: samples, paddedTo: Self.paddedSeconds)
        }
        guard let best = TopLabel.index(of: verdict.languages.map(Double.init)) else { return nil }
        return LanguageAggregate(
            code: identifier.languages[best], confidence: Double(verdict.languages[best]),
            speechSeconds: Double(samples.count) / Double(rate), noSpeech: Double(verdict.noSpeech))
    }

    private func verdict(on samples: [Float], paddedTo seconds: Double) throws -> WhisperLanguageIdentifier.Verdict {
        let padding = max(0, Int(seconds * Double(WhisperLogMel.sampleRate)) - samples.count)
        return identifier.verdict(
            on: try encoder.encode(try frontEnd.spectrogram(of: samples + [Float](repeating: 0, count: padding))))
    }

    /// Whether `language`'s no-speech probability says its speech was noise.
    ///
    /// - Parameter language: what `identify(speech:)` said.
    /// - Returns: true above `noSpeechAbove`.
    public func isNoise(_ language: LanguageAggregate) -> Bool { (language.noSpeech ?? 0) > noSpeechAbove }
}
