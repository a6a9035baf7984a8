import Evaluation
import Model
import XCTest

@testable import Training

final class TemperatureFitTests: XCTestCase {
    /// 100 answers that all say 0.97 for their top class and are right 60 times in 100: an
    /// overconfident model, whose fitted temperature must be above 1 and bring its error down.
    private func overconfident() -> VoiceTrainer.CrossValidation {
        let predictions = (0..<100).map { index in
            let truth = index % 3, predicted = index % 5 < 3 ? truth : (truth + 1) % 3
            var probabilities = [0.015, 0.015, 0.015]
            probabilities[predicted] = 0.97
            return VoiceTrainer.FilePrediction(
                file: "\(index)", corpus: "test", truth: truth, predicted: predicted, probabilities: probabilities)
        }
        return VoiceTrainer.CrossValidation(folds: [], predictions: predictions)
    }

    func testAnOverconfidentModelGetsATemperatureAboveOneThatLowersItsError() throws {
        let calibration = try XCTUnwrap(overconfident().calibration())
        XCTAssertGreaterThan(calibration.temperature, 1.5)
        XCTAssertEqual(calibration.before, 0.37, accuracy: 1e-9, "|0.6 - 0.97|")
        XCTAssertLessThan(calibration.after, 0.05)
        // At the fitted temperature the top class says about what it is worth: near 0.6.
        let scaled = TemperatureScaling.apply([0.97, 0.015, 0.015], temperature: calibration.temperature)
        XCTAssertEqual(scaled[0], 0.6, accuracy: 0.03)
    }

    func testAWellCalibratedModelKeepsATemperatureNearOne() {
        // Says 0.6 and is right 60% of the time.
        let predictions = (0..<100).map { index in
            let truth = index % 2, predicted = index % 5 < 3 ? truth : 1 - truth
            var probabilities = [0.4, 0.4]
            probabilities[predicted] = 0.6
            return (probabilities, truth)
        }
        let temperature = TemperatureScaling.fitted(to: predictions.map(\.0), truth: predictions.map(\.1))
        XCTAssertEqual(temperature, 1, accuracy: 0.05)
        XCTAssertNil(VoiceTrainer.CrossValidation(folds: [], predictions: []).calibration())
    }
}
