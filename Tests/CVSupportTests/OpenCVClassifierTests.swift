import CVSupport
import XCTest

final class OpenCVClassifierTests: XCTestCase {
    /// Two classes on either side of x = 0, in two dimensions.
    private let samples: [[Float]] = (0..<40).map { index in
        [Float(index % 2 == 0 ? -1 : 1) * (1 + Float(index) / 40), Float(index % 5) / 5]
    }
    private var labels: [Int] { (0..<40).map { $0 % 2 } }

    func testEachAlgorithmLearnsReadsBackTheSameAndScoresSumToOne() throws {
        for algorithm in OpenCVClassifier.Algorithm.allCases {
            let model = try OpenCVClassifier(training: algorithm, samples: samples, labels: labels, classes: 2)
            let restored = try OpenCVClassifier(algorithm: algorithm, serialized: try model.serialized(), classes: 2)
            for (sample, label) in zip(samples, labels) {
                let scores = try restored.scores(for: sample)
                XCTAssertEqual(scores, try model.scores(for: sample), "\(algorithm)")
                XCTAssertEqual(scores.reduce(0, +), 1, accuracy: 1e-4, "\(algorithm)")
                XCTAssertEqual(scores.indices.max { scores[$0] < scores[$1] }, label, "\(algorithm): \(sample)")
            }
        }
    }

    func testWrongInputIsAnErrorNotATrap() throws {
        let model = try OpenCVClassifier(training: .rtrees, samples: samples, labels: labels, classes: 2)
        XCTAssertThrowsError(try model.scores(for: [1, 2, 3])) { XCTAssertTrue($0 is OpenCVError, "\($0)") }
        XCTAssertThrowsError(try OpenCVClassifier(algorithm: .svm, serialized: "not yaml", classes: 2)) {
            XCTAssertTrue($0 is OpenCVError, "\($0)")
        }
    }
}
