import Model
import Store

/// `evaluate --labelled`: the store's latest answer for each file a person labelled, scored
/// against that label in the labels of the model that gives the answer (the face model's for
/// face and fused, since fusion answers in them).
public struct LabelledScoring: Sendable {
    /// How the people's words were mapped onto the model's labels.
    public let labelMap: LabelMap
    /// Labelled files whose label the model can say.
    public let scored: Int
    /// The scores; a labelled file without an answer counts as `none`.
    public let report: ClassificationReport

    /// - Parameters:
    ///   - labels: what people said the files show.
    ///   - entries: the store's results index.
    ///   - modality: which answer is scored.
    ///   - modelLabels: the labels that answer comes in.
    ///   - strict: map only labels that name the same emotion (calm is then not neutral).
    public init(labels: [HumanLabel], entries: [ResultEntry], modality: Modality, modelLabels: [String], strict: Bool) {
        labelMap = LabelMap(corpusLabels: Set(labels.map(\.emotion)).sorted(), modelLabels: modelLabels, strict: strict)
        let answers = Dictionary(entries.map { ($0.file, Self.answer(of: $0, for: modality)) }) { $1 }
        var truth: [String] = [], predicted: [String?] = []
        var excluded: [String: Int] = [:]
        for label in labels {
            guard let mapped = labelMap.map(label.emotion) else {
                excluded[label.emotion, default: 0] += 1
                continue
            }
            truth.append(mapped)
            predicted.append(answers[label.file] ?? nil)
        }
        var report = ClassificationReport(truth: truth, predicted: predicted, labels: modelLabels)
        report.modality = modality.rawValue
        report.mapping = labelMap.notes
        report.excluded = excluded
        scored = truth.count
        self.report = report
    }

    private static func answer(of entry: ResultEntry, for modality: Modality) -> String? {
        switch modality {
        case .face: return entry.faceEmotion
        case .voice: return entry.voiceEmotion
        case .fused: return entry.fusedEmotion
        }
    }
}
