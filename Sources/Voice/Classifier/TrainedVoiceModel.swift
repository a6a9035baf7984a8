import CVSupport
import Foundation
import Model

/// emoscan's own voice-model file (`.json`): the trained classifier, the standardisation
/// fitted with it, what it expects (feature set and names, sample rate, labels) and how it was
/// made. One self-describing file, so a model can be checked against the code that loads it.
public struct TrainedVoiceModel: Codable, Sendable, Equatable {
    public static let currentFormat = "emoscan.voice-model/1"

    /// How the model was made: enough to rebuild it and to judge it.
    public struct Training: Codable, Sendable, Equatable {
        /// The command that made this file.
        public var command: String
        /// Segments and files per corpus.
        public var corpora: [String: Counts]
        /// How speech was cut into the segments it learnt from: analysis should cut it the same way.
        public var segmentation: VoiceActivityOptions
        /// Cross-validation over speakers, when it was run.
        public var crossValidation: CrossValidationSummary?
        public var seed: UInt64
        /// Licence terms the training data pass on to the model.
        public var licence: String

        public init(
            command: String, corpora: [String: Counts], segmentation: VoiceActivityOptions,
            crossValidation: CrossValidationSummary?, seed: UInt64, licence: String
        ) {
            self.command = command
            self.corpora = corpora
            self.segmentation = segmentation
            self.crossValidation = crossValidation
            self.seed = seed
            self.licence = licence
        }
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var files: Int
        public var segments: Int
        public var speakers: Int

        public init(files: Int, segments: Int, speakers: Int) {
            self.files = files
            self.segments = segments
            self.speakers = speakers
        }
    }

    public struct CrossValidationSummary: Codable, Sendable, Equatable {
        public var folds: Int
        /// Accuracy of each fold, in fold order.
        public var foldAccuracies: [Double]
        public var meanAccuracy: Double
        /// Pooled file-level accuracy per corpus.
        public var corpusAccuracies: [String: Double]
        /// Expected calibration error (10 bins) of the held-out file probabilities, as they are and
        /// at the model's temperature; absent for an uncalibrated model.
        public var expectedCalibrationError: Double?
        public var calibratedExpectedCalibrationError: Double?

        public init(
            folds: Int, foldAccuracies: [Double], meanAccuracy: Double, corpusAccuracies: [String: Double],
            expectedCalibrationError: Double? = nil, calibratedExpectedCalibrationError: Double? = nil
        ) {
            self.folds = folds
            self.foldAccuracies = foldAccuracies
            self.meanAccuracy = meanAccuracy
            self.corpusAccuracies = corpusAccuracies
            self.expectedCalibrationError = expectedCalibrationError
            self.calibratedExpectedCalibrationError = calibratedExpectedCalibrationError
        }
    }

    public var format = TrainedVoiceModel.currentFormat
    public var labels: [String]
    public var sampleRate: Int
    public var features: VoiceFeatureSet
    public var featureNames: [String]
    /// The Whisper encoder layer its Whisper features pool (1 to 7); absent for the other sets.
    public var whisperLayer: Int?
    /// What its Whisper features pad segments to before encoding, in seconds; absent (0) when
    /// segments are encoded as they are.
    public var whisperPaddedSeconds: Double?
    /// The temperature that calibrates a file's voice probabilities (`TemperatureScaling`), fitted
    /// on the cross-validation's held-out files; absent (1) for an uncalibrated model.
    public var temperature: Double?
    public var classifier: StatisticalClassifier.Kind
    public var standardizer: Standardizer
    /// The classifier as text: OpenCV's YAML, or the softmax perceptron's JSON.
    public var model: String
    public var training: Training

    public init(
        labels: [String], sampleRate: Int, features: VoiceFeatureSet, featureNames: [String],
        classifier: StatisticalClassifier.Kind, standardizer: Standardizer, model: String, training: Training,
        whisperLayer: Int? = nil, whisperPaddedSeconds: Double? = nil, temperature: Double? = nil
    ) {
        self.temperature = temperature
        self.whisperPaddedSeconds = whisperPaddedSeconds
        self.labels = labels
        self.sampleRate = sampleRate
        self.features = features
        self.featureNames = featureNames
        self.whisperLayer = whisperLayer
        self.classifier = classifier
        self.standardizer = standardizer
        self.model = model
        self.training = training
    }

    // MARK: File

    /// Reads a model file, checking its format.
    ///
    /// - Parameter path: The `.json` model file.
    /// - Returns: The model; its labels, features and rate are checked against a pipeline by `VoiceClassifier`.
    /// - Throws: Foundation's error when the file cannot be read; `DecodingError` when it is not a model's JSON;
    ///   `VoiceModelError.unsupportedFormat` for another `format`.
    public static func load(path: String) throws -> TrainedVoiceModel {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let model = try decoder.decode(TrainedVoiceModel.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        guard model.format == currentFormat else {
            throw VoiceModelError.unsupportedFormat(path: path, format: model.format)
        }
        return model
    }

    /// The file's bytes: keys sorted and one value per line, so the same model always gives the
    /// same bytes (the pipeline pins its sha256) and a diff shows what changed.
    ///
    /// - Returns: The JSON, pretty-printed, keys snake_case and sorted.
    /// - Throws: `EncodingError` for a number JSON cannot hold (NaN or infinite).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }
}

/// Why a voice model cannot be used.
public enum VoiceModelError: Error, CustomStringConvertible, Equatable {
    case unsupportedFormat(path: String, format: String)
    /// The model was trained on other features, labels or rate than the pipeline says.
    case mismatch(path: String, what: String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let path, let format):
            return "\(path): voice model format \(format) is not \(TrainedVoiceModel.currentFormat)"
        case .mismatch(let path, let what): return "\(path): \(what)"
        }
    }
}
