import Foundation
import TestSupport
import XCTest

/// `emoscan evaluate` as a user runs it: on a tiny corpus named the RAVDESS way, and with usage errors.
final class EvaluateCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    /// Three copies of generated speech named as RAVDESS audio-only takes (happy, calm, angry)
    /// and one media file not named in its scheme.
    private func ravdessFolder() throws -> String {
        let folder = freshFolder()
        try FileManager.default.createDirectory(atPath: folder + "/Actor_01", withIntermediateDirectories: true)
        let speech = try GeneratedMedia.speech()
        for name in [
            "Actor_01/03-01-03-01-01-01-01.wav", "Actor_01/03-01-02-01-01-01-01.wav", "03-01-05-01-01-01-02.wav",
            "take-2.wav",
        ] {
            try FileManager.default.copyItem(atPath: speech, toPath: folder + "/" + name)
        }
        return folder
    }

    /// With the 4-class audioanalytics model, labels it lacks are mapped or excluded, and the report says so.
    func testVoiceReportOnATinyRAVDESSCorpus() throws {
        let corpus = try ravdessFolder()
        let report = freshFolder() + "/reports/r.json"
        let run = try emoscan(["evaluate", corpus, "--pipeline", "audioanalytics", "--report", report])
        XCTAssertEqual(run.status, 0, run.stderr)
        for text in [
            "ravdess: 2 of 3 files scored, modality voice", "angry: excluded (model has no angry)",
            "neutral → calm (model has no neutral)", "accuracy", "macro-F1", "confusion", "none",
        ] {
            XCTAssertTrue(run.stdout.contains(text), "stdout should contain \(text):\n\(run.stdout)")
        }
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report)))
                as? [String: Any])
        for key in ["accuracy", "macro_f1", "n", "per_class", "confusion", "labels"] {
            XCTAssertNotNil(object[key], "report lacks \(key)")
        }
        XCTAssertEqual(object["n"] as? Int, 2)
        XCTAssertEqual(object["dataset"] as? String, "ravdess")
        XCTAssertEqual(object["modality"] as? String, "voice")
        XCTAssertEqual(object["labels"] as? [String], ["calm", "disgust", "fearful", "happy"])
        XCTAssertEqual(object["excluded"] as? [String: Int], ["angry": 1])
        XCTAssertEqual(object["unlabelled"] as? Int, 1)
        let confusion = try XCTUnwrap(object["confusion"] as? [[Int]])
        XCTAssertEqual(confusion.count, 4)
        XCTAssertEqual(confusion.map { $0.count }, [5, 5, 5, 5], "four labels and none")
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), 2)
        let files = try XCTUnwrap(object["files"] as? [[String: Any]])
        XCTAssertEqual(files.compactMap { $0["truth"] as? String }.sorted(), ["calm", "happy"])
        XCTAssertEqual(files.compactMap { $0["speaker"] as? String }, ["01", "01"])
    }

    /// The default pipeline's own model knows all eight RAVDESS labels: nothing is mapped or excluded.
    func testTheDefaultVoiceModelScoresEveryRAVDESSLabel() throws {
        let report = freshFolder() + "/r.json"
        let run = try emoscan(["evaluate", try ravdessFolder(), "--report", report])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("ravdess: 3 of 3 files scored, modality voice"), run.stdout)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report)))
                as? [String: Any])
        XCTAssertEqual(
            object["labels"] as? [String],
            ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"])
        XCTAssertEqual(object["excluded"] as? [String: Int], [:])
        XCTAssertEqual(object["n"] as? Int, 3)
    }

    func testHelpShowsOptionsAndExamples() throws {
        let run = try emoscan(["evaluate", "--help"])
        XCTAssertEqual(run.status, 0)
        for text in [
            "--dataset", "--modality", "--pipeline", "--report", "--jobs", "Examples",
            "emoscan evaluate ../shared/data/fer2013",
        ] {
            XCTAssertTrue(run.stdout.contains(text), "evaluate --help should mention \(text)")
        }
        XCTAssertTrue(try emoscan(["--help"]).stdout.contains("evaluate"))
    }

    func testUsageErrorsExitWithTwo() throws {
        let corpus = try ravdessFolder()
        let empty = freshFolder()
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let report = freshFolder() + "/r.json"
        for arguments in [
            ["evaluate"], ["evaluate", "--dataset", "nope", corpus], ["evaluate", empty],
            ["evaluate", "--dataset", "tess", corpus], ["evaluate", "--modality", "face", corpus],
            ["evaluate", "--jobs", "0", corpus], ["evaluate", "--pipeline", "no-such-pipeline", corpus],
        ] {
            let run = try emoscan(arguments + ["--report", report])
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stderr.isEmpty, "\(arguments) should say what is wrong")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: report), "a usage error writes no report")
    }
}
