import Evaluation

/// The terms that training data pass on to a model made from them.
public enum TrainingLicence {
    /// The licence sentence a model file carries, naming each corpus's terms.
    ///
    /// - Parameter corpora: The corpora the model learnt from, in any order.
    /// - Returns: One sentence, the corpora sorted by name.
    public static func text(for corpora: [Corpus]) -> String {
        let terms: [Corpus: String] = [
            .ravdess: "RAVDESS: CC BY-NC-SA 4.0", .tess: "TESS: CC BY-NC-ND 4.0", .emodb: "EmoDB: no licence stated",
        ]
        let parts = Set(corpora).sorted { $0.rawValue < $1.rawValue }.compactMap { terms[$0] }
        return "Trained on data under these terms, which the model carries: " + parts.joined(separator: "; ")
            + ". Non-commercial use only."
    }
}
