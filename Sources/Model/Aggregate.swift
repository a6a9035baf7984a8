/// The per-file answers: each modality's, and the fused one.
public struct Aggregate: Codable, Sendable {
    /// Absent when the face branch did not run (no video stream, or turned off).
    public var face: FaceAggregate?
    /// Absent when the voice branch did not run (no audio stream, or turned off).
    public var voice: VoiceAggregate?
    public var fused: FusedAggregate
    /// The spoken language; absent when the pipeline does not identify it or there was no speech.
    public var language: LanguageAggregate?

    public init(
        face: FaceAggregate?, voice: VoiceAggregate?, fused: FusedAggregate, language: LanguageAggregate? = nil
    ) {
        self.face = face
        self.voice = voice
        self.fused = fused
        self.language = language
    }
}
