/// Which pipeline made a result.
public struct PipelineStamp: Codable, Sendable {
    public var name: String
    public var hash: String
    /// The resolved settings, so a result can be understood without the pipeline file.
    public var settings: PipelineDefinition

    public init(name: String, hash: String, settings: PipelineDefinition) {
        self.name = name
        self.hash = hash
        self.settings = settings
    }
}
