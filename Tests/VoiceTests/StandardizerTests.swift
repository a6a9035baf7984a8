import Voice
import XCTest

final class StandardizerTests: XCTestCase {
    func testStandardizerCentresAndScalesAndLeavesConstantColumnsAlone() {
        let standardizer = Standardizer(fitting: [[1, 5], [3, 5]])
        XCTAssertEqual(standardizer.mean, [2, 5])
        XCTAssertEqual(standardizer.scale, [1, 1])
        XCTAssertEqual(standardizer.apply([4, 6]), [2, 1])
    }
}
