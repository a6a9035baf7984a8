import Foundation
import Media
import Model
import TestSupport
import XCTest

@testable import Vision

/// `FaceClassifier.aligned`: a face with landmarks is turned level and framed as the training crops are.
final class FaceAlignmentTests: XCTestCase {
    /// A gray frame with two white discs, the "eyes", `distance` apart about `centre`, their line
    /// turned `degrees` clockwise.
    private func frame(centre: (x: Double, y: Double), distance: Double, degrees: Double) -> (GrayImage, FaceLandmarks)
    {
        let (width, height) = (640, 480)
        let (c, s) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
        let eyes = [-1.0, 1.0].map { side in
            FaceLandmarks.Point(x: centre.x + side * c * distance / 2, y: centre.y + side * s * distance / 2)
        }
        var pixels = [UInt8](repeating: 60, count: width * height)
        for y in 0..<height {
            for x in 0..<width where eyes.contains(where: { hypot(Double(x) - $0.x, Double(y) - $0.y) < 6 }) {
                pixels[y * width + x] = 255
            }
        }
        let landmarks = FaceLandmarks(
            leftEye: eyes[0], rightEye: eyes[1], nose: FaceLandmarks.Point(x: centre.x, y: centre.y + distance / 2),
            mouthLeft: FaceLandmarks.Point(x: centre.x - distance / 3, y: centre.y + distance),
            mouthRight: FaceLandmarks.Point(x: centre.x + distance / 3, y: centre.y + distance))
        return (GrayImage(width: width, height: height, pixels: pixels), landmarks)
    }

    /// The brightest pixels' mean column in the left and right halves of the crop's row band around `row`.
    private func eyeCentres(_ tensor: [Float], size: Int) -> [(x: Double, y: Double)] {
        [0..<size / 2, size / 2..<size].map { columns in
            var (sx, sy, n) = (0.0, 0.0, 0.0)
            for y in 0..<size {
                for x in columns where tensor[y * size + x] > 0.5 {
                    (sx, sy, n) = (sx + Double(x), sy + Double(y), n + 1)
                }
            }
            return (sx / max(n, 1), sy / max(n, 1))
        }
    }

    func testATiltedFaceIsTurnedLevelWithItsEyesWhereTheTrainingCropsHaveThem() throws {
        let classifier = try FaceClassifier(
            spec: FaceModelSpec(path: RepoPaths.faceModel, inputSize: 48, align: true, labels: ["a"]))
        for degrees in [-30.0, 0, 20] {
            let (image, landmarks) = frame(centre: (320, 200), distance: 120, degrees: degrees)
            XCTAssertEqual(landmarks.eyeLineDegrees, degrees, accuracy: 1e-9)
            let eyes = eyeCentres(try classifier.aligned(landmarks, in: image), size: 48)
            // Pixel centres: the eyes' midpoint at x = 24 and y = 0.402 × 48 = 19.3, 0.364 × 48 = 17.5 apart.
            XCTAssertEqual(eyes[0].y, eyes[1].y, accuracy: 0.6, "\(degrees)°: level")
            XCTAssertEqual((eyes[0].y + eyes[1].y) / 2 + 0.5, 0.402 * 48, accuracy: 0.8, "\(degrees)°: at eye height")
            XCTAssertEqual((eyes[0].x + eyes[1].x) / 2 + 0.5, 24, accuracy: 0.8, "\(degrees)°: centred")
            XCTAssertEqual(eyes[1].x - eyes[0].x, 0.364 * 48, accuracy: 1, "\(degrees)°: framed")
        }
    }

    func testAFaceWithoutLandmarksIsCutLikeFers() throws {
        let labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
        let spec = FaceModelSpec(path: RepoPaths.faceModel, inputSize: 64, align: true, labels: labels)
        let classifier = try FaceClassifier(spec: FaceModelSpec(path: RepoPaths.faceModel, labels: labels))
        let (image, _) = frame(centre: (320, 200), distance: 120, degrees: 10)
        let box = FaceBox(x: 240, y: 120, width: 160, height: 160)
        XCTAssertEqual(
            try FaceClassifier(spec: spec).classify(face: box, in: image),
            try classifier.classify(face: box, in: image),
            "no landmarks (the cascade's faces): the margin crop, aligned or not")
    }
}
