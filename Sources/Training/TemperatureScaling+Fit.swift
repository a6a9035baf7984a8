import Foundation
import Model

extension TemperatureScaling {
    /// The temperature under which `probabilities` best explain `truth`: the one that minimises
    /// their mean negative log-likelihood, found by golden-section search over log T in 0.05…20.
    ///
    /// - Parameters:
    ///   - probabilities: held-out predictions, one distribution each; not empty.
    ///   - truth: each prediction's true class index, as many as `probabilities` (a precondition).
    /// - Returns: the fitted temperature.
    public static func fitted(to probabilities: [[Double]], truth: [Int]) -> Double {
        precondition(!probabilities.isEmpty && probabilities.count == truth.count, "one truth per prediction")
        func loss(_ logTemperature: Double) -> Double {
            let temperature = exp(logTemperature)
            return zip(probabilities, truth).reduce(0) { total, pair in
                total - log(max(apply(pair.0, temperature: temperature)[pair.1], 1e-12))
            } / Double(truth.count)
        }
        var low = log(0.05), high = log(20.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var lossA = loss(a), lossB = loss(b)
        for _ in 0..<60 {
            if lossA < lossB {
                high = b
                (b, lossB) = (a, lossA)
                a = high - ratio * (high - low)
                lossA = loss(a)
            } else {
                low = a
                (a, lossA) = (b, lossB)
                b = low + ratio * (high - low)
                lossB = loss(b)
            }
        }
        return exp((low + high) / 2)
    }
}
