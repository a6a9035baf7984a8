/// Which branches run (`--no-video`, `--no-audio` turn one off): a pipeline's `modalities:`.
public struct Modalities: Codable, Sendable, Equatable {
    public var face: Bool
    public var voice: Bool

    public init(face: Bool = true, voice: Bool = true) {
        self.face = face
        self.voice = voice
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case face, voice
    }
}
