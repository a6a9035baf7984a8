import Foundation
import Media
import Model
import Pipeline
import TestSupport
import Vision
import XCTest

final class FaceStageTests: XCTestCase {
    /// The default pipeline's face stage (real cascade and model), with `filters` edited if asked.
    private func stage(_ edit: (inout FrameFilters) -> Void = { _ in }) throws -> FaceStage {
        let pipeline = try DefaultPipeline.resolved()
        var filters = pipeline.definition.filters
        edit(&filters)
        return FaceStage(
            filters: filters, detector: try FaceDetectorFactory.detector(for: pipeline.detectorOptions),
            classifier: try FaceClassifier(spec: pipeline.faceModelSpec))
    }

    /// The first sampled frame of the file at `path`.
    private func firstFrame(_ path: String) throws -> SampledFrame {
        let sampler = try FrameSampler(file: try MediaFile(path: path), options: SamplingOptions(maxFrames: 1))
        return try XCTUnwrap(try sampler.next(), "no frame in \(path)")
    }

    /// A 1 s 320×240 clip of one flat colour.
    private func flat(_ colour: String) throws -> String {
        try GeneratedMedia.make(
            "flat-\(colour).mp4",
            [
                "-f", "lavfi", "-i", "color=\(colour):s=320x240:d=1",
                "-c:v", "libx264", "-pix_fmt", "yuv420p",
            ])
    }

    private let ravdessClip = "ravdess_av/01-01-01-01-02-01-05.mp4"

    /// The first frame of a RAVDESS clip (one face, facing the camera), or a skip where the data is absent.
    private func ravdessFrame() throws -> SampledFrame {
        guard let url = RepoPaths.sharedData(ravdessClip) else {
            throw XCTSkip(
                "shared evaluation data is absent: no \(RepoPaths.sharedData.path)/\(ravdessClip) on this machine")
        }
        return try firstFrame(url.path)
    }

    // MARK: Faces of the frame before

    func testFacesOfTheFrameBeforeInTheWrongPlaceLeadToAWholeFrameSearch() throws {
        guard let url = RepoPaths.sharedData(ravdessClip) else {
            throw XCTSkip(
                "shared evaluation data is absent: no \(RepoPaths.sharedData.path)/\(ravdessClip) on this machine")
        }
        let sampler = try FrameSampler(file: try MediaFile(path: url.path), options: SamplingOptions(maxFrames: 2))
        _ = try sampler.next()
        let second = try XCTUnwrap(try sampler.next())
        XCTAssertEqual(second.index, 1, "a frame between whole-frame searches")
        let stage = try stage()
        let elsewhere = FaceBox(x: 0, y: 0, width: 100, height: 100)
        let row = try stage.process(second, previous: [elsewhere])
        XCTAssertEqual(row.faces.count, 1, "the face the frame has, not the one it was told of")
        XCTAssertEqual(row.faces.first?.box, try stage.process(second).faces.first?.box)
    }

    // MARK: Frames without a usable face

    func testBlackFrameIsTooDark() throws {
        let stage = try stage()
        let frame = try firstFrame(try flat("black"))
        let row = try stage.process(frame)
        XCTAssertEqual(row.index, frame.index)
        XCTAssertEqual(row.t, frame.time)
        XCTAssertLessThan(row.brightness, stage.filters.minBrightness)
        XCTAssertFalse(row.accepted)
        XCTAssertEqual(row.reason, .tooDark)
        XCTAssertTrue(row.faces.isEmpty)
    }

    func testWhiteFrameIsTooBright() throws {
        let stage = try stage()
        let row = try stage.process(try firstFrame(try flat("white")))
        XCTAssertGreaterThan(row.brightness, stage.filters.maxBrightness)
        XCTAssertFalse(row.accepted)
        XCTAssertEqual(row.reason, .tooBright)
        XCTAssertTrue(row.faces.isEmpty)
    }

    func testWellLitFrameWithoutAFaceHasNoFace() throws {
        let stage = try stage()
        for path in [try GeneratedMedia.testPattern(), try flat("gray")] {
            let row = try stage.process(try firstFrame(path))
            XCTAssertGreaterThanOrEqual(row.brightness, stage.filters.minBrightness, path)
            XCTAssertLessThanOrEqual(row.brightness, stage.filters.maxBrightness, path)
            XCTAssertFalse(row.accepted, path)
            XCTAssertEqual(row.reason, .noFace, path)
            XCTAssertTrue(row.faces.isEmpty, path)
        }
    }

    func testEveryFrameOfAFileGivesARow() throws {
        let stage = try stage()
        let sampler = try FrameSampler(
            file: try MediaFile(path: try GeneratedMedia.testPattern()),
            options: SamplingOptions(maxFrames: 5))
        var rows: [FrameRow] = []
        while let frame = try sampler.next() { rows.append(try stage.process(frame)) }
        XCTAssertEqual(rows.map(\.index), [0, 1, 2, 3, 4])
        XCTAssertTrue(rows.allSatisfy { !$0.accepted && $0.reason != nil })
    }

    // MARK: A real face

    func testRealFaceIsClassified() throws {
        let frame = try ravdessFrame()
        let stage = try stage()
        let row = try stage.process(frame)
        XCTAssertTrue(row.accepted, "reason: \(String(describing: row.reason)), faces: \(row.faces)")
        XCTAssertNil(row.reason)
        let face = try XCTUnwrap(row.faces.first)
        XCTAssertTrue(face.accepted)
        XCTAssertNil(face.reason)
        XCTAssertEqual(face.size, face.box.size)
        XCTAssertGreaterThanOrEqual(face.size, stage.filters.minFaceSize)
        XCTAssertGreaterThanOrEqual(face.sharpness, stage.filters.minSharpness)
        let probs = try XCTUnwrap(face.probs)
        XCTAssertEqual(Set(probs.keys), Set(stage.classifier.spec.labels))
        XCTAssertEqual(probs.count, 7)
        XCTAssertEqual(probs.values.reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertTrue(probs.values.allSatisfy { (0...1).contains($0) }, "\(probs)")
        print("ravdess face: size \(face.size), sharpness \(face.sharpness), probs \(probs)")
    }

    func testFaceSmallerThanTheMinimumIsRejected() throws {
        let frame = try ravdessFrame()
        let size = try XCTUnwrap(try stage().process(frame).faces.first).size
        let row = try stage { $0.minFaceSize = size + 1 }.process(frame)
        XCTAssertFalse(row.accepted)
        XCTAssertEqual(row.reason, .faceTooSmall)
        let face = try XCTUnwrap(row.faces.first, "the face is still found and listed")
        XCTAssertFalse(face.accepted)
        XCTAssertEqual(face.reason, .faceTooSmall)
        XCTAssertNil(face.probs, "a rejected face is not classified")
    }

    func testBlurredFaceIsRejected() throws {
        let frame = try ravdessFrame()
        let row = try stage { $0.minSharpness = 1e12 }.process(frame)
        XCTAssertFalse(row.accepted)
        XCTAssertEqual(row.reason, .tooBlurred)
        let face = try XCTUnwrap(row.faces.first)
        XCTAssertFalse(face.accepted)
        XCTAssertEqual(face.reason, .tooBlurred)
        XCTAssertNil(face.probs)
    }
}
