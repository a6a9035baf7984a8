import Foundation
import Model
import TestSupport
import Voice
import XCTest

/// OpenCV `dnn` must give what onnxruntime gave for the voice model on the same feature vectors
/// (`Fixtures/audioanalytics_parity.json`, written by `Scripts/models/make_parity_fixture.py`).
final class VoiceClassifierParityTests: XCTestCase {
    func testOpenCVMatchesOnnxruntimeReference() throws {
        let url = try XCTUnwrap(
            Bundle.module.url(
                forResource: "audioanalytics_parity", withExtension: "json",
                subdirectory: "Fixtures"))
        let fixture = try ParityFixture.load(url)
        let modelPath = RepoPaths.audioanalyticsModel
        if let problem = ModelFile.problem(
            at: modelPath, sha256: fixture.modelSHA256, fixtureScript: "Scripts/models/make_parity_fixture.py")
        {
            return XCTFail(problem)
        }
        XCTAssertEqual(fixture.inputShape, [1, 1, 1, LibrosaFeatures.count])
        XCTAssertGreaterThanOrEqual(fixture.cases.count, 3)

        let classifier = try VoiceClassifier(
            spec: VoiceModelSpec(
                path: modelPath, labels: fixture.labels, sampleRate: 22050,
                features: .librosa181))
        var largest: Float = 0
        for testCase in fixture.cases {
            XCTAssertEqual(testCase.input.count, LibrosaFeatures.count, testCase.name)
            let output = try classifier.classify(features: testCase.input)
            XCTAssertEqual(output.count, testCase.probs.count, testCase.name)
            for (index, (got, want)) in zip(output, testCase.probs).enumerated() {
                XCTAssertEqual(got, want, accuracy: 1e-5, "\(testCase.name) \(fixture.labels[index])")
                largest = max(largest, abs(got - want))
            }
        }
        print("voice model parity: largest |OpenCV - onnxruntime| = \(largest)")
    }

    func testAModelThatNamesTheWrongNumberOfLabelsIsRefused() throws {
        let classifier = try VoiceClassifier(
            spec: VoiceModelSpec(
                path: RepoPaths.audioanalyticsModel, labels: ["calm", "happy"],
                sampleRate: 22050, features: .librosa181))
        XCTAssertThrowsError(try classifier.classify(features: [Float](repeating: 0, count: LibrosaFeatures.count)))
    }
}
