/// The Whisper model a pipeline uses, for a voice model on Whisper features: a pipeline's
/// optional `whisper:` section, which only such a pipeline needs.
public struct WhisperModelSpec: Codable, Sendable, Equatable {
    public var name: String
    /// Where the weights come from and under which licence.
    public var source: String
    /// The converted file (`Scripts/models/fetch-models whisper`); as written in the pipeline file,
    /// then absolute once resolved.
    public var path: String
    /// The digest the file must have.
    public var sha256: String
    /// Whether each file's spoken language is identified (`aggregate.language`); `--no-language`
    /// turns it off.
    public var identifyLanguage: Bool
    /// When the language is identified, speech that Whisper's no-speech token takes more than this
    /// probability of is noise the speech finder let through: it gets no voice emotion (1: never).
    public var noSpeechAbove: Double

    public init(
        name: String, source: String, path: String, sha256: String, identifyLanguage: Bool, noSpeechAbove: Double = 0.5
    ) {
        self.name = name
        self.source = source
        self.path = path
        self.sha256 = sha256
        self.identifyLanguage = identifyLanguage
        self.noSpeechAbove = noSpeechAbove
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, source, path, sha256, identifyLanguage, noSpeechAbove
    }
}
