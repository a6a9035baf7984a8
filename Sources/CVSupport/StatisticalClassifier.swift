import CVShim
import Foundation

/// A classifier from OpenCV's `ml` module, trained on feature vectors: what emoscan's own voice
/// model is. It is trained here, written as OpenCV's YAML text (kept inside emoscan's model file)
/// and read back from it.
///
/// `scores` may be called from several tasks: OpenCV's `predict` is not documented as
/// thread-safe, so calls take turns on a lock, as `ONNXNetwork`'s do.
public final class StatisticalClassifier: @unchecked Sendable {
    /// The kinds of classifier, by their command-line names.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Support vector machine, RBF kernel: decides a class without probabilities.
        case svm
        /// Random forest: scores are the trees' vote shares.
        case rtrees
        /// Multi-layer perceptron, one hidden layer: scores are its outputs through a softmax.
        case mlp

        var code: Int32 {
            switch self {
            case .svm: return Int32(CVS_ML_SVM)
            case .rtrees: return Int32(CVS_ML_RTREES)
            case .mlp: return Int32(CVS_ML_MLP)
            }
        }
    }

    public let kind: Kind
    public let classes: Int
    private let model: OpaquePointer
    private let lock = NSLock()

    /// Trains on `samples` (one feature vector each, all the same length) with class indices
    /// `labels`, classes balanced; `grid` searches the SVM's C and gamma. Deterministic for a seed.
    public init(kind: Kind, samples: [[Float]], labels: [Int], classes: Int, grid: Bool = false, seed: UInt64 = 1) throws {
        precondition(samples.count == labels.count && !samples.isEmpty, "one label per sample")
        let columns = samples[0].count
        let flat = samples.flatMap { $0 }
        let labels32 = labels.map(Int32.init)
        self.kind = kind
        self.classes = classes
        model = try withCVCall("training the \(kind.rawValue) classifier") { error in
            cvs_ml_train(kind.code, flat, Int32(samples.count), Int32(columns), labels32, Int32(classes),
                         grid ? 1 : 0, seed, &error)
        }
    }

    /// Reads a model written by `serialized()`.
    public init(kind: Kind, serialized text: String, classes: Int) throws {
        self.kind = kind
        self.classes = classes
        model = try withCVCall("reading the \(kind.rawValue) classifier") { error in
            cvs_ml_deserialize(kind.code, text, Int32(classes), &error)
        }
    }

    deinit {
        cvs_ml_free(model)
    }

    /// The model as OpenCV's YAML text.
    public func serialized() throws -> String {
        var text: UnsafeMutablePointer<CChar>?
        try withCVCall("writing the \(kind.rawValue) classifier") { error in
            cvs_ml_serialize(model, &text, &error)
        }
        defer { cvs_free(text) }
        return text.map { String(cString: $0) } ?? ""
    }

    /// Per-class scores for one feature vector, summing to 1.
    public func scores(for features: [Float]) throws -> [Float] {
        var scores = [Float](repeating: 0, count: classes)
        _ = try lock.withLock {
            try withCVCall("classifying with the \(kind.rawValue) classifier") { error in
                cvs_ml_scores(model, features, Int32(features.count), &scores, &error)
            }
        }
        return scores
    }
}
