/// What a stretch of sound is.
public enum SegmentKind: String, Sendable, Codable {
    /// Speech: classified.
    case speech
    /// Sound that stands out from the file's quiet level but has no syllable rhythm (a tone,
    /// sustained music): reported, not classified.
    case nonSpeech = "non_speech"
}
