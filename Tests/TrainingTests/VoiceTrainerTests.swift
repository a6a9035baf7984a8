import Foundation
import Model
import TestSupport
import Voice
import XCTest

@testable import Training

final class VoiceTrainerTests: XCTestCase {
    /// Three well-separated clusters in 6 dimensions, 8 speakers in two corpora, a fixed generator.
    private func blobs(perSpeaker: Int = 12) -> [VoiceTrainer.Sample] {
        var generator = SplitMix64(seed: 42)
        var samples: [VoiceTrainer.Sample] = []
        for speaker in 0..<8 {
            let corpus = speaker < 6 ? "alpha" : "beta"
            for index in 0..<perSpeaker {
                let label = index % 3
                let features = (0..<6).map { dimension in
                    Float(dimension == label * 2 ? 4 : 0) + generator.nextGaussian() * 0.7 + Float(speaker) * 0.05
                }
                samples.append(
                    VoiceTrainer.Sample(
                        features: features, label: label, speaker: "\(corpus):\(speaker)",
                        corpus: corpus, file: "\(speaker)-\(index)", seconds: 1))
            }
        }
        return samples
    }

    func testEveryKindLearnsSeparableClassesAndScoresSumToOne() throws {
        let samples = blobs()
        let train = samples.filter { !$0.speaker.hasSuffix(":7") }, test = samples.filter { $0.speaker.hasSuffix(":7") }
        for kind in StatisticalClassifier.Kind.allCases {
            let (model, standardizer) = try VoiceTrainer(labels: ["a", "b", "c"], classifier: kind).fit(train)
            var correct = 0
            for sample in test {
                let scores = try model.scores(for: standardizer.apply(sample.features))
                XCTAssertEqual(scores.reduce(0, +), 1, accuracy: 1e-4, "\(kind)")
                if scores.indices.max(by: { scores[$0] < scores[$1] }) == sample.label { correct += 1 }
            }
            XCTAssertGreaterThanOrEqual(Double(correct) / Double(test.count), 0.9, "\(kind): \(correct)/\(test.count)")
        }
    }

    func testAModelReadBackScoresTheSameAndTrainingIsDeterministic() throws {
        let samples = blobs()
        for kind in StatisticalClassifier.Kind.allCases {
            let trainer = VoiceTrainer(labels: ["a", "b", "c"], classifier: kind, seed: 7)
            let (model, standardizer) = try trainer.fit(samples)
            let text = try model.serialized()
            XCTAssertEqual(
                try trainer.fit(samples).classifier.serialized(), text, "\(kind): same data and seed, same model")
            let restored = try StatisticalClassifier(kind: kind, serialized: text, classes: 3)
            XCTAssertThrowsError(
                try restored.scores(for: [1, 2]), "\(kind): a vector of the wrong length is an error, not a trap")
            for sample in samples.prefix(10) {
                let features = standardizer.apply(sample.features)
                XCTAssertEqual(try restored.scores(for: features), try model.scores(for: features), "\(kind)")
            }
        }
    }

    func testFoldsHoldWholeSpeakersSpreadOverEveryCorpus() throws {
        let samples = blobs(perSpeaker: 3)
        let assignment = VoiceTrainer.foldAssignment(samples, folds: 3)
        XCTAssertEqual(Set(assignment.keys), Set(samples.map(\.speaker)))
        // alpha's six speakers two to a fold, beta's two in folds 0 and 1.
        XCTAssertEqual(assignment.filter { $0.key.hasPrefix("alpha") }.values.sorted(), [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(assignment.filter { $0.key.hasPrefix("beta") }.values.sorted(), [0, 1])

        let validation = try VoiceTrainer(labels: ["a", "b", "c"], classifier: .rtrees).crossValidate(blobs(), folds: 4)
        XCTAssertEqual(validation.folds.count, 4)
        XCTAssertEqual(validation.folds.map(\.files).reduce(0, +), 8 * 12, "every file scored once")
        XCTAssertEqual(Set(validation.folds.flatMap(\.speakers)).count, 8, "no speaker in two test folds")
        XCTAssertGreaterThan(validation.meanAccuracy, 0.9)
        XCTAssertEqual(validation.accuracy(corpus: "beta").files, 2 * 12)
    }

    /// A model trained here, written as emoscan's model file and loaded by the classifier the
    /// pipeline uses, tells a low voice from a high one; a pipeline that expects other labels is refused.
    func testATrainedModelFileRunsInTheVoiceClassifier() throws {
        let extractor = EmotionFeatures(sampleRate: 16000)
        var samples: [VoiceTrainer.Sample] = []
        for (label, base) in [(0, 110.0), (1, 260.0)] {
            for step in 0..<12 {
                let tone = Signals.harmonicTone(base + Double(step) * 3, seconds: 0.8)
                samples.append(
                    .init(
                        features: try extractor.features(of: tone), label: label, speaker: "s\(step % 3)",
                        corpus: "synthetic", file: "\(label)-\(step)", seconds: 0.8))
            }
        }
        let labels = ["low", "high"]
        let (model, standardizer) = try VoiceTrainer(labels: labels, classifier: .svm).fit(samples)
        let file = TrainedVoiceModel(
            labels: labels, sampleRate: 16000, features: .emotion, featureNames: EmotionFeatures.names,
            classifier: .svm, standardizer: standardizer, model: try model.serialized(),
            training: .init(
                command: "test", corpora: [:], segmentation: VoiceActivityOptions(),
                crossValidation: nil, seed: 1, licence: "none"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("voice-\(UUID().uuidString).json").path
        try file.encoded().write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try TrainedVoiceModel.load(path: path), file)

        let classifier = try VoiceClassifier(
            spec: VoiceModelSpec(path: path, labels: labels, sampleRate: 16000, features: .emotion))
        XCTAssertEqual(try classifier.classify(samples: Signals.harmonicTone(118, seconds: 0.8)), [1, 0])
        XCTAssertEqual(try classifier.classify(samples: Signals.harmonicTone(250, seconds: 0.8)), [0, 1])
        XCTAssertThrowsError(
            try VoiceClassifier(
                spec: VoiceModelSpec(
                    path: path, labels: ["high", "low"], sampleRate: 16000,
                    features: .emotion))
        ) { error in
            guard case .mismatch? = error as? VoiceModelError else { return XCTFail("\(error)") }
        }
    }

    /// A model trained on Whisper features of low and high voices (padded to 2 s) runs in the voice
    /// classifier the pipeline uses when the pipeline gives it the Whisper model, and is refused
    /// without one.
    func testAModelOnWhisperFeaturesRunsInTheVoiceClassifierWithTheWhisperModel() throws {
        let whisperPath = RepoPaths.whisperModel
        let features = WhisperFeatures(
            encoder: try WhisperEncoder(weights: WhisperWeights.shared(path: whisperPath)), layer: 4, paddedSeconds: 2)
        var samples: [VoiceTrainer.Sample] = []
        for (label, base) in [(0, 110.0), (1, 260.0)] {
            for step in 0..<6 {
                let tone = Signals.harmonicTone(base + Double(step) * 3, seconds: 0.6)
                samples.append(
                    .init(
                        features: try features.features(of: tone), label: label, speaker: "s\(step % 3)",
                        corpus: "synthetic", file: "\(label)-\(step)", seconds: 0.6))
            }
        }
        let trainer = VoiceTrainer(labels: ["low", "high"], classifier: .rtrees)
        let model = try TrainedVoiceModel(
            trainedBy: trainer, on: samples, featureSet: .whisper, extractor: features, whisperLayer: 4,
            whisperPaddedSeconds: 2, temperature: nil,
            segmentation: VoiceActivityOptions(), crossValidation: nil, corpora: [], command: "test")
        XCTAssertEqual(model.whisperLayer, 4)
        XCTAssertEqual(model.featureNames.count, 1024)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("voice-\(UUID().uuidString).json").path
        try model.encoded().write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try TrainedVoiceModel.load(path: path).whisperPaddedSeconds, 2)

        let spec = VoiceModelSpec(path: path, labels: ["low", "high"], sampleRate: 16000, features: .whisper)
        let classifier = try VoiceClassifier(spec: spec, whisper: whisperPath)
        let low = try classifier.classify(samples: Signals.harmonicTone(115, seconds: 0.6))
        let high = try classifier.classify(samples: Signals.harmonicTone(255, seconds: 0.6))
        XCTAssertGreaterThan(low[0], low[1])
        XCTAssertGreaterThan(high[1], high[0])
        XCTAssertThrowsError(try VoiceClassifier(spec: spec)) { error in
            guard case .mismatch(_, let what)? = error as? VoiceModelError else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("whisper"), what)
        }
    }
}
