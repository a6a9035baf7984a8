import Foundation
import Media
import SwiftCSV
import TestSupport
import XCTest

/// Damaged, unusual and hostile input, one file at a time and as one batch: emoscan never hangs,
/// never balloons, and says what was wrong with each file in its result.
final class HostileInputTests: XCTestCase {
    /// What a category of input must come back as: its status, a phrase its error or one of its
    /// warnings must hold (nil: none required), and a check of the document.
    struct Expectation: Sendable {
        var status: String
        var says: String?
        var check: @Sendable ([String: Any]) -> String? = { _ in nil }
    }

    /// Every worker stays under this, whatever the file (the README's promise). Whisper's weights,
    /// mapped once per process and counted in RSS as they are read, take about 90 MB of it.
    static let memoryCeiling = 300 * 1024 * 1024

    static let expectations: [String: Expectation] = [
        "zero-byte": Expectation(status: "failed", says: "file is empty (0 bytes)"),
        "random bytes": Expectation(status: "failed", says: "not a readable media file"),
        "text named .mp4": Expectation(status: "failed", says: "not a readable media file"),
        "wrong extension": Expectation(
            status: "ok", says: nil, check: { voiceStatus($0) == "speech" ? nil : "voice not heard" }),
        "no frames": Expectation(status: "failed", says: "no video or audio stream"),
        "subtitles only": Expectation(status: "failed", says: "no video or audio stream"),
        "rotated": Expectation(
            status: "ok", says: nil,
            check: { document in
                // Stored 320×240, shown upright as 240×320: the frames analysed are the upright ones.
                let sampling = document["sampling"] as? [String: Any] ?? [:]
                return (sampling["frame_width"] as? Int, sampling["frame_height"] as? Int) == (240, 320)
                    ? nil : "frames not turned upright: \(sampling)"
            }),
        "variable frame rate": Expectation(
            status: "ok", says: nil, check: { frames($0) == 21 ? nil : "\(frames($0)) frames" }),
        "one frame": Expectation(status: "ok", says: nil, check: { frames($0) == 1 ? nil : "\(frames($0)) frames" }),
        "0.1 s": Expectation(status: "ok", says: "audio too short to hold speech"),
        "huge still": Expectation(
            status: "failed", says: "16000×16000 (256.0 megapixels) are over the pipeline's limit"),
        "multi-track": Expectation(
            status: "ok", says: nil, check: { voiceStatus($0) == "speech" ? nil : "voice not heard" }),
        "8 kHz mono": Expectation(
            status: "ok", says: nil, check: { voiceStatus($0) == "speech" ? nil : "voice not heard" }),
        "11025 Hz 6 channels": Expectation(
            status: "ok", says: nil, check: { voiceStatus($0) == "speech" ? nil : "voice not heard" }),
        "truncated, index at front": Expectation(
            status: "ok", says: "truncated: media ends at",
            check: { document in
                let file = document["file"] as? [String: Any] ?? [:]
                guard let content = file["content_seconds"] as? Double,
                    let declared = file["duration_seconds"] as? Double,
                    content < declared * 0.7
                else { return "content_seconds not below the declared duration: \(file)" }
                let times = (document["frames"] as? [[String: Any]] ?? []).compactMap { $0["t"] as? Double }
                return times.allSatisfy { $0 <= content } && times.count > 1
                    ? nil : "frames outside the content: \(times)"
            }),
        "truncated, index at end": Expectation(status: "failed", says: "incomplete file: no index (moov)"),
        "corrupt video packets": Expectation(status: "ok", says: "video packet"),
        "timestamp jump": Expectation(
            status: "ok", says: "timestamp jump of 10 h at",
            check: { document in
                // Frames are spread over the content on both sides of the jump, not packed at its end.
                let times = (document["frames"] as? [[String: Any]] ?? []).compactMap { $0["t"] as? Double }
                let before = times.filter { $0 < 100 }.count
                return before >= 5 && times.count - before >= 5 ? nil : "frames not spread over the content: \(times)"
            }),
        "NaN/Inf samples": Expectation(
            status: "ok", says: "NaN/Inf audio samples replaced by silence",
            check: { voiceStatus($0) == "speech" ? nil : "voice \(voiceStatus($0) ?? "-"), not speech" }),
        "absurd sample rate": Expectation(
            status: "failed", says: "audio of 1526742656 Hz and 1 channels is outside what recordings have"),
        "FIFO": Expectation(status: "failed", says: "a FIFO, not a regular file"),
        "symlink loop": Expectation(status: "failed", says: "symlink loop"),
        "name with a newline": Expectation(status: "ok", says: nil),
        "name with a quote": Expectation(status: "ok", says: nil),
        "name with a comma": Expectation(status: "ok", says: nil),
        "name with a leading dash": Expectation(status: "ok", says: nil),
        "name with =": Expectation(status: "ok", says: nil),
        "name not UTF-8": Expectation(status: "ok", says: nil),
    ]

    private static let corpus = GeneratedMedia.directory.appendingPathComponent("hostile").path

    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    /// Each file alone, in a process of its own: its status, what it says, and its peak memory.
    func testEachHostileFileGetsAResultThatSaysWhatWasWrong() throws {
        let entries = try HostileCorpus.make(in: Self.corpus)
        XCTAssertEqual(Set(entries.map(\.category)), Set(Self.expectations.keys), "every category has its expectation")
        for entry in entries {
            let expected = try XCTUnwrap(Self.expectations[entry.category], entry.category)
            let store = freshFolder()
            let run = try ChildProcess.run(
                EmoscanProcess.executable.path,
                ["analyze", "--json", "--jobs", "1", "--store", store, "--", entry.path],
                environment: ["EMOSCAN_HOME": RepoPaths.root.path], timeout: 120)
            let label = "\(entry.category): \(run.stderr)"
            XCTAssertEqual(run.status, expected.status == "ok" ? 0 : 1, label)
            XCTAssertLessThan(
                run.peakRSSBytes, Self.memoryCeiling, "\(entry.category): peak RSS \(run.peakRSSBytes / 1_048_576) MB")
            let lines = run.stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(entry.category): one document: \(run.stdout)")
            guard let line = lines.first,
                let document = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { continue }
            XCTAssertEqual(document["status"] as? String, expected.status, label)
            XCTAssertEqual(
                (document["file"] as? [String: Any])?["path"] as? String, entry.path,
                "\(entry.category): the result names the file as it is on disk")
            let said = [(document["error"] as? String) ?? ""] + ((document["warnings"] as? [String]) ?? [])
            if let phrase = expected.says {
                XCTAssertTrue(
                    said.contains { $0.contains(phrase) }, "\(entry.category): expected '\(phrase)' in \(said)")
            }
            if let problem = expected.check(document) { XCTFail("\(entry.category): \(problem)") }
            print(
                "hostile: \(entry.category) | \(expected.status) | \(said.filter { !$0.isEmpty }.joined(separator: "; ")) | "
                    + "\(run.peakRSSBytes / 1_048_576) MB")
        }
    }

    /// The whole corpus as one batch: every file ends with exactly one result row, none is lost
    /// or duplicated, one bad file touches no other's result, and the CSV parses.
    func testTheWholeCorpusAsOneBatchGivesOneRowPerFile() throws {
        let entries = try HostileCorpus.make(in: Self.corpus)
        let store = freshFolder()
        let add = try emoscan(["queue", "add", "--store", store, "--settle", "0", Self.corpus])
        XCTAssertEqual(add.status, 1, "the symlink loop is an error: \(add.stderr)")
        XCTAssertTrue(add.stderr.contains("loop.mp4: symlink loop"), add.stderr)
        XCTAssertTrue(add.stdout.contains("not a regular file 1"), "the FIFO is skipped: \(add.stdout)")
        let run = try launch([
            "run", "--store", store, "--workers", "2", "--until-empty", "--retry-delay", "0.1",
            "--max-attempts", "1",
        ]).wait(timeout: 600)
        XCTAssertEqual(run.status, 1, "some files fail: \(run.stderr)")

        let export = try emoscan(["results", "export", "--store", store, "--format", "csv"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let csv = try EnumeratedCSV(string: export.stdout, delimiter: .comma, loadColumns: false)
        let header = csv.header
        let fileColumn = try XCTUnwrap(header.firstIndex(of: "file"))
        let statusColumn = try XCTUnwrap(header.firstIndex(of: "status"))
        let body = csv.rows
        XCTAssertTrue(body.allSatisfy { $0.count == header.count }, "every row has every column")
        let files = body.map { $0[fileColumn] }
        XCTAssertEqual(files.count, Set(files).count, "no file has two rows: \(files)")

        // A FIFO and a symlink loop are not queued (not regular files); every other file has its row.
        let queued = entries.filter { !["FIFO", "symlink loop"].contains($0.category) }
        XCTAssertEqual(
            Set(files), Set(queued.map(\.path)),
            "one row per queued file; missing: "
                + "\(Set(queued.map(\.path)).subtracting(files)), extra: \(Set(files).subtracting(queued.map(\.path)))")
        for row in body {
            let category = queued.first { $0.path == row[fileColumn] }?.category ?? "?"
            XCTAssertEqual(row[statusColumn], Self.expectations[category]?.status, "\(category): \(row)")
        }
    }

    private static func frames(_ document: [String: Any]) -> Int {
        (document["frames"] as? [Any])?.count ?? 0
    }

    private static func voiceStatus(_ document: [String: Any]) -> String? {
        (document["voice"] as? [String: Any])?["status"] as? String
    }
}
