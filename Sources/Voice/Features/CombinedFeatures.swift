/// Several feature sets of one segment, side by side (`whisper+emotion`): the parts' vectors
/// concatenated in order, their names prefixed by nothing, as each part names its own.
public struct CombinedFeatures: SegmentFeatures {
    public let parts: [any SegmentFeatures]

    /// The parts, all at one sample rate.
    ///
    /// - Parameter parts: the extractors, in vector order; at least one, all at the same rate (a precondition).
    public init(_ parts: [any SegmentFeatures]) {
        precondition(!parts.isEmpty && Set(parts.map(\.sampleRate)).count == 1, "parts at one sample rate")
        self.parts = parts
    }

    public var sampleRate: Int { parts[0].sampleRate }
    public var featureNames: [String] { parts.flatMap(\.featureNames) }

    /// Every part's vector, concatenated.
    ///
    /// - Parameter samples: mono, at `sampleRate`.
    /// - Returns: `featureNames.count` values.
    /// - Throws: the first error of a part.
    public func features(of samples: [Float]) throws -> [Float] {
        try parts.flatMap { try $0.features(of: samples) }
    }
}
