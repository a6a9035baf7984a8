/// The one rule by which emoscan picks an answer from probabilities: the highest wins, and a tie
/// goes to the label listed first, so that no answer depends on dictionary order.
public enum TopLabel {
    /// The index of the largest of `values` (the first of equals); nil when `values` is empty.
    ///
    /// - Parameter values: scores in label order.
    /// - Returns: the winning position.
    public static func index(of values: [Double]) -> Int? {
        values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }
    }

    /// The label of `labels` with the highest probability in `probs` (a missing label counts 0).
    ///
    /// - Parameters:
    ///   - probs: probabilities by label.
    ///   - labels: the label order that breaks ties.
    /// - Returns: the winning label; nil when `labels` is empty.
    public static func of(_ probs: [String: Double], in labels: [String]) -> String? {
        index(of: labels.map { probs[$0] ?? 0 }).map { labels[$0] }
    }
}
