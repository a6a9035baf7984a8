import CVSupport
import Foundation
import Media
import Model
import TestSupport
import Vision
import XCTest

final class CenterFaceDetectorTests: XCTestCase {
    private var options: FaceDetectorOptions {
        FaceDetectorOptions(kind: .centerface, path: RepoPaths.centerFaceModel, sha256: "")
    }

    func testPassesTheDetectorContract() throws {
        try FaceDetectorContract.run { try CenterFaceDetector(options: options) }
    }

    func testMissingModelThrowsOpenCVError() {
        var options = options
        options.path = "/nonexistent/centerface.onnx"
        XCTAssertThrowsError(try CenterFaceDetector(options: options)) { XCTAssertTrue($0 is OpenCVError, "\($0)") }
    }

    private func frame() throws -> GrayImage {
        guard let frames = try FaceDetectorContract.ravdessFrames(1) else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path)/ravdess_av on this machine")
        }
        return frames[0]
    }

    func testLandmarksLieWhereAFacesPartsAre() throws {
        // The frame first: XCTUnwrap would turn its skip into a failure.
        let frame = try frame()
        let face = try XCTUnwrap(try CenterFaceDetector(options: options).detect(in: frame).first)
        let points = try XCTUnwrap(face.landmarks, "CenterFace gives five points")
        XCTAssertLessThan(points.leftEye.x, points.rightEye.x, "the image's left eye first")
        XCTAssertLessThan(points.mouthLeft.x, points.mouthRight.x)
        XCTAssertLessThan(max(points.leftEye.y, points.rightEye.y), points.nose.y, "eyes above the nose")
        XCTAssertLessThan(points.nose.y, min(points.mouthLeft.y, points.mouthRight.y), "the nose above the mouth")
        for point in [points.leftEye, points.rightEye, points.nose, points.mouthLeft, points.mouthRight] {
            XCTAssertTrue(
                (Double(face.x)...Double(face.x + face.width)).contains(point.x)
                    && (Double(face.y)...Double(face.y + face.height)).contains(point.y), "\(point) in \(face)")
        }
        XCTAssertLessThan(abs(points.eyeLineDegrees), 10, "the actor faces the camera upright")
    }

    /// Tilted heads are where the cascade, trained on upright frontal faces, gives up.
    func testTiltedFacesAreFoundWhereTheCascadeMissesThem() throws {
        let upright = try frame()
        let centerFace = try CenterFaceDetector(options: options)
        let haar = try HaarFaceDetector(options: FaceDetectorOptions())
        var found = (centerFace: 0, haar: 0)
        for degrees in [-45.0, -30, -15, 15, 30, 45] {
            let tilted = upright.rotated(degrees: degrees)
            let faces = try centerFace.detect(in: tilted)
            XCTAssertEqual(faces.count, 1, "\(degrees)°: \(faces)")
            if let eyeLine = faces.first?.landmarks?.eyeLineDegrees {
                // Landmarks of tilted faces are rougher (off by 10-12° at 15° and 45° here), but they turn with it.
                XCTAssertEqual(eyeLine, degrees, accuracy: 15, "the eye line turns with the face")
            }
            found.centerFace += faces.count
            found.haar += try haar.detect(in: tilted).count
        }
        print("tilted ±15-45°: CenterFace found \(found.centerFace) of 6 faces, the cascade \(found.haar)")
        XCTAssertGreaterThan(found.centerFace, found.haar)
    }
}

extension GrayImage {
    /// The image turned `degrees` clockwise about its centre (nearest pixel; black outside).
    fileprivate func rotated(degrees: Double) -> GrayImage {
        let (c, s) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
        let (cx, cy) = (Double(width) / 2, Double(height) / 2)
        var out = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let (dx, dy) = (Double(x) - cx, Double(y) - cy)
                let sx = Int((c * dx + s * dy + cx).rounded()), sy = Int((-s * dx + c * dy + cy).rounded())
                if sx >= 0, sx < width, sy >= 0, sy < height { out[y * width + x] = pixels[sy * width + sx] }
            }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }
}
