import CVSupport
import Foundation

/// A classifier over feature vectors: what emoscan's own voice model is. OpenCV's `ml` module
/// provides the SVM, random forest and MLP; the softmax perceptron is emoscan's own
/// (`SoftmaxPerceptron` says why). It is kept as text (OpenCV's YAML, or JSON for the perceptron)
/// inside emoscan's model file and read back from it; the `Training` module makes one.
public struct StatisticalClassifier: Sendable {
    /// The kinds of classifier, by their command-line names.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Support vector machine, RBF kernel: decides a class without probabilities.
        case svm
        /// Random forest: scores are the trees' vote shares.
        case rtrees
        /// OpenCV's multi-layer perceptron, one hidden layer: scores are its outputs through a softmax.
        case mlp
        /// emoscan's `SoftmaxPerceptron`: an ensemble trained with cross-entropy and weight decay,
        /// whose scores are probabilities.
        case softmax

        /// The OpenCV algorithm of this kind; nil for emoscan's perceptron.
        public var openCVAlgorithm: OpenCVClassifier.Algorithm? { OpenCVClassifier.Algorithm(rawValue: rawValue) }
    }

    /// What computes the scores.
    public enum Engine: Sendable {
        case openCV(OpenCVClassifier)
        case perceptron(SoftmaxPerceptron)
    }

    /// The engine's kind, as the model file names it.
    public var kind: Kind {
        switch engine {
        case .openCV(let model): return Kind(rawValue: model.algorithm.rawValue)!
        case .perceptron: return .softmax
        }
    }

    /// How many classes it tells apart; `scores` returns one value for each.
    public var classes: Int {
        switch engine {
        case .openCV(let model): return model.classes
        case .perceptron(let perceptron): return perceptron.classes
        }
    }

    public let engine: Engine

    /// Wraps a trained engine.
    public init(engine: Engine) {
        self.engine = engine
    }

    /// Reads a model written by `serialized()`.
    ///
    /// - Parameters:
    ///   - kind: The kind the model file says it is.
    ///   - text: The classifier's text from the model file.
    ///   - classes: How many labels the model file names.
    /// - Throws: `OpenCVError` for OpenCV's kinds, `DecodingError` for the perceptron, when the
    ///   text is not such a model or has another number of classes.
    public init(kind: Kind, serialized text: String, classes: Int) throws {
        guard let algorithm = kind.openCVAlgorithm else {
            let perceptron = try JSONDecoder().decode(SoftmaxPerceptron.self, from: Data(text.utf8))
            guard perceptron.classes == classes else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: [],
                        debugDescription:
                            "the softmax classifier has \(perceptron.classes) classes, the model file \(classes)"))
            }
            engine = .perceptron(perceptron)
            return
        }
        engine = .openCV(try OpenCVClassifier(algorithm: algorithm, serialized: text, classes: classes))
    }

    /// The model as text: OpenCV's YAML, or the perceptron's JSON (keys sorted, so the same model
    /// always gives the same text).
    ///
    /// - Returns: The text, for `init(kind:serialized:classes:)` to read back.
    /// - Throws: `OpenCVError` or `EncodingError` when it cannot be written.
    public func serialized() throws -> String {
        switch engine {
        case .perceptron(let perceptron):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: try encoder.encode(perceptron), as: UTF8.self)
        case .openCV(let model):
            return try model.serialized()
        }
    }

    /// Per-class scores for one feature vector, summing to 1.
    ///
    /// - Parameter features: A standardised vector as long as the training samples.
    /// - Returns: `classes` scores.
    /// - Throws: `OpenCVError`, also for a vector of the wrong length.
    public func scores(for features: [Float]) throws -> [Float] {
        switch engine {
        case .perceptron(let perceptron):
            guard features.count == perceptron.inputs else {
                throw OpenCVError(
                    operation: "classifying with the softmax classifier",
                    message: "it takes \(perceptron.inputs) features, not \(features.count)")
            }
            return perceptron.probabilities(for: features)
        case .openCV(let model):
            return try model.scores(for: features)
        }
    }
}
