/// How far a model's stated confidence lies from how often it is right: the expected calibration
/// error (Guo et al. 2017). Answers are put into equal-width confidence bins; each bin's gap
/// between its accuracy and its mean confidence counts by its share of the answers. 0 is perfect;
/// a model that says 0.99 and is right 60% of the time scores about 0.39.
public enum CalibrationError {
    /// The bins `evaluate` and `train voice` report with.
    public static let bins = 10

    /// The expected calibration error of some answers.
    ///
    /// - Parameters:
    ///   - confidences: each answer's confidence, in 0...1.
    ///   - correct: whether each answer was right, as many as `confidences` (a precondition).
    ///   - bins: how many equal-width bins cover 0...1; an answer's bin is the one whose upper edge
    ///     is the first at or above its confidence.
    /// - Returns: Σ (bin's answers / all answers) · |bin's accuracy − bin's mean confidence|; 0 for no answers.
    public static func expected(confidences: [Double], correct: [Bool], bins: Int = bins) -> Double {
        precondition(confidences.count == correct.count && bins > 0, "one flag per confidence")
        guard !confidences.isEmpty else { return 0 }
        var count = [Int](repeating: 0, count: bins)
        var right = [Int](repeating: 0, count: bins)
        var confidenceSum = [Double](repeating: 0, count: bins)
        for (confidence, isRight) in zip(confidences, correct) {
            let bin = min(bins - 1, max(0, Int((confidence * Double(bins)).rounded(.up)) - 1))
            count[bin] += 1
            right[bin] += isRight ? 1 : 0
            confidenceSum[bin] += confidence
        }
        return (0..<bins).reduce(0) { total, bin in
            guard count[bin] > 0 else { return total }
            let gap = abs(Double(right[bin]) / Double(count[bin]) - confidenceSum[bin] / Double(count[bin]))
            return total + Double(count[bin]) / Double(confidences.count) * gap
        }
    }
}
