import Foundation
import Pipeline
import TestSupport
import XCTest

final class FileAnalyzerTests: XCTestCase {
    private func analyzer() throws -> FileAnalyzer {
        try FileAnalyzer(pipeline: try DefaultPipeline.resolved(), logger: DefaultPipeline.quietLogger)
    }

    /// `absolute` written relative to the current directory (all the way up to `/` and down again).
    private func relative(_ absolute: String) -> String {
        let depth = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.pathComponents.count - 1
        return String(repeating: "../", count: depth) + absolute.dropFirst()
    }

    // MARK: Generated media

    func testFacelessVideoIsOkWithoutEmotion() async throws {
        let path = try GeneratedMedia.testPattern()
        let analyzer = try analyzer()
        let result = await analyzer.analyze(path: path)

        XCTAssertEqual(result.status, .ok)
        XCTAssertNil(result.error)
        XCTAssertEqual(result.schema, FileResult.currentSchema)
        XCTAssertEqual(result.file.path, path)
        XCTAssertEqual(result.file.sha256, try Tools.sha256(ofFile: path))
        XCTAssertEqual(result.file.sizeBytes, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertEqual(try XCTUnwrap(result.file.durationSeconds), 4, accuracy: 0.1)
        XCTAssertEqual(result.file.video?.width, 320)
        XCTAssertNotNil(result.file.container)
        XCTAssertFalse(result.file.streams.isEmpty)

        XCTAssertEqual(result.frames.count, 21)
        XCTAssertEqual(result.frames.map(\.index), Array(0..<21))
        XCTAssertTrue(zip(result.frames, result.frames.dropFirst()).allSatisfy { $0.t < $1.t }, "\(result.frames.map(\.t))")
        XCTAssertTrue(result.frames.allSatisfy { !$0.accepted && $0.reason == .noFace })

        let face = result.aggregate.face
        XCTAssertNil(face.emotion)
        XCTAssertNil(face.confidence)
        XCTAssertEqual(face.framesSampled, 21)
        XCTAssertEqual(face.framesAccepted, 0)
        XCTAssertTrue(result.warnings.contains { $0.contains("no face accepted") }, "\(result.warnings)")

        XCTAssertEqual(result.pipeline.name, "default")
        XCTAssertEqual(result.pipeline.hash, analyzer.pipeline.hash)
        XCTAssertEqual(result.pipeline.settings, analyzer.pipeline.definition)
        XCTAssertEqual(result.models.map(\.role), ["face_detector", "face_emotion"])
        XCTAssertEqual(result.models.last?.sha256, try Tools.sha256(ofFile: RepoPaths.faceModel))
        XCTAssertEqual(result.models.first?.sha256, analyzer.pipeline.cascadeSHA256)
        XCTAssertEqual(result.sampling?.framesTargeted, 21)
        XCTAssertFalse(result.analyzedAt.isEmpty)
    }

    func testRelativePathIsRecordedAbsolute() async throws {
        let path = try GeneratedMedia.testPattern()
        let result = try await analyzer().analyze(path: relative(path))
        XCTAssertEqual(result.status, .ok)
        XCTAssertEqual(result.file.path, path)
    }

    func testBadFilesFailWithTheirCause() async throws {
        let analyzer = try analyzer()
        let cases: [(path: String, cause: String)] = [
            (try GeneratedMedia.empty(), "empty"),
            (try GeneratedMedia.garbage(), "not a readable media file"),
            (try GeneratedMedia.audioOnly(), "no video stream"),
            (try GeneratedMedia.truncated(), "not a readable media file"),
            ("/nonexistent/clip.mp4", "no such file"),
        ]
        for (path, cause) in cases {
            let result = await analyzer.analyze(path: path)
            XCTAssertEqual(result.status, .failed, path)
            let error = try XCTUnwrap(result.error, path)
            XCTAssertTrue(error.contains(cause), "\(path): \(error)")
            XCTAssertTrue(error.contains(path), "the error names the file: \(error)")
            XCTAssertEqual(result.file.path, path)
            XCTAssertTrue(result.frames.isEmpty, path)
            XCTAssertNil(result.aggregate.face.emotion, path)
            XCTAssertEqual(result.pipeline.hash, analyzer.pipeline.hash, path)
            XCTAssertFalse(result.analyzedAt.isEmpty, path)
            if FileManager.default.fileExists(atPath: path) {
                XCTAssertEqual(result.file.sha256, try Tools.sha256(ofFile: path), path)
            } else {
                XCTAssertNil(result.file.sha256)
                XCTAssertNil(result.file.sizeBytes)
            }
        }

        // A bad file named by a relative path still gets its absolute path in the result.
        let empty = try GeneratedMedia.empty()
        let result = await analyzer.analyze(path: relative(empty))
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.file.path, empty)
    }

    // MARK: Real recordings

    /// RAVDESS file names encode the acted emotion in their third field.
    private static let ravdessEmotions = ["01": "neutral", "02": "calm", "03": "happy", "04": "sad",
                                          "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised"]

    func testRavdessClipsGetAFaceEmotion() async throws {
        guard let folder = RepoPaths.sharedData("ravdess_av") else {
            throw XCTSkip("shared evaluation data is absent: no \(RepoPaths.sharedData.path)/ravdess_av on this machine")
        }
        let clips = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".mp4") }.sorted()
        XCTAssertFalse(clips.isEmpty)
        let analyzer = try analyzer()
        var table = ["file                      acted      emotion    confidence  accepted/sampled"]
        for clip in clips {
            let result = await analyzer.analyze(path: folder.appendingPathComponent(clip).path)
            let face = result.aggregate.face
            let acted = Self.ravdessEmotions[clip.split(separator: "-").dropFirst(2).first.map(String.init) ?? ""] ?? "?"
            table.append(clip.padding(toLength: 26, withPad: " ", startingAt: 0)
                         + acted.padding(toLength: 11, withPad: " ", startingAt: 0)
                         + (face.emotion ?? "-").padding(toLength: 11, withPad: " ", startingAt: 0)
                         + String(format: "%-12.3f", face.confidence ?? .nan)
                         + "\(face.framesAccepted)/\(face.framesSampled)")
            XCTAssertEqual(result.status, .ok, "\(clip): \(result.error ?? "")")
            XCTAssertNotNil(face.emotion, "\(clip): \(result.warnings)")
            XCTAssertGreaterThan(face.framesAccepted * 2, face.framesSampled, "\(clip): more than half the frames accepted")
            XCTAssertEqual(face.framesSampled, result.frames.count, clip)
        }
        print(table.joined(separator: "\n"))
    }

    func testVideoWithoutAFaceIsOkWithoutEmotion() async throws {
        guard let url = RepoPaths.sharedData("pyfeat_test_videos/no_face.mp4") else {
            throw XCTSkip("shared evaluation data is absent: no \(RepoPaths.sharedData.path)/pyfeat_test_videos/no_face.mp4")
        }
        let result = try await analyzer().analyze(path: url.path)
        XCTAssertEqual(result.status, .ok, result.error ?? "")
        XCTAssertNil(result.aggregate.face.emotion)
        XCTAssertNil(result.aggregate.face.confidence)
        XCTAssertEqual(result.aggregate.face.framesAccepted, 0)
        XCTAssertGreaterThan(result.aggregate.face.framesSampled, 0)
        XCTAssertTrue(result.warnings.contains { $0.contains("no face accepted") }, "\(result.warnings)")
    }
}
