/// How face and voice answers become one (see `Fusion`): a pipeline's `fusion:`.
public struct FusionSettings: Codable, Sendable, Equatable {
    public var faceWeight: Double
    public var voiceWeight: Double
    /// A modality whose confidence is below this is left out, and the other answers alone.
    public var minConfidence: Double
    /// Voice label → face label. Voice labels not listed take no part in fusion.
    public var voiceToFace: [String: String]

    public init(faceWeight: Double, voiceWeight: Double, minConfidence: Double, voiceToFace: [String: String]) {
        self.faceWeight = faceWeight
        self.voiceWeight = voiceWeight
        self.minConfidence = minConfidence
        self.voiceToFace = voiceToFace
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case faceWeight, voiceWeight, minConfidence, voiceToFace
    }
}
