import Media
import TestSupport
import CVSupport
import Vision
import XCTest

final class FaceDetectorTests: XCTestCase {
    private func detector() throws -> FaceDetector {
        try FaceDetector(options: FaceDetectorOptions(cascadePath: RepoPaths.faceCascade))
    }

    func testBlankImageHasNoFaces() throws {
        let detector = try detector()
        for (width, height, value) in [(320, 240, 128), (1280, 720, 0), (64, 64, 255)] {
            let blank = GrayImage(width: width, height: height,
                                  pixels: [UInt8](repeating: UInt8(value), count: width * height))
            XCTAssertEqual(try detector.detect(in: blank), [], "\(width)×\(height) of gray \(value)")
        }
    }

    func testRealFaceIsFoundOnce() throws {
        // RAVDESS actor 05, neutral, 1280×720: one person facing the camera.
        let relative = "ravdess_av/01-01-01-01-02-01-05.mp4"
        guard let url = RepoPaths.sharedData(relative) else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path)/\(relative) on this machine")
        }
        let sampler = try FrameSampler(file: try MediaFile(path: url.path), options: SamplingOptions(maxFrames: 1))
        let image = try XCTUnwrap(try sampler.next()).image
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

    func testMissingCascadeThrowsOpenCVError() {
        XCTAssertThrowsError(try FaceDetector(options: FaceDetectorOptions(cascadePath: "/nonexistent/cascade.xml"))) {
            XCTAssertTrue($0 is OpenCVError, "\($0)")
        }
    }

    func testFileThatIsNotACascadeThrowsOpenCVError() throws {
        let path = try XCTUnwrap(Bundle.module.url(forResource: "fer_parity", withExtension: "json",
                                                   subdirectory: "Fixtures")).path
        XCTAssertThrowsError(try FaceDetector(options: FaceDetectorOptions(cascadePath: path))) {
            XCTAssertTrue($0 is OpenCVError, "\($0)")
        }
    }
}
