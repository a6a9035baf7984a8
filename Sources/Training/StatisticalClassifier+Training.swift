import CVSupport
import Voice

extension StatisticalClassifier {
    /// Trains a classifier of `kind`, classes balanced; deterministic for a seed.
    ///
    /// - Parameters:
    ///   - kind: Which classifier to train.
    ///   - samples: Standardised feature vectors, all the same length; not empty.
    ///   - labels: The class index of each sample.
    ///   - classes: How many classes there are.
    ///   - grid: Search the SVM's C and gamma; only for `.svm`.
    ///   - perceptron: The ensemble's shape and training; only for `.softmax`.
    ///   - seed: Seed of the random generator (OpenCV's, or the perceptron's SplitMix64).
    /// - Throws: `OpenCVError` when OpenCV refuses the data.
    public init(
        training kind: Kind, samples: [[Float]], labels: [Int], classes: Int, grid: Bool = false,
        perceptron: SoftmaxPerceptron.Settings = .init(), seed: UInt64 = 1
    ) throws {
        guard let algorithm = kind.openCVAlgorithm else {
            self.init(
                engine: .perceptron(
                    SoftmaxPerceptron(
                        samples: samples, labels: labels, classes: classes, settings: perceptron, seed: seed)))
            return
        }
        self.init(
            engine: .openCV(
                try OpenCVClassifier(
                    training: algorithm, samples: samples, labels: labels,
                    classes: classes, grid: grid, seed: seed)))
    }
}
