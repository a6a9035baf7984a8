import Foundation
import Voice

extension SoftmaxPerceptron {
    /// How the ensemble is shaped and trained. The defaults are common starting points (Adam's
    /// published rate, a weight decay of 0.01), not values searched on the test speakers.
    public struct Settings: Sendable, Equatable {
        public var hiddenUnits = 64
        public var members = 3
        public var epochs = 100
        public var batchSize = 64
        public var learningRate: Float = 0.001
        public var weightDecay: Float = 0.01

        public init() {}
    }

    /// Trains `settings.members` perceptrons on `samples` (standardised feature vectors) with class
    /// indices `labels`, each from its own seed; classes are weighted inversely to their counts.
    ///
    /// - Parameters:
    ///   - samples: Standardised feature vectors, all as long as the first; not empty (a precondition).
    ///   - labels: The class index of each sample, below `classes`; one per sample (a precondition).
    ///   - classes: How many classes there are.
    ///   - settings: The ensemble's shape and training.
    ///   - seed: The seed the members' own seeds are derived from: the same seed, the same ensemble.
    public init(samples: [[Float]], labels: [Int], classes: Int, settings: Settings = Settings(), seed: UInt64 = 1) {
        precondition(!samples.isEmpty && samples.count == labels.count, "one label per sample")
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        let classWeights = counts.map { $0 == 0 ? 0 : Float(labels.count) / Float(classes * $0) }
        let flat = samples.flatMap { $0 }
        let members = (0..<settings.members).map { index in
            var trainer = MemberTrainer(
                inputs: samples[0].count, hidden: settings.hiddenUnits, classes: classes,
                settings: settings, seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            return trainer.train(flat, labels: labels, classWeights: classWeights)
        }
        self.init(inputs: samples[0].count, hiddenUnits: settings.hiddenUnits, classes: classes, members: members)
    }
}

// MARK: - Training one member

/// Mini-batch gradient descent with Adam for one member: the parameters, their gradients and
/// Adam's moments as flat arrays in one order (input weights, hidden bias, output weights, output bias).
private struct MemberTrainer {
    let inputs: Int, hidden: Int, classes: Int
    let settings: SoftmaxPerceptron.Settings
    var random: SplitMix64
    var parameters: [Float]
    var firstMoment: [Float]
    var secondMoment: [Float]
    var step = 0

    init(inputs: Int, hidden: Int, classes: Int, settings: SoftmaxPerceptron.Settings, seed: UInt64) {
        self.inputs = inputs
        self.hidden = hidden
        self.classes = classes
        self.settings = settings
        random = SplitMix64(seed: seed)
        // He initialisation for the ReLU layer, Glorot-like for the softmax layer; biases zero.
        var parameters = [Float](repeating: 0, count: inputs * hidden + hidden + hidden * classes + classes)
        let inputScale = (2 / Float(inputs)).squareRoot(), outputScale = (1 / Float(hidden)).squareRoot()
        for index in 0..<inputs * hidden { parameters[index] = random.nextGaussian() * inputScale }
        let outputStart = inputs * hidden + hidden
        for index in outputStart..<outputStart + hidden * classes {
            parameters[index] = random.nextGaussian() * outputScale
        }
        self.parameters = parameters
        firstMoment = [Float](repeating: 0, count: parameters.count)
        secondMoment = firstMoment
    }

    private var hiddenBiasStart: Int { inputs * hidden }
    private var outputWeightsStart: Int { inputs * hidden + hidden }
    private var outputBiasStart: Int { outputWeightsStart + hidden * classes }

    mutating func train(_ samples: [Float], labels: [Int], classWeights: [Float]) -> SoftmaxPerceptron.Member {
        var order = Array(labels.indices)
        var gradient = [Float](repeating: 0, count: parameters.count)
        var activations = [Float](repeating: 0, count: hidden)
        var probabilities = [Float](repeating: 0, count: classes)
        var hiddenGradient = [Float](repeating: 0, count: hidden)
        for _ in 0..<settings.epochs {
            random.shuffle(&order)
            for batchStart in stride(from: 0, to: order.count, by: settings.batchSize) {
                let batch = order[batchStart..<min(order.count, batchStart + settings.batchSize)]
                for index in gradient.indices { gradient[index] = 0 }
                let member = self.member
                for sample in batch {
                    samples.withUnsafeBufferPointer { all in
                        let input = UnsafeBufferPointer(rebasing: all[sample * inputs..<(sample + 1) * inputs])
                        member.forward(input, hidden: &activations, probabilities: &probabilities)
                        accumulate(
                            input, activations: activations, probabilities: probabilities, label: labels[sample],
                            weight: classWeights[labels[sample]] / Float(batch.count),
                            hiddenGradient: &hiddenGradient, into: &gradient)
                    }
                }
                applyAdam(gradient)
            }
        }
        return member
    }

    /// Adds one sample's cross-entropy gradient (scaled by `weight`) to `gradient`.
    private func accumulate(
        _ input: UnsafeBufferPointer<Float>, activations: [Float], probabilities: [Float], label: Int,
        weight: Float, hiddenGradient: inout [Float], into gradient: inout [Float]
    ) {
        let outputWeights = outputWeightsStart, outputBias = outputBiasStart
        for unit in 0..<hidden { hiddenGradient[unit] = 0 }
        for output in 0..<classes {
            let error = (probabilities[output] - (output == label ? 1 : 0)) * weight
            gradient[outputBias + output] += error
            for unit in 0..<hidden where activations[unit] > 0 {
                gradient[outputWeights + unit * classes + output] += activations[unit] * error
                hiddenGradient[unit] += parameters[outputWeights + unit * classes + output] * error
            }
        }
        gradient.withUnsafeMutableBufferPointer { gradient in
            hiddenGradient.withUnsafeBufferPointer { hiddenGradient in
                for unit in 0..<hidden { gradient[hiddenBiasStart + unit] += hiddenGradient[unit] }
                for (row, value) in input.enumerated() where value != 0 {
                    let base = row * hidden
                    for unit in 0..<hidden { gradient[base + unit] += value * hiddenGradient[unit] }
                }
            }
        }
    }

    /// One Adam step (β₁ 0.9, β₂ 0.999), with L2 weight decay on the weights, not the biases.
    private mutating func applyAdam(_ gradient: [Float]) {
        step += 1
        let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
        let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
        let rate = settings.learningRate, decay = settings.weightDecay
        let hiddenBias = hiddenBiasStart..<outputWeightsStart, outputBias = outputBiasStart
        for index in parameters.indices {
            let isBias = hiddenBias.contains(index) || index >= outputBias
            let g = gradient[index] + (isBias ? 0 : decay * parameters[index])
            firstMoment[index] = beta1 * firstMoment[index] + (1 - beta1) * g
            secondMoment[index] = beta2 * secondMoment[index] + (1 - beta2) * g * g
            parameters[index] -=
                rate * (firstMoment[index] / correction1) / ((secondMoment[index] / correction2).squareRoot() + epsilon)
        }
    }

    var member: SoftmaxPerceptron.Member {
        SoftmaxPerceptron.Member(
            inputWeights: Array(parameters[0..<hiddenBiasStart]),
            hiddenBias: Array(parameters[hiddenBiasStart..<outputWeightsStart]),
            outputWeights: Array(parameters[outputWeightsStart..<outputBiasStart]),
            outputBias: Array(parameters[outputBiasStart...]))
    }
}
