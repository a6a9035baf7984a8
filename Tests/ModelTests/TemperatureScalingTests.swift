import Model
import XCTest

final class TemperatureScalingTests: XCTestCase {
    func testATemperatureAboveOneSoftensWithoutChangingTheTopLabel() {
        let probabilities = [0.9, 0.08, 0.02, 0]
        XCTAssertEqual(TemperatureScaling.apply(probabilities, temperature: 1), probabilities)
        let softer = TemperatureScaling.apply(probabilities, temperature: 2)
        XCTAssertEqual(softer.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertLessThan(softer[0], 0.9)
        XCTAssertEqual(TopLabel.index(of: softer), 0)
        XCTAssertEqual(softer[3], 0, "an impossible class stays impossible")
        // p^(1/2), normalised.
        let roots = probabilities.map { $0.squareRoot() }, total = roots.reduce(0, +)
        for (got, want) in zip(softer, roots.map { $0 / total }) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        XCTAssertGreaterThan(TemperatureScaling.apply(probabilities, temperature: 0.5)[0], 0.9, "below 1 sharpens")
        XCTAssertEqual(TemperatureScaling.apply([0, 0], temperature: 3), [0, 0])
    }
}
