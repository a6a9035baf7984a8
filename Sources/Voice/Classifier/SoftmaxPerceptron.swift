import Foundation

/// A small ensemble of perceptrons with one hidden ReLU layer and a softmax output, trained with
/// class-balanced cross-entropy, L2 weight decay and Adam; its probabilities are the members' mean.
///
/// Why it is emoscan's own rather than OpenCV's `ANN_MLP`: OpenCV's perceptron fits ±1 targets by
/// squared error and has no weight decay, and on features of unseen speakers that overfits. On
/// speaker-grouped folds of RAVDESS (EmotionFeatures, 0.2 s padding) OpenCV's MLP and SVM stayed
/// at 0.57–0.58 whatever their settings, this one reaches 0.61. Running it is about 8,000
/// multiply-adds per member, so it needs no library.
///
/// This is what inference needs; training, deterministic for a seed, is the `Training` module's
/// extension.
public struct SoftmaxPerceptron: Sendable, Equatable {
    /// One perceptron: weights row-major, `inputs × hidden` then `hidden × classes`.
    package struct Member: Sendable, Equatable {
        package var inputWeights: [Float]
        package var hiddenBias: [Float]
        package var outputWeights: [Float]
        package var outputBias: [Float]

        package init(inputWeights: [Float], hiddenBias: [Float], outputWeights: [Float], outputBias: [Float]) {
            self.inputWeights = inputWeights
            self.hiddenBias = hiddenBias
            self.outputWeights = outputWeights
            self.outputBias = outputBias
        }
    }

    /// Length of the feature vectors it takes.
    public let inputs: Int
    /// Width of each member's hidden layer.
    public let hiddenUnits: Int
    /// How many classes it tells apart.
    public let classes: Int
    package var members: [Member]

    /// An ensemble of trained members, all of the same shape.
    package init(inputs: Int, hiddenUnits: Int, classes: Int, members: [Member]) {
        self.inputs = inputs
        self.hiddenUnits = hiddenUnits
        self.classes = classes
        self.members = members
    }

    // MARK: Prediction

    /// Class probabilities for one standardised feature vector: the members' softmax outputs, averaged.
    ///
    /// - Parameter features: Exactly `inputs` values (a precondition), standardised as the training samples were.
    /// - Returns: `classes` probabilities, summing to 1.
    public func probabilities(for features: [Float]) -> [Float] {
        precondition(features.count == inputs, "expected \(inputs) features, got \(features.count)")
        var mean = [Float](repeating: 0, count: classes)
        var hidden = [Float](repeating: 0, count: hiddenUnits)
        var output = [Float](repeating: 0, count: classes)
        for member in members {
            member.forward(features, hidden: &hidden, probabilities: &output)
            for index in mean.indices { mean[index] += output[index] / Float(members.count) }
        }
        return mean
    }
}

// MARK: - Forward pass

extension SoftmaxPerceptron.Member {
    /// `hidden` gets the ReLU activations, `probabilities` the softmax of the outputs.
    ///
    /// None of the lengths is checked.
    ///
    /// - Parameters:
    ///   - input: The feature vector: exactly `inputWeights.count / hiddenBias.count` values.
    ///   - hidden: Scratch of exactly `hiddenBias.count` values, overwritten with the activations.
    ///   - probabilities: Exactly `outputBias.count` values, overwritten with the probabilities.
    package func forward(_ input: UnsafeBufferPointer<Float>, hidden: inout [Float], probabilities: inout [Float]) {
        let hiddenCount = hiddenBias.count, classCount = outputBias.count
        inputWeights.withUnsafeBufferPointer { weights in
            hidden.withUnsafeMutableBufferPointer { hidden in
                for unit in 0..<hiddenCount { hidden[unit] = hiddenBias[unit] }
                for (row, value) in input.enumerated() where value != 0 {
                    let base = row * hiddenCount
                    for unit in 0..<hiddenCount { hidden[unit] += value * weights[base + unit] }
                }
                for unit in 0..<hiddenCount { hidden[unit] = max(0, hidden[unit]) }
            }
        }
        for output in 0..<classCount { probabilities[output] = outputBias[output] }
        for (unit, activation) in hidden.enumerated() where activation != 0 {
            let base = unit * classCount
            for output in 0..<classCount { probabilities[output] += activation * outputWeights[base + output] }
        }
        let largest = probabilities.max() ?? 0
        var total: Float = 0
        for output in 0..<classCount {
            probabilities[output] = exp(probabilities[output] - largest)
            total += probabilities[output]
        }
        for output in 0..<classCount { probabilities[output] /= total }
    }

    /// `forward(_:hidden:probabilities:)` on an array.
    ///
    /// - Parameters:
    ///   - input: The feature vector: exactly `inputWeights.count / hiddenBias.count` values (not checked).
    ///   - hidden: Scratch of exactly `hiddenBias.count` values, overwritten with the activations.
    ///   - probabilities: Exactly `outputBias.count` values, overwritten with the probabilities.
    package func forward(_ input: [Float], hidden: inout [Float], probabilities: inout [Float]) {
        input.withUnsafeBufferPointer { forward($0, hidden: &hidden, probabilities: &probabilities) }
    }
}

// MARK: - Serialisation

extension SoftmaxPerceptron: Codable {
    private enum CodingKeys: String, CodingKey {
        case inputs, hiddenUnits, classes, members
    }

    /// Each member's parameters as base64 of little-endian float32, in `Member`'s order: exact,
    /// and a quarter the size of decimal text.
    ///
    /// - Parameter decoder: The decoder holding the perceptron's shape and members.
    /// - Throws: `DecodingError` when a key is missing or a member's parameters are not base64 of the right size.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputs = try container.decode(Int.self, forKey: .inputs)
        hiddenUnits = try container.decode(Int.self, forKey: .hiddenUnits)
        classes = try container.decode(Int.self, forKey: .classes)
        let encoded = try container.decode([String].self, forKey: .members)
        let sizes = [inputs * hiddenUnits, hiddenUnits, hiddenUnits * classes, classes]
        members = try encoded.map { text in
            guard let data = Data(base64Encoded: text), data.count == sizes.reduce(0, +) * 4 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .members, in: container,
                    debugDescription: "a member's parameters have the wrong size")
            }
            let values = stride(from: 0, to: data.count, by: 4).map { offset in
                Float(
                    bitPattern: data[data.startIndex + offset..<data.startIndex + offset + 4].reversed()
                        .reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            }
            var start = 0
            let parts = sizes.map { size in
                defer { start += size }
                return Array(values[start..<start + size])
            }
            return Member(inputWeights: parts[0], hiddenBias: parts[1], outputWeights: parts[2], outputBias: parts[3])
        }
    }

    /// Writes the shape, and each member's parameters as `init(from:)` reads them.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(hiddenUnits, forKey: .hiddenUnits)
        try container.encode(classes, forKey: .classes)
        try container.encode(
            members.map { member in
                var data = Data(
                    capacity: (member.inputWeights.count + member.hiddenBias.count + member.outputWeights.count
                        + member.outputBias.count) * 4)
                for value in member.inputWeights + member.hiddenBias + member.outputWeights + member.outputBias {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                }
                return data.base64EncodedString()
            }, forKey: .members)
    }
}
