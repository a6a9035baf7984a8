/// The per-file answers: each modality's, and the fused one.
public struct Aggregate: Codable, Sendable {
    /// Absent when the face branch did not run (no video stream, or turned off).
    public var face: FaceAggregate?
    /// Absent when the voice branch did not run (no audio stream, or turned off).
    public var voice: VoiceAggregate?
    public var fused: FusedAggregate

    public init(face: FaceAggregate?, voice: VoiceAggregate?, fused: FusedAggregate) {
        self.face = face
        self.voice = voice
        self.fused = fused
    }
}
