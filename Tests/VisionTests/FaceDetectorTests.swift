import CVSupport
import Media
import Model
import TestSupport
import Vision
import XCTest

final class FaceDetectorTests: XCTestCase {
    private func detector() throws -> FaceDetector {
        try FaceDetector(options: FaceDetectorOptions(cascade: RepoPaths.faceCascade))
    }

    func testBlankImageHasNoFaces() throws {
        let detector = try detector()
        for (width, height, value) in [(320, 240, 128), (1280, 720, 0), (64, 64, 255)] {
            let blank = GrayImage(
                width: width, height: height,
                pixels: [UInt8](repeating: UInt8(value), count: width * height))
            XCTAssertEqual(try detector.detect(in: blank), [], "\(width)×\(height) of gray \(value)")
        }
    }

    /// The first `count` sampled frames of a RAVDESS clip of actor 05 (neutral, 1280×720, one
    /// person facing the camera), or a skip where the shared data is absent.
    private func ravdessFrames(_ count: Int) throws -> [GrayImage] {
        let relative = "ravdess_av/01-01-01-01-02-01-05.mp4"
        guard let url = RepoPaths.sharedData(relative) else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path)/\(relative) on this machine")
        }
        let sampler = try FrameSampler(file: try MediaFile(path: url.path), options: SamplingOptions(maxFrames: count))
        var images: [GrayImage] = []
        while let frame = try sampler.next() { images.append(frame.image) }
        return images
    }

    func testRealFaceIsFoundOnce() throws {
        let frames = try ravdessFrames(1)  // a skip must not pass through XCTUnwrap, which would make it a failure
        let image = try XCTUnwrap(frames.first)
        let faces = try detector().detect(in: image)
        XCTAssertEqual(faces.count, 1, "faces: \(faces)")
        let face = try XCTUnwrap(faces.first)
        print("ravdess face: \(face) in \(image.width)×\(image.height)")
        XCTAssertGreaterThanOrEqual(face.size, 100)
        XCTAssertGreaterThanOrEqual(face.x, 0)
        XCTAssertGreaterThanOrEqual(face.y, 0)
        XCTAssertLessThanOrEqual(face.x + face.width, image.width)
        XCTAssertLessThanOrEqual(face.y + face.height, image.height)
    }

    // MARK: Looking again near a face

    func testAFaceIsFoundAgainNearWhereItWas() throws {
        let frames = try ravdessFrames(2)
        let detector = try detector()
        let before = try detector.detect(in: frames[0])
        XCTAssertEqual(before.count, 1)
        let again = try XCTUnwrap(try detector.redetect(before, in: frames[1]), "the face is still there")
        let whole = try detector.detect(in: frames[1])
        XCTAssertEqual(again.count, 1)
        XCTAssertGreaterThan(again[0].overlap(with: whole[0]), 0.8, "found where a whole-frame search finds it")
    }

    func testAFaceThatLeftIsNotFoundAgain() throws {
        let blank = GrayImage(width: 640, height: 360, pixels: [UInt8](repeating: 128, count: 640 * 360))
        let gone = FaceBox(x: 200, y: 100, width: 150, height: 150)
        XCTAssertNil(try detector().redetect([gone], in: blank), "nil tells the caller to search the whole frame")
        XCTAssertEqual(try detector().redetect([], in: blank), [], "no faces before, none to look for")
    }

    func testMissingCascadeThrowsOpenCVError() {
        XCTAssertThrowsError(try FaceDetector(options: FaceDetectorOptions(cascade: "/nonexistent/cascade.xml"))) {
            XCTAssertTrue($0 is OpenCVError, "\($0)")
        }
    }

    func testFileThatIsNotACascadeThrowsOpenCVError() throws {
        let path = try XCTUnwrap(
            Bundle.module.url(
                forResource: "fer_parity", withExtension: "json",
                subdirectory: "Fixtures")
        ).path
        XCTAssertThrowsError(try FaceDetector(options: FaceDetectorOptions(cascade: path))) {
            XCTAssertTrue($0 is OpenCVError, "\($0)")
        }
    }
}
