import Foundation
import Voice
import XCTest

@testable import Training

final class SoftmaxPerceptronTests: XCTestCase {
    /// Small settings, so the tests train in a moment even in a debug build.
    private var quick: SoftmaxPerceptron.Settings {
        var settings = SoftmaxPerceptron.Settings()
        settings.hiddenUnits = 8
        settings.members = 2
        settings.epochs = 40
        settings.batchSize = 16
        settings.learningRate = 0.01
        return settings
    }

    /// `counts[c]` points around a centre per class on one axis of 4 dimensions, with noise.
    private func clusters(_ counts: [Int], seed: UInt64 = 3) -> (samples: [[Float]], labels: [Int]) {
        var random = SplitMix64(seed: seed)
        var samples: [[Float]] = [], labels: [Int] = []
        for (label, count) in counts.enumerated() {
            for _ in 0..<count {
                samples.append((0..<4).map { Float($0 == label ? 2 : 0) + random.nextGaussian() * 0.6 })
                labels.append(label)
            }
        }
        return (samples, labels)
    }

    private func accuracy(
        _ model: SoftmaxPerceptron, on data: (samples: [[Float]], labels: [Int]), label: Int? = nil
    ) -> Double {
        let pairs = zip(data.samples, data.labels).filter { label == nil || $0.1 == label }
        let correct = pairs.filter { sample, truth in
            let scores = model.probabilities(for: sample)
            return scores.indices.max { scores[$0] < scores[$1] } == truth
        }.count
        return Double(correct) / Double(pairs.count)
    }

    func testLearnsSeparableClassesWithProbabilitiesThatSumToOne() {
        let data = clusters([60, 60, 60])
        let model = SoftmaxPerceptron(samples: data.samples, labels: data.labels, classes: 3, settings: quick)
        let test = clusters([30, 30, 30], seed: 99)
        XCTAssertGreaterThan(accuracy(model, on: test), 0.9)
        for sample in test.samples.prefix(5) {
            let scores = model.probabilities(for: sample)
            XCTAssertEqual(scores.reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertTrue(scores.allSatisfy { $0 > 0 && $0 < 1 }, "a softmax, not a vote: \(scores)")
        }
    }

    /// A class with a tenth of the samples is still found: classes are weighted by their counts.
    func testARareClassIsNotDrownedOut() {
        let data = clusters([200, 20])
        let model = SoftmaxPerceptron(samples: data.samples, labels: data.labels, classes: 2, settings: quick)
        XCTAssertGreaterThan(accuracy(model, on: clusters([100, 100], seed: 7), label: 1), 0.85)
    }

    func testTheSameSeedGivesTheSameModelAndAnotherSeedAnother() {
        let data = clusters([40, 40, 40])
        let first = SoftmaxPerceptron(samples: data.samples, labels: data.labels, classes: 3, settings: quick, seed: 5)
        XCTAssertEqual(
            SoftmaxPerceptron(samples: data.samples, labels: data.labels, classes: 3, settings: quick, seed: 5), first)
        XCTAssertNotEqual(
            SoftmaxPerceptron(samples: data.samples, labels: data.labels, classes: 3, settings: quick, seed: 6), first)
        XCTAssertNotEqual(first.members[0], first.members[1], "each member starts from its own seed")
    }

    func testWeightDecayKeepsTheWeightsSmaller() {
        let data = clusters([40, 40, 40])
        func norm(decay: Float) -> Float {
            var settings = quick
            settings.weightDecay = decay
            let model = SoftmaxPerceptron(samples: data.samples, labels: data.labels, classes: 3, settings: settings)
            return model.members.flatMap { $0.inputWeights + $0.outputWeights }.reduce(0) { $0 + $1 * $1 }
        }
        XCTAssertLessThan(norm(decay: 0.2), 0.8 * norm(decay: 0))
    }

    func testSerialisationIsExactAndRefusesAWrongSize() throws {
        let data = clusters([20, 20])
        let model = SoftmaxPerceptron(samples: data.samples, labels: data.labels, classes: 2, settings: quick)
        let encoded = try JSONEncoder().encode(model)
        XCTAssertEqual(try JSONDecoder().decode(SoftmaxPerceptron.self, from: encoded), model)

        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        object["hiddenUnits"] = model.hiddenUnits + 1
        let wrong = try JSONSerialization.data(withJSONObject: object)
        XCTAssertThrowsError(try JSONDecoder().decode(SoftmaxPerceptron.self, from: wrong))
    }

    func testSplitMixIsReproducibleAndRoughlyNormal() {
        var first = SplitMix64(seed: 1), second = SplitMix64(seed: 1)
        XCTAssertEqual((0..<5).map { _ in first.next() }, (0..<5).map { _ in second.next() })
        var random = SplitMix64(seed: 2)
        let values = (0..<20000).map { _ in Double(random.nextGaussian()) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
        var order = Array(0..<50)
        random.shuffle(&order)
        XCTAssertEqual(order.sorted(), Array(0..<50))
        XCTAssertNotEqual(order, Array(0..<50))
    }
}
