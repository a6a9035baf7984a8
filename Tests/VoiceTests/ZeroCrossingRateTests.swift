import XCTest

@testable import Voice

final class ZeroCrossingRateTests: XCTestCase {
    private let zcr = ZeroCrossingRate()

    /// librosa 0.11.0's `zero_crossing_rate` of [1, -1] × 2048, times 2048: the edge frames see
    /// 1024 (then 512) copies of the first and last samples, which never cross, and a frame's
    /// first sample never counts.
    func testAlternatingSignalMatchesLibrosa() {
        let samples = (0..<4096).map { Float($0 % 2 == 0 ? 1 : -1) }
        let expected: [Double] = [1023, 1535, 2047, 2047, 2047, 2047, 2047, 1535, 1023]
        XCTAssertEqual(zcr.rates(of: samples), expected.map { $0 / 2048 })
    }

    /// Padding repeats the edge samples: zero padding would make a negative signal cross at both ends.
    func testConstantNegativeSignalNeverCrosses() {
        XCTAssertEqual(zcr.rates(of: [Float](repeating: -1, count: 5000)), [Double](repeating: 0, count: 10))
    }

    /// `zero_pos`: 0 counts as positive, so 0, -1, 0, … crosses at every sample.
    func testZeroCountsAsPositive() {
        let samples = (0..<4096).map { Float($0 % 2 == 0 ? 0 : -1) }
        XCTAssertEqual(zcr.rates(of: samples)[4], 2047.0 / 2048)
    }

    /// Values within ±1e-10 are taken as 0.
    func testValuesBelowThresholdAreZero() {
        let samples = (0..<4096).map { Float($0 % 2 == 0 ? 1e-11 : -1e-11) }
        XCTAssertEqual(zcr.rates(of: samples), [Double](repeating: 0, count: 9))
    }

    func testFrameCountMatchesTheSTFT() {
        for count in [1, 511, 512, 513, 2048, 10000] {
            XCTAssertEqual(
                zcr.rates(of: [Float](repeating: 1, count: count)).count, 1 + count / 512, "\(count) samples")
        }
    }
}
