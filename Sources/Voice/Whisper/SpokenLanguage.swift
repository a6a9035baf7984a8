import Model

/// A file's spoken language, from up to its first 30 s of speech: Whisper's front-end, encoder
/// and language step over the speech segments joined end to end.
public struct SpokenLanguage: Sendable {
    /// Speech beyond this is not listened to: Whisper's window, and enough to tell a language.
    public static let maxSeconds = 30.0

    private let frontEnd = WhisperLogMel()
    private let encoder: WhisperEncoder
    private let identifier: WhisperLanguageIdentifier

    /// The language step over `weights`.
    ///
    /// - Parameter weights: the mapped Whisper model.
    /// - Throws: `WhisperError` when a tensor is missing or has another shape.
    public init(weights: WhisperWeights) throws {
        encoder = try WhisperEncoder(weights: weights)
        identifier = try WhisperLanguageIdentifier(weights: weights)
    }

    /// The most likely language of `speech`.
    ///
    /// - Parameter speech: 16 kHz speech, at most `maxSeconds` of it (the rest is ignored).
    /// - Returns: the code, its probability and the seconds heard; nil for less than 20 ms.
    /// - Throws: `OpenCVError` when the DFT fails.
    public func identify(speech: [Float]) throws -> LanguageAggregate? {
        let samples = Array(speech.prefix(Int(Self.maxSeconds) * WhisperLogMel.sampleRate))
        let encoding = try encoder.encode(try frontEnd.spectrogram(of: samples))
        guard encoding.frames > 0 else { return nil }
        let probabilities = identifier.probabilities(of: encoding)
        guard let best = TopLabel.index(of: probabilities.map(Double.init)) else { return nil }
        return LanguageAggregate(
            code: identifier.languages[best], confidence: Double(probabilities[best]),
            speechSeconds: Double(samples.count) / Double(WhisperLogMel.sampleRate))
    }
}
