/// How a corpus's labels become a model's labels, written out: models are scored in their own
/// label space, so a corpus label is either mapped to one model label or excluded, and every
/// choice is listed for the reader of a report (`fearful → fear`, `contempt: excluded`).
///
/// Labels that mean the same emotion in other words are mapped (`anger`, `angry`; `fearful`,
/// `fear`; `pleasant_surprise`, `surprise`). Calm and neutral are near enough that a model
/// lacking one is held to the other (fusion maps the voice model's calm to neutral too), unless
/// `strict`. Anything else the model cannot say (contempt, boredom) is excluded.
public struct LabelMap: Sendable {
    /// What becomes of one corpus label.
    public enum Rule: Sendable, Equatable {
        /// Scored as this model label; `note` says why when the words differ in meaning.
        case mapped(to: String, note: String?)
        /// Not scored: the model has no label for it.
        case excluded(reason: String)
    }

    /// The corpus's labels, in its order, each with its rule.
    public let rules: [(label: String, rule: Rule)]
    /// The model's labels, in its output order.
    public let modelLabels: [String]

    /// Maps `corpusLabels` onto `modelLabels`; `strict` leaves calm and neutral apart.
    ///
    /// - Parameters:
    ///   - corpusLabels: the corpus's labels, in its order: the order of `rules` and `notes`.
    ///   - modelLabels: the model's labels, in its output order.
    ///   - strict: exclude calm or neutral when the model lacks it, instead of holding it to the other.
    public init(corpusLabels: [String], modelLabels: [String], strict: Bool = false) {
        self.modelLabels = modelLabels
        rules = corpusLabels.map { label in
            let emotion = Self.emotion(of: label)
            if let same = modelLabels.first(where: { Self.emotion(of: $0) == emotion }) {
                return (label, .mapped(to: same, note: nil))
            }
            if let near = Self.nearest[emotion], let target = modelLabels.first(where: { Self.emotion(of: $0) == near })
            {
                if strict {
                    return (
                        label,
                        .excluded(reason: "model has no \(label); \(label) → \(target) not applied: strict labels")
                    )
                }
                return (label, .mapped(to: target, note: "model has no \(label)"))
            }
            return (label, .excluded(reason: "model has no \(label)"))
        }
    }

    /// `LabelMap(corpusLabels: corpus.labels, ...)`.
    ///
    /// - Parameters:
    ///   - corpus: the corpus whose labels are mapped.
    ///   - modelLabels: the model's labels, in its output order.
    ///   - strict: leave calm and neutral apart, as in `init(corpusLabels:modelLabels:strict:)`.
    public init(corpus: Corpus, modelLabels: [String], strict: Bool = false) {
        self.init(corpusLabels: corpus.labels, modelLabels: modelLabels, strict: strict)
    }

    /// The model label a corpus label is scored as; nil when it is excluded or unknown.
    ///
    /// - Parameter corpusLabel: a label in the corpus's words, spelt exactly as `rules` has it.
    /// - Returns: the model label; nil when the label is excluded or not one of the corpus's.
    public func map(_ corpusLabel: String) -> String? {
        guard let rule = rules.first(where: { $0.label == corpusLabel })?.rule,
            case .mapped(let target, _) = rule
        else { return nil }
        return target
    }

    /// One line per corpus label: `fearful → fear`, `calm → neutral (model has no calm)`,
    /// `contempt: excluded (model has no contempt)`.
    public var notes: [String] {
        rules.map { label, rule in
            switch rule {
            case .mapped(let target, let note): return "\(label) → \(target)" + (note.map { " (\($0))" } ?? "")
            case .excluded(let reason): return "\(label): excluded (\(reason))"
            }
        }
    }

    // MARK: Words for emotions

    /// The emotion a label names, in one word per emotion: other words for it are folded in.
    private static func emotion(of label: String) -> String {
        let word = label.lowercased()
        return synonyms[word] ?? word
    }

    private static let synonyms: [String: String] = [
        "anger": "angry",
        "fearful": "fear",
        "happiness": "happy",
        "sadness": "sad",
        "surprised": "surprise",
        "pleasant_surprise": "surprise",
    ]

    /// Emotions close enough to stand in for each other when a model has only one of them.
    private static let nearest: [String: String] = ["calm": "neutral", "neutral": "calm"]
}
