/// What the voice model is and how to feed it: a pipeline's `voice_model:`.
public struct VoiceModelSpec: Codable, Sendable, Equatable {
    public var name: String
    /// Where the weights come from and under which licence.
    public var source: String
    /// The model file: an ONNX network (`.onnx`), or a model emoscan trained (`.json`,
    /// `TrainedVoiceModel`); as written in the pipeline file, then absolute once resolved.
    public var path: String
    /// The digest the file must have.
    public var sha256: String
    /// The rate the model's features are computed at; audio is resampled to it.
    public var sampleRate: Int
    /// Which feature vector the model takes.
    public var features: VoiceFeatureSet
    /// Class names in the order of the model's outputs.
    public var labels: [String]

    public init(
        name: String = "", source: String = "", path: String, sha256: String = "", labels: [String],
        sampleRate: Int, features: VoiceFeatureSet
    ) {
        self.name = name
        self.source = source
        self.path = path
        self.sha256 = sha256
        self.sampleRate = sampleRate
        self.features = features
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, source, path, sha256, sampleRate, features, labels
    }
}
