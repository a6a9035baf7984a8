/// One stream of a container.
public struct StreamInfo: Codable, Sendable, Equatable {
    public var index: Int
    /// `video`, `audio`, `subtitle`, `data` or `attachment`.
    public var kind: String
    public var codec: String
    public var durationSeconds: Double?

    public init(index: Int, kind: String, codec: String, durationSeconds: Double?) {
        self.index = index
        self.kind = kind
        self.codec = codec
        self.durationSeconds = durationSeconds
    }
}
