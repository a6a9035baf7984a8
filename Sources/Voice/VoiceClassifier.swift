import CVSupport

/// Which feature vector a voice model takes.
public enum VoiceFeatureSet: String, Sendable, Codable, CaseIterable {
    /// The time means of 40 MFCC, 12 chroma, 128 mel bands and the zero-crossing rate, computed as
    /// librosa does by default (`LibrosaFeatures`): what the audioanalytics model was trained on.
    case librosa181
    /// eGeMAPS-style parameters (pitch, jitter, shimmer, HNR, loudness, spectral balance) and MFCC
    /// statistics of a speech segment (`EmotionFeatures`), for emoscan's own classical models.
    case emotion = "emotion"
}

/// Why a voice model cannot run.
public enum VoiceModelError: Error, Equatable, CustomStringConvertible {
    /// `VoiceClassifier` cannot feed a network this feature set yet.
    case unsupportedFeatures(VoiceFeatureSet)

    public var description: String {
        switch self {
        case .unsupportedFeatures(let set): "voice models on the \(set.rawValue) features cannot run yet"
        }
    }
}

/// What the voice model is and how to feed it.
public struct VoiceModelSpec: Sendable, Equatable {
    /// The ONNX file.
    public var path: String
    /// Class names in the order of the model's outputs.
    public var labels: [String]
    /// The rate audio must have before features are computed.
    public var sampleRate: Int
    public var features: VoiceFeatureSet

    public init(path: String, labels: [String], sampleRate: Int, features: VoiceFeatureSet) {
        self.path = path
        self.labels = labels
        self.sampleRate = sampleRate
        self.features = features
    }
}

/// Runs a voice-emotion network (OpenCV `dnn`, ONNX) on stretches of speech.
public final class VoiceClassifier: Sendable {
    public let spec: VoiceModelSpec
    private let network: ONNXNetwork
    private let extractor: LibrosaFeatures

    public init(spec: VoiceModelSpec) throws {
        self.spec = spec
        network = try ONNXNetwork(path: spec.path, role: "voice model")
        switch spec.features {
        case .librosa181: extractor = LibrosaFeatures(sampleRate: spec.sampleRate)
        case .emotion: throw VoiceModelError.unsupportedFeatures(spec.features)
        }
    }

    /// Class probabilities for `samples` (mono, at `spec.sampleRate`).
    public func classify(samples: [Float]) throws -> [Float] {
        try classify(features: try extractor.features(of: samples))
    }

    /// Class probabilities for a ready feature vector. The network takes it as a 1×1×1×N tensor:
    /// the converter writes Keras's Conv1D as a Conv2D of height 1, the form OpenCV 4.6 runs.
    public func classify(features: [Float]) throws -> [Float] {
        try network.forward(features, shape: [1, 1, 1, features.count], outputs: spec.labels.count)
    }
}
