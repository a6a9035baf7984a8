import CVSupport
import Model

/// Runs a voice-emotion model on stretches of speech: an ONNX network (OpenCV `dnn`) on
/// `LibrosaFeatures`, or a classifier emoscan trained on its own features (`SegmentFeatures`:
/// `EmotionFeatures`, `WhisperFeatures` or both).
public final class VoiceClassifier: Sendable {
    public let spec: VoiceModelSpec
    /// The temperature that calibrates a file's probabilities (`TemperatureScaling`): the model
    /// file's, or 1 for a model without one.
    public let temperature: Double
    private let backend: Backend

    private enum Backend: Sendable {
        case network(ONNXNetwork, LibrosaFeatures)
        case trained(StatisticalClassifier, Standardizer, any SegmentFeatures)
    }

    /// Loads the voice model `spec` names: emoscan's own model file (a `.json` path), or else an ONNX network.
    ///
    /// - Parameters:
    ///   - spec: The model's file, feature set, sample rate and labels.
    ///   - whisper: The converted Whisper file, for a model on Whisper features; mapped once per process.
    /// - Throws: `VoiceModelError` when the model does not match `spec` (an ONNX model takes only `librosa181`) or
    ///   needs Whisper and has none; Foundation's read error, `DecodingError` or `VoiceModelError` when a model
    ///   file cannot be read; `OpenCVError` when OpenCV cannot load the network or the classifier;
    ///   `WhisperError` when the Whisper file cannot be used.
    public init(spec: VoiceModelSpec, whisper: String? = nil) throws {
        self.spec = spec
        if spec.path.hasSuffix(".json") {
            let model = try TrainedVoiceModel.load(path: spec.path)
            let encoder = try whisper.map { try WhisperEncoder(weights: WhisperWeights.shared(path: $0)) }
            guard
                let extractor = model.features.extractor(
                    sampleRate: spec.sampleRate, whisper: encoder, layer: model.whisperLayer,
                    paddedSeconds: model.whisperPaddedSeconds ?? 0)
            else {
                throw VoiceModelError.mismatch(
                    path: spec.path,
                    what: "features \(model.features.rawValue) at \(spec.sampleRate) Hz"
                        + (model.features.usesWhisper ? " need the pipeline's whisper model and a layer" : ""))
            }
            try Self.check(model, against: spec, extractor: extractor)
            temperature = model.temperature ?? 1
            backend = .trained(
                try StatisticalClassifier(kind: model.classifier, serialized: model.model, classes: model.labels.count),
                model.standardizer, extractor)
            return
        }
        guard spec.features == .librosa181 else {
            throw VoiceModelError.mismatch(
                path: spec.path,
                what: "an ONNX voice model takes the librosa181 features, "
                    + "not \(spec.features.rawValue)")
        }
        temperature = 1
        backend = .network(
            try ONNXNetwork(path: spec.path, role: "voice model"), LibrosaFeatures(sampleRate: spec.sampleRate))
    }

    /// Class probabilities for `samples` (mono, at `spec.sampleRate`).
    ///
    /// - Parameter samples: The stretch's samples.
    /// - Returns: One probability (a score, for OpenCV's classifiers) per label of `spec`, in its order.
    /// - Throws: `AudioFeatureError.emptySignal` for no samples with an ONNX model; `OpenCVError` when the features or
    ///   the model fail.
    public func classify(samples: [Float]) throws -> [Float] {
        switch backend {
        case .network(_, let extractor): return try classify(features: try extractor.features(of: samples))
        case .trained(_, _, let extractor): return try classify(features: try extractor.features(of: samples))
        }
    }

    /// Class probabilities for a ready feature vector. A network takes it as a 1×1×1×N tensor (the
    /// converter writes Keras's Conv1D as a Conv2D of height 1, the form OpenCV 4.6 runs); a trained
    /// model standardises it first, as it was trained.
    ///
    /// - Parameter features: A vector of the model's feature set (`LibrosaFeatures` or `EmotionFeatures`).
    /// - Returns: One probability (a score, for OpenCV's classifiers) per label of `spec`, in its order.
    /// - Throws: `OpenCVError` when the model fails: a network on a vector of the wrong length, a trained model on one
    ///   shorter than it was trained on (values beyond that length are dropped).
    public func classify(features: [Float]) throws -> [Float] {
        switch backend {
        case .network(let network, _):
            return try network.forward(features, shape: [1, 1, 1, features.count], outputs: spec.labels.count)
        case .trained(let classifier, let standardizer, _):
            return try classifier.scores(for: standardizer.apply(features))
        }
    }

    /// A trained model must say what the pipeline expects of it, and take the features this code computes.
    private static func check(
        _ model: TrainedVoiceModel, against spec: VoiceModelSpec, extractor: any SegmentFeatures
    ) throws {
        let problems = [
            model.labels == spec.labels ? nil : "labels \(model.labels) differ from the pipeline's \(spec.labels)",
            model.features == spec.features
                ? nil : "features \(model.features.rawValue), the pipeline says \(spec.features.rawValue)",
            model.sampleRate == spec.sampleRate
                ? nil : "trained at \(model.sampleRate) Hz, the pipeline says \(spec.sampleRate)",
            model.featureNames == extractor.featureNames
                ? nil : "trained on other features than this emoscan computes",
        ].compactMap { $0 }
        if let first = problems.first { throw VoiceModelError.mismatch(path: spec.path, what: first) }
    }
}
