import Foundation
import TestSupport
import XCTest

/// `emoscan label`: corrections from the command line and from a CSV, kept in the store.
final class LabelCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    func testLabelsFromTheCommandLineAndACorrectionsFile() throws {
        let store = freshFolder()
        XCTAssertEqual(try emoscan(["label", "/data/a.mp4", "Happy", "--store", store]).stdout, "labelled 1 file\n")
        let corrections = store + "-fixes.csv"
        try "file,emotion,reviewer\n/data/a.mp4,sad,kim\n\"/data/b, c.wav\",angry,kim\n"
            .write(toFile: corrections, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: corrections) }
        XCTAssertEqual(try emoscan(["label", "--csv", corrections, "--store", store]).stdout, "labelled 2 files\n")

        let query = try sqliteOrSkip("the label table was not read")
        XCTAssertEqual(
            try query(store, "SELECT file, emotion FROM label ORDER BY file"), "/data/a.mp4|sad\n/data/b, c.wav|angry",
            "the file's later label replaces the first")
    }

    func testAnUnknownEmotionOrAMissingColumnIsAUsageError() throws {
        let store = freshFolder()
        let unknown = try emoscan(["label", "/data/a.mp4", "joyful", "--store", store])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown emotion 'joyful'"), unknown.stderr)

        let corrections = store + "-bad.csv"
        try "path,label\n/data/a.mp4,sad\n".write(toFile: corrections, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: corrections) }
        let missing = try emoscan(["label", "--csv", corrections, "--store", store])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("needs the columns file and emotion"), missing.stderr)
        XCTAssertEqual(try emoscan(["label", "--store", store]).status, 2, "nothing to label")
    }

    func testEvaluateLabelledScoresTheStoresAnswersAgainstTheLabels() throws {
        let store = freshFolder()
        let speech = try GeneratedMedia.speech()
        XCTAssertEqual(try emoscan(["analyze", "--store", store, speech]).status, 0)
        XCTAssertEqual(try emoscan(["label", speech, "happy", "--store", store]).status, 0)
        XCTAssertEqual(try emoscan(["label", "/never/analysed.mp4", "calm", "--store", store]).status, 0)

        let report = store + "/labelled.json"
        let run = try emoscan(["evaluate", "--labelled", "--store", store, "--report", report])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("calm → neutral (model has no calm)"), run.stdout)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        XCTAssertEqual(object["n"] as? Int, 2)
        XCTAssertEqual(object["modality"] as? String, "fused")
        let labels = try XCTUnwrap(object["labels"] as? [String])
        let confusion = try XCTUnwrap(object["confusion"] as? [[Int]])
        let neutral = try XCTUnwrap(labels.firstIndex(of: "neutral"))
        XCTAssertEqual(confusion[neutral].last, 1, "the file with no result in the store is a 'none' answer")
        XCTAssertEqual(
            try emoscan(["evaluate", "--labelled", "--store", freshFolder()]).status, 2, "no labels: usage error")
    }
}
