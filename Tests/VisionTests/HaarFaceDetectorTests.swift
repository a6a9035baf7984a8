import CVSupport
import Model
import TestSupport
import Vision
import XCTest

final class HaarFaceDetectorTests: XCTestCase {
    func testPassesTheDetectorContract() throws {
        try FaceDetectorContract.run { try HaarFaceDetector(options: FaceDetectorOptions()) }
    }

    func testMissingCascadeThrowsOpenCVError() {
        XCTAssertThrowsError(try HaarFaceDetector(options: FaceDetectorOptions(path: "/nonexistent/cascade.xml"))) {
            XCTAssertTrue($0 is OpenCVError, "\($0)")
        }
    }

    func testFileThatIsNotACascadeThrowsOpenCVError() throws {
        let path = try XCTUnwrap(
            Bundle.module.url(forResource: "fer_parity", withExtension: "json", subdirectory: "Fixtures")
        ).path
        XCTAssertThrowsError(try HaarFaceDetector(options: FaceDetectorOptions(path: path))) {
            XCTAssertTrue($0 is OpenCVError, "\($0)")
        }
    }

    func testGivesNoLandmarks() throws {
        guard let frames = try FaceDetectorContract.ravdessFrames(1) else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path)/ravdess_av on this machine")
        }
        let faces = try HaarFaceDetector(options: FaceDetectorOptions()).detect(in: frames[0])
        XCTAssertFalse(faces.isEmpty)
        XCTAssertTrue(faces.allSatisfy { $0.landmarks == nil })
    }
}
