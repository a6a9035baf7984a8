import Foundation

/// A probability distribution softened (or sharpened) by a temperature: `pᵢ^(1/T) / Σⱼ pⱼ^(1/T)`,
/// which is dividing the log-probabilities by `T` (Guo et al. 2017's temperature scaling). A
/// temperature above 1 lowers an overconfident model's confidences; the top label never changes.
public enum TemperatureScaling {
    /// `probabilities` at `temperature`.
    ///
    /// - Parameters:
    ///   - probabilities: a distribution (non-negative values, summing to 1).
    ///   - temperature: above 0; 1 leaves the distribution as it is.
    /// - Returns: the scaled distribution, summing to 1; the input when it is all zeros.
    public static func apply(_ probabilities: [Double], temperature: Double) -> [Double] {
        precondition(temperature > 0, "a temperature is above 0")
        guard temperature != 1 else { return probabilities }
        let powered = probabilities.map { $0 > 0 ? exp(log($0) / temperature) : 0 }
        let total = powered.reduce(0, +)
        return total > 0 ? powered.map { $0 / total } : probabilities
    }
}
