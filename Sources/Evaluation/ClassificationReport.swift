import Foundation
import Model

/// How well predictions match the truth over a label list: accuracy, per-class precision,
/// recall and F1, macro-F1 and the confusion matrix, with what was evaluated and how labels
/// were mapped. Written as JSON by `emoscan evaluate --report` (keys in snake_case) and
/// rendered as text for the terminal.
///
/// A file without a prediction (no face found, no speech, a failed file) counts as wrong and
/// lands in the confusion matrix's last column, `none`: leaving it out would score a model
/// only on the files it chose to answer.
public struct ClassificationReport: Codable, Sendable {
    /// The predicted label of a file that got no prediction.
    public static let noPredictionLabel = "none"

    public struct ClassScores: Codable, Sendable, Equatable {
        /// Of the files predicted as this label, the share that truly were (0 when none was predicted).
        public var precision: Double
        /// Of the files truly of this label, the share predicted as it.
        public var recall: Double
        public var f1: Double
        /// Files truly of this label.
        public var support: Int
    }

    public struct PipelineInfo: Codable, Sendable {
        public var name: String
        public var hash: String
    }

    /// One evaluated file.
    public struct FileRow: Codable, Sendable {
        public var path: String
        public var speaker: String?
        /// The corpus's label, in its words.
        public var label: String
        /// That label in the model's words.
        public var truth: String
        /// The model's answer, or `none`.
        public var predicted: String
        /// Why there is no answer (`no face`, `no speech`, `failed: ...`); nil when there is one.
        public var reason: String?
        /// The model's confidence in its answer; nil when there is none.
        public var confidence: Double?

        enum CodingKeys: String, CodingKey {
            case path, speaker, label, truth, predicted, reason, confidence
        }
    }

    // MARK: What was evaluated

    public var dataset: String?
    /// `face`, `voice` or `fused`.
    public var modality: String?
    public var pipeline: PipelineInfo?
    public var models: [ModelStamp] = []
    /// `LabelMap.notes`: how the corpus's labels became the model's.
    public var mapping: [String] = []
    /// Files left out because the model has no label for theirs, by corpus label.
    public var excluded: [String: Int] = [:]
    /// Media files whose names carry no label of the corpus.
    public var unlabelled = 0
    /// Files the corpus itself leaves out of scoring, by reason (FER+'s ties, unknown and not-a-face majorities).
    public var leftOut: [String: Int] = [:]

    // MARK: Scores

    /// The model's labels: the confusion matrix's rows (truth), in order.
    public var labels: [String]
    /// The confusion matrix's columns (predicted): `labels`, then `none`.
    public var confusionColumns: [String]
    /// Files scored (excluded ones are not).
    public var n: Int
    public var correct: Int
    public var accuracy: Double
    /// Mean F1 over the labels that occur in the truth.
    public var macroF1: Double
    public var perClass: [String: ClassScores]
    /// `confusion[truth][predicted]`: rows in `labels` order, columns in `confusionColumns` order.
    public var confusion: [[Int]]
    /// The expected calibration error (`CalibrationError`, 10 bins) of the answers that came with a
    /// confidence; nil when none did.
    public var expectedCalibrationError: Double?
    /// Files with no prediction (counted wrong), and why, by reason.
    public var noPrediction: Int
    public var noPredictionReasons: [String: Int] = [:]
    /// One row per scored file, in path order.
    public var files: [FileRow]?

    enum CodingKeys: String, CodingKey {
        case dataset, modality, pipeline, models, mapping, excluded, unlabelled
        case leftOut = "left_out"
        case labels
        case confusionColumns = "confusion_columns"
        case n, correct, accuracy
        case macroF1 = "macro_f1"
        case expectedCalibrationError = "expected_calibration_error"
        case perClass = "per_class"
        case confusion
        case noPrediction = "no_prediction"
        case noPredictionReasons = "no_prediction_reasons"
        case files
    }

    /// Scores `predicted` (nil: no prediction) against `truth`, pair by pair, over `labels`.
    /// A label met in either list but missing from `labels` is added after them, so nothing
    /// is dropped from the counts.
    ///
    /// - Parameters:
    ///   - truth: each file's true label, in the model's words.
    ///   - predicted: each file's predicted label, as many as `truth` and in its order (a precondition); nil where a
    ///     file got no prediction, which counts in the `none` column.
    ///   - labels: the model's labels, in output order: the confusion matrix's first rows.
    ///   - confidences: each prediction's confidence, in the order of `predicted`, nil where there is none; empty
    ///     when no confidences are known.
    public init(truth: [String], predicted: [String?], labels: [String], confidences: [Double?] = []) {
        precondition(truth.count == predicted.count, "one prediction per truth")
        precondition(confidences.isEmpty || confidences.count == truth.count, "one confidence per prediction")
        var labels = labels
        for label in truth + predicted.compactMap({ $0 }) where !labels.contains(label) { labels.append(label) }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })

        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count + 1), count: labels.count)
        for (actual, guess) in zip(truth, predicted) {
            confusion[index[actual]!][guess.map { index[$0]! } ?? labels.count] += 1
        }
        var perClass: [String: ClassScores] = [:]
        for (row, label) in labels.enumerated() {
            let hits = confusion[row][row]
            let support = confusion[row].reduce(0, +)
            let predictedAs = confusion.reduce(0) { $0 + $1[row] }
            let precision = predictedAs > 0 ? Double(hits) / Double(predictedAs) : 0
            let recall = support > 0 ? Double(hits) / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perClass[label] = ClassScores(precision: precision, recall: recall, f1: f1, support: support)
        }
        let present = labels.filter { perClass[$0]!.support > 0 }

        self.labels = labels
        confusionColumns = labels + [Self.noPredictionLabel]
        self.confusion = confusion
        self.perClass = perClass
        n = truth.count
        correct = labels.indices.reduce(0) { $0 + confusion[$1][$1] }
        accuracy = n > 0 ? Double(correct) / Double(n) : 0
        macroF1 = present.isEmpty ? 0 : present.reduce(0) { $0 + perClass[$1]!.f1 } / Double(present.count)
        noPrediction = predicted.filter { $0 == nil }.count
        let answered = confidences.indices.compactMap { index in
            predicted[index].flatMap { guess in confidences[index].map { ($0, guess == truth[index]) } }
        }
        expectedCalibrationError =
            answered.isEmpty
            ? nil : CalibrationError.expected(confidences: answered.map(\.0), correct: answered.map(\.1))
    }

    // MARK: Text

    /// The report for a terminal: what was evaluated, accuracy and macro-F1, the per-class
    /// table and the confusion matrix (mapping notes are not repeated: print `mapping` first).
    public var text: String {
        var lines: [String] = []
        var what = [dataset, modality].compactMap { $0 }.joined(separator: ", ")
        if let pipeline {
            what += (what.isEmpty ? "" : "; ") + "pipeline \(pipeline.name) (\(pipeline.hash.prefix(12)))"
        }
        if !models.isEmpty { what += "; " + models.map(\.name).joined(separator: " + ") }
        if !what.isEmpty { lines.append(what) }
        lines.append("files     \(n)")
        lines.append("accuracy  \(Self.number(accuracy))  (\(correct)/\(n))")
        let present = labels.filter { (perClass[$0]?.support ?? 0) > 0 }.count
        lines.append("macro-F1  \(Self.number(macroF1))  (over the \(present) labels in the truth)")
        if let expectedCalibrationError {
            lines.append(
                "ECE       \(Self.number(expectedCalibrationError))  (expected calibration error, "
                    + "\(CalibrationError.bins) bins: 0 when confidence matches accuracy)")
        }
        if noPrediction > 0 {
            let reasons = noPredictionReasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            lines.append(
                "no prediction: \(noPrediction) file\(noPrediction == 1 ? "" : "s")"
                    + (reasons.isEmpty ? "" : " (\(reasons))") + ", counted wrong (column \(Self.noPredictionLabel))")
        }
        if !excluded.isEmpty {
            let counts = excluded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let total = excluded.values.reduce(0, +)
            lines.append("excluded: \(total) file\(total == 1 ? "" : "s") whose label the model cannot say (\(counts))")
        }
        if !leftOut.isEmpty {
            let counts = leftOut.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
            let total = leftOut.values.reduce(0, +)
            lines.append(
                "left out: \(total) file\(total == 1 ? "" : "s") without a majority label (\(counts.joined(separator: ", ")))"
            )
        }
        if unlabelled > 0 {
            lines.append(
                "unlabelled: \(unlabelled) media file\(unlabelled == 1 ? "" : "s") not named in the corpus's scheme, left out"
            )
        }

        let width = max(9, (labels + ["truth"]).map(\.count).max() ?? 0)
        func cell(_ text: String, _ size: Int) -> String {
            String(repeating: " ", count: max(0, size - text.count)) + text
        }
        lines.append("")
        lines.append(
            "label".padding(toLength: width, withPad: " ", startingAt: 0)
                + cell("precision", 11) + cell("recall", 8) + cell("f1", 8) + cell("support", 9))
        for label in labels {
            guard let scores = perClass[label] else { continue }
            lines.append(
                label.padding(toLength: width, withPad: " ", startingAt: 0)
                    + cell(Self.number(scores.precision), 11) + cell(Self.number(scores.recall), 8)
                    + cell(Self.number(scores.f1), 8) + cell("\(scores.support)", 9))
        }

        lines.append("")
        lines.append("confusion (rows: truth, columns: predicted; \(Self.noPredictionLabel): no prediction)")
        let columnWidths = confusionColumns.map { max(4, $0.count) + 2 }
        lines.append(
            "truth".padding(toLength: width, withPad: " ", startingAt: 0)
                + zip(confusionColumns, columnWidths).map { cell($0, $1) }.joined())
        for (row, label) in labels.enumerated() {
            lines.append(
                label.padding(toLength: width, withPad: " ", startingAt: 0)
                    + zip(confusion[row], columnWidths).map { cell("\($0)", $1) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
