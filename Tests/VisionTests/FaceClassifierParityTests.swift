import Foundation
import Model
import TestSupport
import Vision
import XCTest

/// OpenCV `dnn` must give what the reference gave for the same model and inputs: onnxruntime
/// for fer's converted model (`Fixtures/fer_parity.json`, `Scripts/models/make_parity_fixture.py`),
/// PyTorch for emoscan's own (`Fixtures/face8_parity.json`, `Scripts/models/train-face`).
final class FaceClassifierParityTests: XCTestCase {
    func testOpenCVMatchesOnnxruntimeOnFersModel() throws {
        try checkParity(
            fixture: "fer_parity", model: RepoPaths.faceModel, fixtureScript: "Scripts/models/make_parity_fixture.py",
            side: 64, cases: ["random", "gradient", "checkerboard", "face"])
    }

    func testOpenCVMatchesPyTorchOnEmoscansOwnModel() throws {
        try checkParity(
            fixture: "face8_parity", model: RepoPaths.face8Model, fixtureScript: "Scripts/models/train-face",
            side: 48, cases: ["random", "gradient", "rings", "black"])
    }

    private func checkParity(
        fixture name: String, model: String, fixtureScript: String, side: Int, cases: [String]
    )
        throws
    {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
            "Fixtures/\(name).json is not in the test bundle")
        let fixture = try ParityFixture.load(url)
        if let problem = ModelFile.problem(at: model, sha256: fixture.modelSHA256, fixtureScript: fixtureScript) {
            return XCTFail(problem)
        }
        XCTAssertEqual(fixture.inputShape, [1, 1, side, side])
        XCTAssertEqual(fixture.cases.map(\.name), cases)

        let classifier = try FaceClassifier(spec: FaceModelSpec(path: model, inputSize: side, labels: fixture.labels))
        var largest: (difference: Float, where: String) = (0, "nowhere")
        for testCase in fixture.cases {
            XCTAssertEqual(testCase.input.count, side * side, testCase.name)
            XCTAssertEqual(testCase.probs.count, fixture.labels.count, testCase.name)
            let output = try classifier.run(testCase.input)
            XCTAssertEqual(output.count, testCase.probs.count, testCase.name)
            for (index, (got, want)) in zip(output, testCase.probs).enumerated() {
                let difference = abs(got - want)
                XCTAssertLessThanOrEqual(
                    difference, 1e-5, "\(testCase.name) \(fixture.labels[index]): OpenCV \(got), reference \(want)")
                if difference > largest.difference {
                    largest = (difference, "\(testCase.name)/\(fixture.labels[index])")
                }
            }
            XCTAssertEqual(output.reduce(0, +), 1, accuracy: 1e-4, "\(testCase.name): softmax sums to 1")
        }
        print(
            "\(name): largest |OpenCV - reference| = \(largest.difference) (\(largest.where)) "
                + "over \(fixture.cases.count) cases")
    }
}
