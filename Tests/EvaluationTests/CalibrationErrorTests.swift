import Evaluation
import XCTest

final class CalibrationErrorTests: XCTestCase {
    func testAConfidenceThatMatchesAccuracyScoresZero() {
        // Ten answers at 0.8, eight of them right.
        let correct = [true, true, true, true, true, true, true, true, false, false]
        XCTAssertEqual(
            CalibrationError.expected(confidences: Array(repeating: 0.8, count: 10), correct: correct), 0,
            accuracy: 1e-12)
    }

    func testOverconfidenceIsTheGapWeightedByEachBinsShare() {
        // Bin (0.9, 1]: four at 0.99, two right: gap 0.49. Bin (0.5, 0.6]: one at 0.55, right: gap 0.45.
        let ece = CalibrationError.expected(
            confidences: [0.99, 0.99, 0.99, 0.99, 0.55], correct: [true, true, false, false, true])
        XCTAssertEqual(ece, 4.0 / 5 * 0.49 + 1.0 / 5 * 0.45, accuracy: 1e-12)
    }

    func testBinEdgesAndNoAnswers() {
        // 0.1 lies in the first bin (0, 0.1], 0 too; 1 in the last.
        XCTAssertEqual(
            CalibrationError.expected(confidences: [0.1, 0], correct: [false, false]), 0.05, accuracy: 1e-12)
        XCTAssertEqual(CalibrationError.expected(confidences: [1], correct: [true]), 0, accuracy: 1e-12)
        XCTAssertEqual(CalibrationError.expected(confidences: [], correct: []), 0)
    }

    func testTheReportCountsOnlyAnswersWithAConfidence() {
        let report = ClassificationReport(
            truth: ["calm", "happy", "calm"], predicted: ["calm", "calm", nil], labels: ["calm", "happy"],
            confidences: [0.9, 0.9, nil])
        // Both answers in (0.8, 0.9], one right: |0.5 - 0.9|.
        XCTAssertEqual(report.expectedCalibrationError ?? -1, 0.4, accuracy: 1e-12)
        XCTAssertTrue(report.text.contains("ECE       0.400"), report.text)
        XCTAssertNil(
            ClassificationReport(truth: ["calm"], predicted: ["calm"], labels: ["calm"]).expectedCalibrationError)
    }
}
