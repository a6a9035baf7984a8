/// Which model an answer came from: the one shape in which a result document, an evaluation
/// report and (later) a server name a model. `ResolvedPipeline.models` builds them.
public struct ModelStamp: Codable, Sendable, Equatable {
    /// `face_detector`, `face_emotion` or `voice_emotion`.
    public var role: String
    public var name: String
    /// Where the weights come from and under which licence.
    public var source: String
    public var sha256: String
    /// The classes the model can answer, in its output order.
    public var labels: [String]

    public init(role: String, name: String, source: String, sha256: String, labels: [String]) {
        self.role = role
        self.name = name
        self.source = source
        self.sha256 = sha256
        self.labels = labels
    }
}
