import CVShim
import Foundation

/// A classifier trained on feature vectors: what emoscan's own voice model is. OpenCV's `ml`
/// module trains the SVM, random forest and MLP; the softmax perceptron is emoscan's own
/// (`SoftmaxPerceptron` says why). It is trained here, written as text (OpenCV's YAML, or JSON for
/// the perceptron) kept inside emoscan's model file, and read back from it.
///
/// `scores` may be called from several tasks: OpenCV's `predict` is not documented as
/// thread-safe, so its calls take turns on a lock, as `ONNXNetwork`'s do.
public final class StatisticalClassifier: @unchecked Sendable {
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

        /// The kind's number in CVShim, for OpenCV's kinds.
        var code: Int32? {
            switch self {
            case .svm: return Int32(CVS_ML_SVM)
            case .rtrees: return Int32(CVS_ML_RTREES)
            case .mlp: return Int32(CVS_ML_MLP)
            case .softmax: return nil
            }
        }
    }

    public let kind: Kind
    public let classes: Int
    private let backend: Backend
    private let lock = NSLock()

    private enum Backend {
        case openCV(OpaquePointer)
        case perceptron(SoftmaxPerceptron)
    }

    /// Trains on `samples` (one feature vector each, all the same length) with class indices
    /// `labels`, classes balanced; `grid` searches the SVM's C and gamma. Deterministic for a seed.
    public init(kind: Kind, samples: [[Float]], labels: [Int], classes: Int, grid: Bool = false, seed: UInt64 = 1) throws {
        precondition(samples.count == labels.count && !samples.isEmpty, "one label per sample")
        self.kind = kind
        self.classes = classes
        guard let code = kind.code else {
            backend = .perceptron(SoftmaxPerceptron(samples: samples, labels: labels, classes: classes, seed: seed))
            return
        }
        let flat = samples.flatMap { $0 }, labels32 = labels.map(Int32.init)
        backend = .openCV(try withCVCall("training the \(kind.rawValue) classifier") { error in
            cvs_ml_train(code, flat, Int32(samples.count), Int32(samples[0].count), labels32, Int32(classes),
                         grid ? 1 : 0, seed, &error)
        })
    }

    /// Reads a model written by `serialized()`.
    public init(kind: Kind, serialized text: String, classes: Int) throws {
        self.kind = kind
        self.classes = classes
        guard let code = kind.code else {
            let perceptron = try JSONDecoder().decode(SoftmaxPerceptron.self, from: Data(text.utf8))
            guard perceptron.classes == classes else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                    "the softmax classifier has \(perceptron.classes) classes, the model file \(classes)"))
            }
            backend = .perceptron(perceptron)
            return
        }
        backend = .openCV(try withCVCall("reading the \(kind.rawValue) classifier") { error in
            cvs_ml_deserialize(code, text, Int32(classes), &error)
        })
    }

    deinit {
        if case .openCV(let model) = backend { cvs_ml_free(model) }
    }

    /// The model as text: OpenCV's YAML, or the perceptron's JSON (keys sorted, so the same model
    /// always gives the same text).
    public func serialized() throws -> String {
        switch backend {
        case .perceptron(let perceptron):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: try encoder.encode(perceptron), as: UTF8.self)
        case .openCV(let model):
            var text: UnsafeMutablePointer<CChar>?
            try withCVCall("writing the \(kind.rawValue) classifier") { error in
                cvs_ml_serialize(model, &text, &error)
            }
            defer { cvs_free(text) }
            return text.map { String(cString: $0) } ?? ""
        }
    }

    /// Per-class scores for one feature vector, summing to 1.
    public func scores(for features: [Float]) throws -> [Float] {
        switch backend {
        case .perceptron(let perceptron):
            guard features.count == perceptron.inputs else {
                throw OpenCVError(operation: "classifying with the softmax classifier",
                                  message: "it takes \(perceptron.inputs) features, not \(features.count)")
            }
            return perceptron.probabilities(for: features)
        case .openCV(let model):
            var scores = [Float](repeating: 0, count: classes)
            _ = try lock.withLock {
                try withCVCall("classifying with the \(kind.rawValue) classifier") { error in
                    cvs_ml_scores(model, features, Int32(features.count), &scores, &error)
                }
            }
            return scores
        }
    }
}
