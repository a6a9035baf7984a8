import Evaluation
import Foundation
import XCTest

/// The report's numbers on a small example worked out by hand, its JSON keys and its text.
final class ClassificationReportTests: XCTestCase {
    /// Truth angry ×4, happy ×4; sad is never true but predicted once; one file has no prediction.
    ///
    ///            angry happy sad none
    ///   angry        3     0   0    1
    ///   happy        1     2   1    0
    ///   sad          0     0   0    0
    ///
    /// angry: P 3/4, R 3/4, F1 0.75. happy: P 2/2, R 2/4, F1 2/3. sad: P 0 (1 predicted, 0 right),
    /// R 0, support 0. Accuracy 5/8; macro-F1 over angry and happy only: (0.75 + 2/3) / 2.
    static func example() -> ClassificationReport {
        ClassificationReport(
            truth: ["angry", "angry", "angry", "angry", "happy", "happy", "happy", "happy"],
            predicted: ["angry", "angry", "angry", nil, "happy", "angry", "sad", "happy"],
            labels: ["angry", "happy", "sad"])
    }

    func testNumbersOnAHandWorkedExample() {
        let report = Self.example()
        XCTAssertEqual(report.n, 8)
        XCTAssertEqual(report.correct, 5)
        XCTAssertEqual(report.accuracy, 0.625, accuracy: 1e-12)
        XCTAssertEqual(report.macroF1, (0.75 + 2.0 / 3.0) / 2, accuracy: 1e-12)
        XCTAssertEqual(report.noPrediction, 1)
        XCTAssertEqual(report.labels, ["angry", "happy", "sad"])
        XCTAssertEqual(report.confusionColumns, ["angry", "happy", "sad", "none"])
        XCTAssertEqual(report.confusion, [[3, 0, 0, 1], [1, 2, 1, 0], [0, 0, 0, 0]])
        XCTAssertEqual(Self.scores(report, "angry"), [0.75, 0.75, 0.75, 4])
        let happy = report.perClass["happy"]!
        XCTAssertEqual(happy.precision, 1)
        XCTAssertEqual(happy.recall, 0.5)
        XCTAssertEqual(happy.f1, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(happy.support, 4)
        XCTAssertEqual(Self.scores(report, "sad"), [0, 0, 0, 0])
    }

    /// Precision, recall, F1 and support of `label`.
    static func scores(_ report: ClassificationReport, _ label: String) -> [Double]? {
        report.perClass[label].map { [$0.precision, $0.recall, $0.f1, Double($0.support)] }
    }

    func testLabelsOutsideTheListAreAddedNotDropped() {
        let report = ClassificationReport(truth: ["calm", "happy"], predicted: ["calm", "fearful"], labels: ["calm"])
        XCTAssertEqual(report.labels, ["calm", "happy", "fearful"])
        XCTAssertEqual(report.confusion, [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]])
        XCTAssertEqual(report.accuracy, 0.5)
    }

    func testEmptyReportHasNoNaN() throws {
        let report = ClassificationReport(truth: [], predicted: [], labels: ["calm"])
        XCTAssertEqual(report.accuracy, 0)
        XCTAssertEqual(report.macroF1, 0)
        XCTAssertNoThrow(try JSONEncoder().encode(report), "NaN would make the encoder throw")
    }

    func testJSONKeysAreSnakeCase() throws {
        var report = Self.example()
        report.dataset = "ravdess"
        report.modality = "voice"
        report.excluded = ["angry": 3]
        report.mapping = ["fearful → fear"]
        report.noPredictionReasons = ["no speech": 1]
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any])
        for key in [
            "accuracy", "macro_f1", "n", "per_class", "confusion", "labels", "confusion_columns", "correct",
            "no_prediction", "no_prediction_reasons", "excluded", "mapping", "dataset", "modality", "unlabelled",
        ] {
            XCTAssertNotNil(object[key], "missing key \(key)")
        }
        XCTAssertNil(object["macroF1"])
        XCTAssertNil(object["perClass"])
        XCTAssertEqual(object["n"] as? Int, 8)
        XCTAssertEqual(object["confusion"] as? [[Int]], [[3, 0, 0, 1], [1, 2, 1, 0], [0, 0, 0, 0]])
        let angry = try XCTUnwrap((object["per_class"] as? [String: Any])?["angry"] as? [String: Any])
        XCTAssertEqual(Set(angry.keys), ["precision", "recall", "f1", "support"])
        XCTAssertEqual((object["excluded"] as? [String: Int]), ["angry": 3])

        let decoded = try JSONDecoder().decode(ClassificationReport.self, from: try JSONEncoder().encode(report))
        XCTAssertEqual(decoded.confusion, report.confusion)
        XCTAssertEqual(decoded.macroF1, report.macroF1)
    }

    func testTextShowsScoresTableAndConfusion() {
        var report = Self.example()
        report.noPredictionReasons = ["no face": 1]
        report.excluded = ["contempt": 18]
        let text = report.text
        XCTAssertTrue(text.contains("accuracy  0.625  (5/8)"), text)
        XCTAssertTrue(text.contains("macro-F1  0.708  (over the 2 labels in the truth)"), text)
        XCTAssertTrue(text.contains("no prediction: 1 file (1 no face), counted wrong (column none)"), text)
        XCTAssertTrue(text.contains("excluded: 18 files whose label the model cannot say (contempt 18)"), text)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("angry") && $0.hasSuffix("0.750   0.750   0.750        4") }, text)
        let header = try? XCTUnwrap(lines.first { $0.hasPrefix("truth") })
        XCTAssertEqual(header?.split(separator: " ").map(String.init), ["truth", "angry", "happy", "sad", "none"])
        XCTAssertTrue(
            lines.contains {
                $0.hasPrefix("happy") && $0.split(separator: " ").map(String.init) == ["happy", "1", "2", "1", "0"]
            },
            text)
    }
}
