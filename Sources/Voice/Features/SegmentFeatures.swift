/// What turns one stretch of speech into the fixed-length vector emoscan's own voice classifiers
/// take. A model file records the names, and a model is refused by code whose names differ.
public protocol SegmentFeatures: Sendable {
    /// The rate the samples must be at.
    var sampleRate: Int { get }
    /// The features' names, in vector order.
    var featureNames: [String] { get }

    /// The vector of one stretch of speech.
    ///
    /// - Parameter samples: mono, at `sampleRate`.
    /// - Returns: `featureNames.count` values.
    /// - Throws: what the extractor's signal processing throws (`OpenCVError`, `WhisperError`).
    func features(of samples: [Float]) throws -> [Float]
}

extension EmotionFeatures: SegmentFeatures {
    public var featureNames: [String] { Self.names }
}
