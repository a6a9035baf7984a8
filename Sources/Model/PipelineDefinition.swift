/// A named pipeline, as written in a `Pipelines/*.yml` file: which modalities to run, how to
/// sample and filter frames, how to find speech, which models to run and how to fuse them.
///
/// Each section is the very options value its stage takes, so a default lives in one place
/// (and equals `Pipelines/default.yml`'s, which a test checks). Loading a file, with its checks
/// of unknown keys, is `PipelineDefinition.load` in `Pipeline`.
public struct PipelineDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var modalities: Modalities
    public var sampling: SamplingOptions
    public var filters: FrameFilters
    public var detector: FaceDetectorOptions
    public var faceModel: FaceModelSpec
    public var voice: VoiceActivityOptions
    public var voiceModel: VoiceModelSpec
    /// The one optional section: needed only when the voice model takes Whisper features.
    public var whisper: WhisperModelSpec?
    public var fusion: FusionSettings

    public init(
        name: String, description: String, modalities: Modalities, sampling: SamplingOptions,
        filters: FrameFilters, detector: FaceDetectorOptions, faceModel: FaceModelSpec,
        voice: VoiceActivityOptions, voiceModel: VoiceModelSpec, whisper: WhisperModelSpec? = nil,
        fusion: FusionSettings
    ) {
        self.name = name
        self.description = description
        self.modalities = modalities
        self.sampling = sampling
        self.filters = filters
        self.detector = detector
        self.faceModel = faceModel
        self.voice = voice
        self.voiceModel = voiceModel
        self.whisper = whisper
        self.fusion = fusion
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, modalities, sampling, filters, detector, faceModel, voice, voiceModel, whisper, fusion
    }

    /// Every key a pipeline file may hold, by section ("" is the top level), from the coding keys
    /// themselves. A key not listed is an error: a misspelt threshold must not silently fall back.
    ///
    /// Files spell keys in snake_case (`max_frames`); the coding keys are the Swift names
    /// (`maxFrames`), so that a result document holding these settings, written with
    /// `.convertToSnakeCase`, decodes back with `.convertFromSnakeCase` (which turns `max_frames`
    /// into `maxFrames` before matching, and so never matches a key spelt `max_frames`).
    public static let knownKeys: [String: Set<String>] = [
        "": names(CodingKeys.self),
        "modalities": names(Modalities.CodingKeys.self),
        "sampling": names(SamplingOptions.CodingKeys.self),
        "filters": names(FrameFilters.CodingKeys.self),
        "detector": names(FaceDetectorOptions.CodingKeys.self),
        snakeCase(CodingKeys.faceModel.stringValue): names(FaceModelSpec.CodingKeys.self),
        "voice": names(VoiceActivityOptions.CodingKeys.self),
        snakeCase(CodingKeys.voiceModel.stringValue): names(VoiceModelSpec.CodingKeys.self),
        "whisper": names(WhisperModelSpec.CodingKeys.self),
        "fusion": names(FusionSettings.CodingKeys.self),
    ]

    /// Settings whose value is a mapping of labels, whose keys are data, not setting names.
    public static let labelMappings: Set<String> = ["fusion.voice_to_face"]

    private static func names<Key: CodingKey & CaseIterable>(_: Key.Type) -> Set<String> {
        Set(Key.allCases.map { snakeCase($0.stringValue) })
    }

    /// `maxFrames` → `max_frames`: how a file spells a coding key.
    ///
    /// - Parameter key: a camelCase coding key.
    /// - Returns: the key with each capital letter lowercased and preceded by `_`.
    public static func snakeCase(_ key: String) -> String {
        key.reduce(into: "") { $0 += $1.isUppercase ? "_" + $1.lowercased() : String($1) }
    }

    /// `max_frames` → `maxFrames`: the coding key a file's key stands for.
    ///
    /// - Parameter key: a snake_case key as a file spells it.
    /// - Returns: the key with each `_` removed and the letter after it capitalized.
    public static func camelCase(_ key: String) -> String {
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        return words.enumerated()
            .map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }
            .joined()
    }
}
