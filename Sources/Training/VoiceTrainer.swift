import Evaluation
import Foundation
import Model
import Voice

/// Trains emoscan's own voice model from labelled speech segments, and measures it honestly:
/// cross-validation folds are made of whole speakers, so no speaker of a test fold is ever in
/// its training set.
public struct VoiceTrainer: Sendable {
    /// One speech segment's features, with where it came from.
    public struct Sample: Sendable {
        public var features: [Float]
        /// Index into the trainer's labels.
        public var label: Int
        /// The speaker, unique across corpora (`ravdess:05`): the unit of the folds.
        public var speaker: String
        /// The corpus (`ravdess`), for per-corpus scores.
        public var corpus: String
        /// The recording, so its segments are scored together, as the pipeline does.
        public var file: String
        /// Segment length, the weight of its scores in the file's answer.
        public var seconds: Double

        public init(features: [Float], label: Int, speaker: String, corpus: String, file: String, seconds: Double) {
            self.features = features
            self.label = label
            self.speaker = speaker
            self.corpus = corpus
            self.file = file
            self.seconds = seconds
        }
    }

    public let labels: [String]
    public let classifier: StatisticalClassifier.Kind
    public let grid: Bool
    /// The perceptron ensemble's shape, for `.softmax`.
    public let perceptron: SoftmaxPerceptron.Settings
    public let seed: UInt64

    public init(
        labels: [String], classifier: StatisticalClassifier.Kind, grid: Bool = false,
        perceptron: SoftmaxPerceptron.Settings = .init(), seed: UInt64 = 1
    ) {
        self.labels = labels
        self.classifier = classifier
        self.grid = grid
        self.perceptron = perceptron
        self.seed = seed
    }

    // MARK: Training

    /// A model trained on every sample, its features standardised with statistics of the same samples.
    ///
    /// - Parameter samples: The training samples, their labels indices into `labels`; not empty.
    /// - Returns: The trained classifier, and the standardizer its inputs need.
    /// - Throws: `OpenCVError` when OpenCV refuses the data (OpenCV's kinds only).
    public func fit(_ samples: [Sample]) throws -> (classifier: StatisticalClassifier, standardizer: Standardizer) {
        let standardizer = Standardizer(fitting: samples.map(\.features))
        let classifier = try StatisticalClassifier(
            training: classifier, samples: samples.map { standardizer.apply($0.features) },
            labels: samples.map(\.label), classes: labels.count, grid: grid, perceptron: perceptron, seed: seed)
        return (classifier, standardizer)
    }

    // MARK: Cross-validation

    /// One fold's result: its test speakers and the file-level answers for them.
    public struct Fold: Sendable, Codable {
        public var speakers: [String]
        public var files: Int
        public var correct: Int
        public var accuracy: Double { files == 0 ? 0 : Double(correct) / Double(files) }
    }

    /// One held-out file's answer: its truth, the predicted class, and the duration-weighted mean
    /// of its segments' scores (the pipeline's file-level probabilities).
    public struct FilePrediction: Sendable {
        public var file: String
        public var corpus: String
        public var truth: Int
        public var predicted: Int
        public var probabilities: [Double]
    }

    /// How well the cross-validated probabilities are calibrated, and the temperature that calibrates them.
    public struct Calibration: Sendable {
        /// Fitted on the held-out predictions (`TemperatureScaling.fitted`).
        public var temperature: Double
        /// Expected calibration error (10 bins) of the held-out predictions as they are…
        public var before: Double
        /// … and at `temperature`: in-sample for that one parameter, so slightly optimistic.
        public var after: Double
    }

    /// Every fold, and each test file's truth and prediction (for per-corpus reports).
    public struct CrossValidation: Sendable {
        public var folds: [Fold]
        public var predictions: [FilePrediction]

        /// The mean of the folds' accuracies.
        public var meanAccuracy: Double { folds.isEmpty ? 0 : folds.map(\.accuracy).reduce(0, +) / Double(folds.count) }

        /// Accuracy over the files of `corpus`, pooled across folds.
        ///
        /// - Parameter corpus: The corpus's name as the samples give it (`ravdess`).
        /// - Returns: How many of its files were predicted right, and how many were scored; (0, 0) when it has none.
        public func accuracy(corpus: String) -> (correct: Int, files: Int) {
            let mine = predictions.filter { $0.corpus == corpus }
            return (mine.filter { $0.truth == $0.predicted }.count, mine.count)
        }

        /// The temperature that best calibrates the held-out probabilities, and the calibration error
        /// before and after it.
        ///
        /// - Returns: The calibration; nil when nothing was scored.
        public func calibration() -> Calibration? {
            guard !predictions.isEmpty else { return nil }
            let probabilities = predictions.map(\.probabilities), truth = predictions.map(\.truth)
            func error(at temperature: Double) -> Double {
                let scaled = probabilities.map { TemperatureScaling.apply($0, temperature: temperature) }
                return CalibrationError.expected(
                    confidences: scaled.map { $0.max() ?? 0 },
                    correct: zip(scaled, truth).map { TopLabel.index(of: $0) == $1 })
            }
            let temperature = TemperatureScaling.fitted(to: probabilities, truth: truth)
            return Calibration(temperature: temperature, before: error(at: 1), after: error(at: temperature))
        }

        /// What the model file records of this cross-validation.
        ///
        /// - Parameters:
        ///   - corpora: The corpora to give pooled accuracies for; those without files are left out.
        ///   - calibration: The calibration measured on it, when the model is calibrated.
        /// - Returns: The folds' accuracies, their mean and the pooled accuracy of each corpus, and the calibration
        ///   errors before and after the temperature.
        public func summary(
            corpora: [String], calibration: Calibration? = nil
        ) -> TrainedVoiceModel.CrossValidationSummary {
            var byCorpus: [String: Double] = [:]
            for corpus in corpora {
                let (correct, files) = accuracy(corpus: corpus)
                if files > 0 { byCorpus[corpus] = Double(correct) / Double(files) }
            }
            return .init(
                folds: folds.count, foldAccuracies: folds.map(\.accuracy), meanAccuracy: meanAccuracy,
                corpusAccuracies: byCorpus, expectedCalibrationError: calibration?.before,
                calibratedExpectedCalibrationError: calibration?.after)
        }
    }

    /// Splits the speakers of each corpus into `folds` groups (dealt in sorted order, so the split
    /// is the same on every run), trains on all other speakers and scores each held-out file by
    /// the duration-weighted mean of its segments' scores, as the pipeline does. `trainingOnly`
    /// samples (human corrections, whose speakers are unknown) join every training fold and are
    /// never scored.
    ///
    /// - Parameters:
    ///   - samples: The labelled samples to train on and score, with their speakers, corpora and files.
    ///   - folds: How many groups each corpus's speakers are dealt into; at least 2 (a precondition).
    ///   - trainingOnly: Samples added to every fold's training set, never scored.
    /// - Returns: Each fold that had samples to test and to train on, and every scored file's truth and prediction.
    /// - Throws: `OpenCVError` when training or scoring an OpenCV classifier fails.
    public func crossValidate(_ samples: [Sample], folds: Int, trainingOnly: [Sample] = []) throws -> CrossValidation {
        precondition(folds >= 2, "cross-validation takes at least two folds")
        let assignment = Self.foldAssignment(samples, folds: folds)
        var result = CrossValidation(folds: [], predictions: [])
        for fold in 0..<folds {
            let test = samples.filter { assignment[$0.speaker] == fold }
            let train = samples.filter { assignment[$0.speaker] != fold } + trainingOnly
            guard !test.isEmpty, !train.isEmpty else { continue }
            let (model, standardizer) = try fit(train)
            var byFile: [String: (truth: Int, corpus: String, scores: [Double], weight: Double)] = [:]
            for sample in test {
                let scores = try model.scores(for: standardizer.apply(sample.features))
                let weight = max(sample.seconds, 1e-3)
                var entry =
                    byFile[sample.file]
                    ?? (sample.label, sample.corpus, [Double](repeating: 0, count: labels.count), 0)
                for index in scores.indices { entry.scores[index] += Double(scores[index]) * weight }
                entry.weight += weight
                byFile[sample.file] = entry
            }
            var correct = 0
            for (file, entry) in byFile.sorted(by: { $0.key < $1.key }) {
                let predicted = TopLabel.index(of: entry.scores) ?? 0
                if predicted == entry.truth { correct += 1 }
                result.predictions.append(
                    FilePrediction(
                        file: file, corpus: entry.corpus, truth: entry.truth, predicted: predicted,
                        probabilities: entry.scores.map { $0 / entry.weight }))
            }
            let speakers = Set(test.map(\.speaker)).sorted()
            result.folds.append(Fold(speakers: speakers, files: byFile.count, correct: correct))
        }
        return result
    }

    /// Fold of each speaker: each corpus's speakers, sorted, dealt round-robin.
    static func foldAssignment(_ samples: [Sample], folds: Int) -> [String: Int] {
        var assignment: [String: Int] = [:]
        let byCorpus = Dictionary(
            grouping: Set(samples.map { SpeakerKey(corpus: $0.corpus, speaker: $0.speaker) }), by: \.corpus)
        for corpus in byCorpus.keys.sorted() {
            for (index, key) in byCorpus[corpus]!.map(\.speaker).sorted().enumerated() {
                assignment[key] = index % folds
            }
        }
        return assignment
    }

    private struct SpeakerKey: Hashable {
        var corpus: String
        var speaker: String
    }
}
