import Foundation
import Media
import Model
import TestSupport
import Vision
import XCTest

/// Top-1 accuracy of the face model on the 175 FER2013 PrivateTest crops in `../shared/data/fer2013`
/// (48×48 gray JPEGs, 25 per class, the folder names the label), read by `FaceCrop` (libjpeg,
/// as fer reads them). The reference, fer's model through `cv2.imread` + `cv2.resize(INTER_LINEAR)`
/// + onnxruntime, is 104/175 (0.594): emoscan must match it exactly, or its preprocessing differs.
final class Fer2013AccuracyTests: XCTestCase {
    /// The model's output order (Models/README.md).
    static let labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

    func testTop1AccuracyOnFer2013Sample() throws {
        guard let folder = RepoPaths.sharedData("fer2013") else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path)/fer2013 on this machine")
        }
        let modelPath = RepoPaths.faceModel
        guard FileManager.default.fileExists(atPath: modelPath) else {
            return XCTFail("\(modelPath) is missing: run Scripts/setup first")
        }
        let classifier = try FaceClassifier(spec: FaceModelSpec(path: modelPath, labels: Self.labels))

        var total = 0, correct = 0
        var perClass: [String: (correct: Int, total: Int)] = [:]
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: Self.labels.count), count: Self.labels.count)
        for (truth, label) in Self.labels.enumerated() {
            let directory = folder.appendingPathComponent(label)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".jpg") }.sorted()
            XCTAssertFalse(files.isEmpty, "no images in \(directory.path)")
            for name in files {
                let path = directory.appendingPathComponent(name).path
                let image = try FaceCrop.load(path: path)
                XCTAssertEqual([image.width, image.height], [48, 48], path)
                let probabilities = try classifier.classify(crop: image)
                let predicted = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
                confusion[truth][predicted] += 1
                total += 1
                perClass[label, default: (0, 0)].total += 1
                if predicted == truth {
                    correct += 1
                    perClass[label, default: (0, 0)].correct += 1
                }
            }
        }
        let accuracy = Double(correct) / Double(max(1, total))
        print(
            "fer2013: \(correct)/\(total) top-1 correct (accuracy \(String(format: "%.3f", accuracy)); "
                + "reference with OpenCV's JPEG decoder: 104/175 = 0.594)")
        for (truth, label) in Self.labels.enumerated() {
            let counts = perClass[label, default: (0, 0)]
            let row = zip(Self.labels, confusion[truth]).filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
            print(
                "  \(label.padding(toLength: 8, withPad: " ", startingAt: 0)) \(counts.correct)/\(counts.total)"
                    + "  predicted: \(row.joined(separator: ", "))")
        }
        XCTAssertEqual(total, 175, "the shared fer2013 sample holds 175 images")
        XCTAssertGreaterThanOrEqual(accuracy, 0.55)
        XCTAssertEqual(correct, 104, "fer's own pipeline gets 104/175 on these crops")
    }
}
