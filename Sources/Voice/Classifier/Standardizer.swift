import Foundation

/// Per-feature standardisation (zero mean, unit variance), fitted on training data and stored
/// with the model so that new audio is scaled the same way.
public struct Standardizer: Sendable, Codable, Equatable {
    public var mean: [Float]
    public var scale: [Float]

    public init(mean: [Float], scale: [Float]) {
        self.mean = mean
        self.scale = scale
    }

    /// Mean and standard deviation of each column of `rows`; a constant column gets scale 1.
    ///
    /// - Parameter rows: The training vectors, all as long as the first; none gives an empty standardizer.
    public init(fitting rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        var mean = [Double](repeating: 0, count: columns), squares = [Double](repeating: 0, count: columns)
        for row in rows {
            for (index, value) in row.enumerated() {
                mean[index] += Double(value)
                squares[index] += Double(value) * Double(value)
            }
        }
        let count = Double(max(1, rows.count))
        self.mean = mean.map { Float($0 / count) }
        scale = zip(mean, squares).map { sum, squareSum in
            let variance = squareSum / count - (sum / count) * (sum / count)
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
    }

    /// `features` standardised: each value less its column's mean, divided by its column's scale.
    ///
    /// - Parameter features: A vector as long as `mean`; values beyond that length are dropped.
    /// - Returns: The standardised vector, as long as the shorter of `features` and `mean`.
    public func apply(_ features: [Float]) -> [Float] {
        zip(zip(features, mean), scale).map { pair, scale in (pair.0 - pair.1) / scale }
    }
}
