import CVShim
import Foundation

/// One of OpenCV `ml`'s classifiers over feature vectors: trained here, written as OpenCV's YAML
/// text and read back from it.
///
/// `scores` may be called from several tasks: OpenCV's `predict` is not documented as
/// thread-safe, so its calls take turns on a lock, as `ONNXNetwork`'s do.
public final class OpenCVClassifier: @unchecked Sendable {
    /// The algorithms of OpenCV `ml` that emoscan trains.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// Support vector machine, RBF kernel: decides a class without probabilities.
        case svm
        /// Random forest: scores are the trees' vote shares.
        case rtrees
        /// A multi-layer perceptron, one hidden layer: scores are its outputs through a softmax.
        case mlp

        /// The algorithm's number in CVShim.
        var code: Int32 {
            switch self {
            case .svm: return Int32(CVS_ML_SVM)
            case .rtrees: return Int32(CVS_ML_RTREES)
            case .mlp: return Int32(CVS_ML_MLP)
            }
        }
    }

    /// Which algorithm this is.
    public let algorithm: Algorithm
    /// How many classes it tells apart; `scores` returns one value for each.
    public let classes: Int
    private let model: OpaquePointer
    private let lock = NSLock()

    /// Trains a classifier, classes balanced; deterministic for a seed.
    ///
    /// - Parameters:
    ///   - algorithm: The OpenCV algorithm to train.
    ///   - samples: One feature vector each, all the same length; not empty.
    ///   - labels: The class index of each sample.
    ///   - classes: How many classes there are.
    ///   - grid: Search the SVM's C and gamma (OpenCV's `trainAuto`); ignored by the others.
    ///   - seed: Seed of OpenCV's random generator.
    /// - Throws: `OpenCVError` when OpenCV refuses the data.
    public init(
        training algorithm: Algorithm, samples: [[Float]], labels: [Int], classes: Int, grid: Bool = false,
        seed: UInt64 = 1
    ) throws {
        precondition(samples.count == labels.count && !samples.isEmpty, "one label per sample")
        self.algorithm = algorithm
        self.classes = classes
        let flat = samples.flatMap { $0 }, labels32 = labels.map(Int32.init)
        model = try Self.checked("training the \(algorithm.rawValue) classifier") { error in
            cvs_ml_train(
                algorithm.code, flat, Int32(samples.count), Int32(samples[0].count), labels32, Int32(classes),
                grid ? 1 : 0, seed, &error)
        }
    }

    /// Reads a classifier written by `serialized()`.
    ///
    /// - Parameters:
    ///   - algorithm: The algorithm the text was written by.
    ///   - text: OpenCV's YAML, as `serialized()` gave it.
    ///   - classes: How many classes the model was trained on.
    /// - Throws: `OpenCVError` when the text is not such a model.
    public init(algorithm: Algorithm, serialized text: String, classes: Int) throws {
        self.algorithm = algorithm
        self.classes = classes
        model = try Self.checked("reading the \(algorithm.rawValue) classifier") { error in
            cvs_ml_deserialize(algorithm.code, text, Int32(classes), &error)
        }
    }

    deinit { cvs_ml_free(model) }

    /// The model as OpenCV's YAML text.
    ///
    /// - Returns: The YAML, for `init(algorithm:serialized:classes:)` to read back; empty if OpenCV wrote none.
    /// - Throws: `OpenCVError` when OpenCV cannot write it.
    public func serialized() throws -> String {
        var text: UnsafeMutablePointer<CChar>?
        try withCVCall("writing the \(algorithm.rawValue) classifier") { error in
            cvs_ml_serialize(model, &text, &error)
        }
        defer { cvs_free(text) }
        return text.map { String(cString: $0) } ?? ""
    }

    /// Per-class scores for one feature vector, summing to 1.
    ///
    /// - Parameter features: A vector as long as the training samples.
    /// - Returns: `classes` scores.
    /// - Throws: `OpenCVError`, also for a vector of the wrong length.
    public func scores(for features: [Float]) throws -> [Float] {
        var scores = [Float](repeating: 0, count: classes)
        _ = try lock.withLock {
            try withCVCall("classifying with the \(algorithm.rawValue) classifier") { error in
                cvs_ml_scores(model, features, Int32(features.count), &scores, &error)
            }
        }
        return scores
    }

    private static func checked(
        _ operation: String, _ body: (inout cvs_error) -> OpaquePointer?
    ) throws -> OpaquePointer {
        guard let model = try withCVCall(operation, body) else {
            throw OpenCVError(operation: operation, message: "no model")
        }
        return model
    }
}
