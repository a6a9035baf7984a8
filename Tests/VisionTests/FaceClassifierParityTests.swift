import Foundation
import Model
import TestSupport
import Vision
import XCTest

/// OpenCV `dnn` must give what onnxruntime gave for the same model and inputs
/// (`Fixtures/fer_parity.json`, written by `Scripts/models/make_parity_fixture.py`).
final class FaceClassifierParityTests: XCTestCase {
    private func loadFixture() throws -> ParityFixture {
        let url = try XCTUnwrap(
            Bundle.module.url(
                forResource: "fer_parity", withExtension: "json",
                subdirectory: "Fixtures"),
            "Fixtures/fer_parity.json is not in the test bundle")
        return try ParityFixture.load(url)
    }

    func testOpenCVMatchesOnnxruntimeReference() throws {
        let fixture = try loadFixture()
        let modelPath = RepoPaths.faceModel
        if let problem = ModelFile.problem(
            at: modelPath, sha256: fixture.modelSHA256, fixtureScript: "Scripts/models/make_parity_fixture.py")
        {
            return XCTFail(problem)
        }
        XCTAssertEqual(fixture.inputShape, [1, 1, 64, 64])
        XCTAssertEqual(fixture.cases.map(\.name), ["random", "gradient", "checkerboard", "face"])

        let classifier = try FaceClassifier(spec: FaceModelSpec(path: modelPath, labels: fixture.labels))
        var largest: (difference: Float, where: String) = (0, "nowhere")
        for testCase in fixture.cases {
            XCTAssertEqual(testCase.input.count, 64 * 64, testCase.name)
            XCTAssertEqual(testCase.probs.count, fixture.labels.count, testCase.name)
            let output = try classifier.run(testCase.input)
            XCTAssertEqual(output.count, testCase.probs.count, testCase.name)
            for (index, (got, want)) in zip(output, testCase.probs).enumerated() {
                let difference = abs(got - want)
                XCTAssertLessThanOrEqual(
                    difference, 1e-5,
                    "\(testCase.name) \(fixture.labels[index]): OpenCV \(got), onnxruntime \(want)")
                if difference > largest.difference {
                    largest = (difference, "\(testCase.name)/\(fixture.labels[index])")
                }
            }
            XCTAssertEqual(output.reduce(0, +), 1, accuracy: 1e-4, "\(testCase.name): softmax sums to 1")
        }
        print(
            "fer parity: largest |OpenCV - onnxruntime| = \(largest.difference) (\(largest.where)) "
                + "over \(fixture.cases.count) cases")
    }
}
