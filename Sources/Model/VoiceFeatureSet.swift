/// Which feature vector a voice model takes.
public enum VoiceFeatureSet: String, Sendable, Codable, CaseIterable {
    /// The time means of 40 MFCC, 12 chroma, 128 mel bands and the zero-crossing rate, computed as
    /// librosa does by default (`LibrosaFeatures`): what the audioanalytics model was trained on.
    case librosa181
    /// eGeMAPS-style parameters (pitch, jitter, shimmer, HNR, loudness, spectral balance) and MFCC
    /// statistics of a speech segment (`EmotionFeatures`), for emoscan's own classical models.
    case emotion
    /// Whisper base's encoder states of one layer, mean and standard deviation over the segment
    /// (`WhisperFeatures`): 1024 values.
    case whisper
    /// `whisper` followed by `emotion`.
    case whisperEmotion = "whisper+emotion"

    /// Whether the set needs Whisper's encoder.
    public var usesWhisper: Bool { self == .whisper || self == .whisperEmotion }

    /// Reads a feature set's name, failing with the names there are (a pipeline file's error).
    ///
    /// - Parameter decoder: the decoder holding the name as a single string.
    /// - Throws: `DecodingError.dataCorrupted` listing the known names for an unknown one; `DecodingError` when the
    ///   value is not a string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let known = VoiceFeatureSet(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "must be one of: " + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = known
    }
}
