import Foundation
import TestSupport
import XCTest

/// Runs the built `emoscan` binary the way an operator or a cron job does, and checks what they
/// rely on: exit codes, the summary file, one line per failure, JSON on request.
final class AnalyzeCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    // MARK: Help and usage errors

    func testHelpTeachesExitCodesAndOptions() throws {
        let root = try emoscan(["--help"])
        XCTAssertEqual(root.status, 0)
        XCTAssertTrue(root.stdout.contains("Exit codes"), root.stdout)
        XCTAssertTrue(root.stdout.contains("analyze"))
        let analyze = try emoscan(["analyze", "--help"])
        XCTAssertEqual(analyze.status, 0)
        for option in ["--max-frames", "--pipeline", "--out", "--json", "--no-audio", "--no-video", "Examples"] {
            XCTAssertTrue(analyze.stdout.contains(option), "analyze --help should mention \(option)")
        }
    }

    func testUsageErrorsExitWithTwo() throws {
        let out = freshFolder()
        for arguments in [
            ["analyze"], ["analyze", "--max-frames", "0", "x.mp4"], ["analyze", "--frobnicate", "x.mp4"],
            ["analyze", "--no-audio", "--no-video", "x.mp4"],
            ["analyze", "--pipeline", "no-such-pipeline", "--out", out, "x.mp4"],
        ] {
            let run = try emoscan(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stderr.isEmpty, "\(arguments) should say what is wrong")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/summary.csv"), "a usage error writes nothing")
    }

    func testPipelineErrorNamesTheKey() throws {
        let text = try String(contentsOfFile: RepoPaths.path("Pipelines/default.yml"), encoding: .utf8)
            .replacingOccurrences(of: "min_face_size:", with: "min_face_sise:")
        let folder = freshFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/typo.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try emoscan(["analyze", "--pipeline", path, "--out", folder, try GeneratedMedia.testPattern()])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("filters.min_face_sise"), run.stderr)
    }

    // MARK: Batches with bad files

    func testOneBadFileFailsAloneAndExitCodeIsOne() throws {
        let out = freshFolder()
        let good = try GeneratedMedia.testPattern()
        let bad = [try GeneratedMedia.empty(), try GeneratedMedia.garbage(), try GeneratedMedia.truncated()]
        let run = try emoscan(["analyze", "--max-frames", "5", "--out", out, good] + bad)
        XCTAssertEqual(run.status, 1, run.stderr)
        // One line on stderr per failed file, naming it.
        let errorLines = run.stderr.split(separator: "\n")
        XCTAssertEqual(errorLines.count, bad.count, run.stderr)
        for path in bad { XCTAssertTrue(run.stderr.contains(path), "stderr should name \(path)") }

        let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(
            summary[0].hasPrefix(
                "file,status,error,duration_s,frames_sampled,frames_with_face,frames_accepted,face_emotion,face_confidence,result"
            ))
        XCTAssertEqual(summary.count, 1 + 1 + bad.count)
        XCTAssertEqual(summary.filter { $0.contains(",ok,") }.count, 1)
        XCTAssertTrue(summary.contains { $0.contains("not a readable media file") })
        XCTAssertTrue(summary.contains { $0.contains("empty") })
        let documents = try FileManager.default.contentsOfDirectory(atPath: out + "/files")
        XCTAssertEqual(documents.filter { $0.hasSuffix(".json") }.count, 4, "failed files get documents too")
    }

    func testAllGoodExitsZeroAndJSONIsOneDocumentPerLine() throws {
        let out = freshFolder()
        let files = [try GeneratedMedia.testPattern(), try GeneratedMedia.stillImage(), try GeneratedMedia.speech()]
        let run = try emoscan(["analyze", "--json", "--max-frames", "4", "--out", out] + files)
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        // Files run side by side (--jobs), so lines come in the order they finish.
        var documents: [String: [String: Any]] = [:]
        for line in lines {
            let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(document["schema"] as? String, "emoscan.result/2")
            XCTAssertEqual(document["status"] as? String, "ok")
            let path = try XCTUnwrap((document["file"] as? [String: Any])?["path"] as? String)
            documents[path] = document
        }
        XCTAssertEqual(Set(documents.keys), Set(files))
        // The speech file has a voice answer and no face branch.
        let speech = try XCTUnwrap(documents[files[2]])
        let aggregate = try XCTUnwrap(speech["aggregate"] as? [String: Any])
        XCTAssertNil(aggregate["face"])
        XCTAssertNotNil((aggregate["voice"] as? [String: Any])?["emotion"] as? String)
        XCTAssertEqual((aggregate["fused"] as? [String: Any])?["method"] as? String, "voice_only")
        XCTAssertEqual((speech["voice"] as? [String: Any])?["status"] as? String, "speech")
    }

    func testNoVideoOnAFileWithoutAudioFails() throws {
        let out = freshFolder()
        let run = try emoscan(["analyze", "--no-video", "--out", out, try GeneratedMedia.testPattern()])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("no audio stream"), run.stderr)
    }

    // MARK: Real recordings

    func testSampleOfRAVDESSGetsFaceVoiceAndFusedEmotions() throws {
        guard let clip = RepoPaths.sharedData("ravdess_av/01-01-03-01-01-02-05.mp4") else {
            throw XCTSkip("../shared/data is absent: the RAVDESS end-to-end check needs ravdess_av/")
        }
        let out = freshFolder()
        let run = try emoscan(["analyze", "--out", out, clip.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        for part in ["fused ", "(weighted)", " 21/21", "voice ", "1 seg"] {
            XCTAssertTrue(run.stdout.contains(part), "'\(part)' in: \(run.stdout)")
        }
        let rows = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows[1].contains(",ok,"))
        XCTAssertTrue(
            rows[1].contains(",weighted,en,"),
            "fusion_method, then the language columns: RAVDESS speaks English: \(rows[1])")
    }
}
