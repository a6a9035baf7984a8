/// What a person says a file shows.
public struct HumanLabel: Sendable, Equatable {
    /// Absolute path of the file.
    public var file: String
    public var emotion: String
    /// Where the label came from (`cli`, or the corrections file's path).
    public var source: String

    public init(file: String, emotion: String, source: String) {
        self.file = file
        self.emotion = emotion
        self.source = source
    }
}
