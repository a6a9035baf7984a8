import Foundation
import Logging
import Model
import Pipeline
import SQLiteStore
import Store
import TestSupport
import XCTest

final class ResultStoreTests: XCTestCase {
    private let summaryHeader =
        "file,status,error,duration_s,frames_sampled,frames_with_face,frames_accepted,face_emotion,face_confidence,result"

    /// A fresh folder, removed when the test ends.
    private func folder() -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "emoscan-store-tests-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    /// The store in `root`, a fresh folder by default.
    private func store(at root: URL? = nil) async throws -> ResultStore {
        try await ResultStore.openSQLite(
            root: root ?? folder(), logger: Logger(label: "emoscan.tests", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// `summary.csv`'s rows after rewriting it from the index.
    private func summary(_ store: ResultStore) async throws -> [Row] {
        try await store.writeSummary()
        return try store.summaryEntries().map(Row.init)
    }

    /// An entry as `summary.csv` spells it, column by column.
    private struct Row {
        let values: [String: String]
        var file: String { values["file"] ?? "" }

        init(_ entry: ResultEntry) {
            values = Dictionary(uniqueKeysWithValues: zip(ResultEntry.columns, entry.fields))
        }
    }

    /// A result for `path` as the analyzer would write it: ok with a happy face, or failed with `error`.
    ///
    /// Built through its Codable form (in Swift's own key names), since `FileResult` has no public initialiser.
    private func result(_ path: String, error: String? = nil) throws -> FileResult {
        let settings = try JSONSerialization.jsonObject(
            with: JSONEncoder().encode(
                try PipelineDefinition.load(path: RepoPaths.path("Pipelines/default.yml"))))
        let labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
        var face: [String: Any] = [
            "counts": Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) }),
            "framesSampled": 0, "framesWithFace": 0, "framesAccepted": 0, "facesAccepted": 0,
            "method": "mean of accepted faces",
        ]
        var object: [String: Any] = [
            "schema": FileResult.currentSchema,
            "status": error == nil ? "ok" : "failed",
            "file": ["path": path, "sizeBytes": 1234, "streams": [] as [Any]],
            "pipeline": ["name": "default", "hash": String(repeating: "5e", count: 32), "settings": settings],
            "models": [] as [Any],
            "frames": [] as [Any],
            "voice": ["status": error == nil ? "speech" : "failed", "segments": [] as [Any]],
            "timings": ["decodeSeconds": 0.25, "visionSeconds": 0.5, "voiceSeconds": 0.375, "totalSeconds": 0.75],
            "warnings": [] as [Any],
            "analyzedAt": "2026-01-02T03:04:05Z",
        ]
        if let error {
            object["error"] = error
        } else {
            object["file"] = [
                "path": path, "sizeBytes": 1234, "sha256": String(repeating: "ab", count: 32),
                "container": "mov,mp4,m4a,3gp,3g2,mj2", "durationSeconds": 3.5, "streams": [] as [Any],
            ]
            face["emotion"] = "happy"
            face["confidence"] = 0.625
            face["probs"] = Dictionary(uniqueKeysWithValues: labels.map { ($0, $0 == "happy" ? 0.625 : 0.0625) })
            face["counts"] = Dictionary(uniqueKeysWithValues: labels.map { ($0, $0 == "happy" ? 18 : 0) })
            face["framesSampled"] = 21
            face["framesWithFace"] = 20
            face["framesAccepted"] = 18
            face["facesAccepted"] = 18
        }
        var voice: [String: Any] = [
            "counts": [String: Int](), "labels": ["calm", "happy", "fearful", "disgust"],
            "segmentsSpeech": 0, "speechSeconds": 0.0, "method": "duration-weighted mean",
        ]
        var fused: [String: Any] = ["method": "none", "faceWeight": 0.0, "voiceWeight": 0.0]
        if error == nil {
            object["voice"] = [
                "status": "speech", "loudDb": -31.5, "quietDb": -80.25, "thresholdDb": -61.5,
                "segments": [
                    [
                        "t0": 0.75, "t1": 2.5, "kind": "speech", "levelDb": -35.5,
                        "probs": ["calm": 0.125, "happy": 0.75, "fearful": 0.0625, "disgust": 0.0625],
                    ],
                    ["t0": 3.0, "t1": 3.25, "kind": "non_speech", "levelDb": -40.0],
                ],
            ]
            voice["emotion"] = "happy"
            voice["confidence"] = 0.75
            voice["probs"] = ["calm": 0.125, "happy": 0.75, "fearful": 0.0625, "disgust": 0.0625]
            voice["segmentsSpeech"] = 1
            voice["speechSeconds"] = 1.75
            fused = [
                "emotion": "happy", "confidence": 0.6875, "method": "weighted", "faceWeight": 0.5,
                "voiceWeight": 0.5,
                "probs": Dictionary(uniqueKeysWithValues: labels.map { ($0, $0 == "happy" ? 0.6875 : 0.05) }),
            ]
        }
        object["aggregate"] = ["face": face, "voice": voice, "fused": fused]
        return try JSONDecoder().decode(FileResult.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// Every file under `folder`, as paths relative to it.
    private func allFiles(under folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? []
    }

    // MARK: Documents

    func testSaveWritesADocumentThatDecodesBack() async throws {
        let store = try await store()
        let original = try result("/data/clips/interview.mp4")
        let url = try await store.saveFile(original)

        XCTAssertEqual(
            url.deletingLastPathComponent().standardizedFileURL,
            try XCTUnwrap(store.root).appendingPathComponent("files").standardizedFileURL)
        XCTAssertEqual(url.pathExtension, "json")
        XCTAssertTrue(url.lastPathComponent.hasPrefix("interview-"), url.lastPathComponent)
        XCTAssertEqual(url, store.documentURL(for: original))

        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"analyzed_at\""), "keys are snake_case")
        XCTAssertTrue(text.contains("\"frames_sampled\""), "keys are snake_case")

        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded = try decoder.decode(FileResult.self, from: data)
        XCTAssertEqual(decoded.status, .ok)
        XCTAssertNil(decoded.error)
        XCTAssertEqual(decoded.file.path, original.file.path)
        XCTAssertEqual(decoded.file.sha256, original.file.sha256)
        XCTAssertEqual(decoded.pipeline.hash, original.pipeline.hash)
        XCTAssertEqual(decoded.pipeline.settings, original.pipeline.settings)
        XCTAssertEqual(decoded.aggregate.face?.emotion, "happy")
        XCTAssertEqual(decoded.aggregate.face, original.aggregate.face)
        XCTAssertEqual(decoded.aggregate.voice, original.aggregate.voice)
        XCTAssertEqual(decoded.aggregate.fused, original.aggregate.fused)
        XCTAssertEqual(decoded.voice.segments, original.voice.segments)
        XCTAssertEqual(decoded.analyzedAt, original.analyzedAt)
    }

    func testFailedResultDecodesBack() async throws {
        let store = try await store()
        let url = try await store.saveFile(
            try result("/data/clips/broken.mp4", error: "/data/clips/broken.mp4: file is empty (0 bytes)"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded = try decoder.decode(FileResult.self, from: Data(contentsOf: url))
        XCTAssertEqual(decoded.status, .failed)
        XCTAssertEqual(decoded.error, "/data/clips/broken.mp4: file is empty (0 bytes)")
        XCTAssertNil(decoded.aggregate.face?.emotion)
    }

    func testSameNameInDifferentFoldersGetsDifferentDocuments() async throws {
        let store = try await store()
        let first = try await store.saveFile(try result("/data/a/clip.mp4"))
        let second = try await store.saveFile(try result("/data/b/clip.mp4"))
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: second.path))
        let files = try await summary(store).map(\.file)
        XCTAssertEqual(files, ["/data/a/clip.mp4", "/data/b/clip.mp4"])
    }

    // MARK: summary.csv

    func testSummaryHasTheAgreedColumnsAndOneRowPerFile() async throws {
        let store = try await store()
        let url = try await store.saveFile(try result("/data/one.mp4"))
        try await store.writeSummary()
        let text = try String(contentsOf: try XCTUnwrap(store.summaryURL), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix(summaryHeader + ","), String(text.prefix(200)))

        var rows = try await summary(store)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0].file, "/data/one.mp4")
        XCTAssertEqual(rows[0].values["status"], "ok")
        XCTAssertEqual(rows[0].values["error"], "")
        XCTAssertEqual(rows[0].values["face_emotion"], "happy")
        XCTAssertEqual(rows[0].values["face_confidence"], "0.6250")
        XCTAssertEqual(rows[0].values["frames_sampled"], "21")
        XCTAssertEqual(rows[0].values["frames_accepted"], "18")
        XCTAssertEqual(rows[0].values["duration_s"], "3.500")
        XCTAssertEqual(rows[0].values["result"], url.path)
        XCTAssertEqual(rows[0].values["voice_emotion"], "happy")
        XCTAssertEqual(rows[0].values["voice_confidence"], "0.7500")
        XCTAssertEqual(rows[0].values["fused_emotion"], "happy")
        XCTAssertEqual(rows[0].values["fused_confidence"], "0.6875")
        XCTAssertEqual(rows[0].values["fusion_method"], "weighted")
        XCTAssertTrue(
            text.hasPrefix(
                summaryHeader + ",pipeline,pipeline_hash,analyzed_at,"
                    + "voice_emotion,voice_confidence,fused_emotion,fused_confidence,fusion_method,"
                    + "language,language_confidence\n"),
            "the voice and fusion columns come after the first version's, then the language's")

        // The same file again replaces its row.
        try await store.saveFile(try result("/data/one.mp4", error: "decoder gave up"))
        rows = try await summary(store)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0].values["status"], "failed")
        XCTAssertEqual(rows[0].values["error"], "decoder gave up")
        XCTAssertEqual(rows[0].values["face_emotion"], "")

        // Another file adds one.
        try await store.saveFile(try result("/data/two.mp4"))
        rows = try await summary(store)
        XCTAssertEqual(rows.map(\.file), ["/data/one.mp4", "/data/two.mp4"])
        XCTAssertEqual(rows.map { $0.values["status"] }, ["failed", "ok"])
    }

    func testASummaryFromBeforeTheIndexIsTakenIntoItAndExtended() async throws {
        let root = folder()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let old =
            summaryHeader + ",pipeline,pipeline_hash,analyzed_at\n"
            + "/data/old.mp4,ok,,3.000,21,21,21,sad,0.5000,/r/old.json,default,abc,2026-01-01T00:00:00Z\n"
        try Data(old.utf8).write(to: root.appendingPathComponent("summary.csv"))
        let store = try await store(at: root)
        let count = try await store.database.resultCount()
        XCTAssertEqual(count, 1, "the old rows are in the index")
        try await store.saveFile(try result("/data/new.mp4"))
        let rows = try await summary(store)
        XCTAssertEqual(rows.map(\.file), ["/data/old.mp4", "/data/new.mp4"])
        XCTAssertEqual(rows[0].values["face_emotion"], "sad", "old rows keep their values")
        XCTAssertEqual(rows[0].values["fused_emotion"], "", "and get empty new columns")
        XCTAssertEqual(rows[1].values["fused_emotion"], "happy")
    }

    func testAwkwardTextRoundTripsThroughTheCSV() async throws {
        let store = try await store()
        let awkward = [
            ("/data/plain.mp4", "no decodable video frame (Invalid data found when processing input)"),
            ("/data/a, b/\"quoted\" clip.mp4", "cannot open: \"moov atom\" not found, giving up"),
            ("/data/multi line.mp4", "first line\nsecond, with a comma\nthird \"quoted\""),
            ("/data/crlf.mp4", "windows\r\nline"),
            ("/data/ünï cødé.mp4", "ünï cødé — ✓"),
        ]
        for (path, error) in awkward { try await store.saveFile(try result(path, error: error)) }
        let rows = try await summary(store)
        XCTAssertEqual(rows.count, awkward.count)
        for ((path, error), row) in zip(awkward, rows) {
            XCTAssertEqual(row.file, path)
            XCTAssertEqual(row.values["error"], error, path)
            XCTAssertEqual(row.values["status"], "failed", path)
        }

        // Saving one of them again still finds its row.
        try await store.saveFile(try result("/data/a, b/\"quoted\" clip.mp4"))
        let again = Dictionary(uniqueKeysWithValues: try await summary(store).map { ($0.file, $0) })
        XCTAssertEqual(again.count, awkward.count)
        XCTAssertEqual(again[awkward[1].0]?.values["status"], "ok")
        XCTAssertEqual(again[awkward[2].0]?.values["error"], awkward[2].1)
    }

    func testNoTemporaryFileRemainsAfterASave() async throws {
        let store = try await store()
        try await store.saveFile(try result("/data/one.mp4"))
        try await store.saveFile(try result("/data/one.mp4", error: "again"))
        let files = allFiles(under: try XCTUnwrap(store.root))
        XCTAssertFalse(files.contains { $0.hasSuffix(".tmp") }, "\(files)")
        XCTAssertEqual(files.filter { $0.hasSuffix(".json") }.count, 1, "\(files)")
    }

    func testConcurrentSavesKeepEveryRow() async throws {
        let store = try await store()
        let count = 40
        let results = try (0..<count).map { try result("/data/batch/clip-\($0).mp4") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for result in results {
                group.addTask { try await store.saveFile(result) }
            }
            try await group.waitForAll()
        }

        let rows = try await summary(store)
        XCTAssertEqual(rows.count, count)
        XCTAssertEqual(Set(rows.map(\.file)), Set(results.map(\.file.path)))
        let files = allFiles(under: try XCTUnwrap(store.root))
        XCTAssertEqual(files.filter { $0.hasPrefix("files/") && $0.hasSuffix(".json") }.count, count)
        XCTAssertFalse(files.contains { $0.hasSuffix(".tmp") }, "\(files.filter { $0.hasSuffix(".tmp") })")
    }
}

extension ResultStore {
    /// `save` into a store with a folder, as every SQLite store has: the document's file.
    @discardableResult
    fileprivate func saveFile(_ result: FileResult) async throws -> URL {
        let url = try await save(result)
        return try XCTUnwrap(url, "a SQLite store writes the document into its folder")
    }
}
