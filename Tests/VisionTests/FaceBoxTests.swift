import Model
import Vision
import XCTest

final class FaceBoxTests: XCTestCase {
    func testOverlapIsIntersectionOverUnion() {
        let box = FaceBox(x: 0, y: 0, width: 10, height: 10)
        XCTAssertEqual(box.overlap(with: box), 1)
        XCTAssertEqual(box.overlap(with: FaceBox(x: 5, y: 0, width: 10, height: 10)), 50.0 / 150.0, accuracy: 1e-12)
        XCTAssertEqual(box.overlap(with: FaceBox(x: 10, y: 0, width: 10, height: 10)), 0, "touching is not overlapping")
        XCTAssertEqual(box.overlap(with: FaceBox(x: 30, y: 30, width: 5, height: 5)), 0)
        XCTAssertEqual(
            box.overlap(with: FaceBox(x: 2, y: 2, width: 5, height: 5)), 25.0 / 100.0, accuracy: 1e-12, "inside")
    }
}
