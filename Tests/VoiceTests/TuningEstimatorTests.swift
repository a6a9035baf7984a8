import TestSupport
import XCTest

@testable import Voice

final class TuningEstimatorTests: XCTestCase {
    /// Expected values from librosa 0.11.0's `estimate_tuning(S=|stft(y)|, sr=22050)` for 3 s
    /// sines of amplitude 0.5 (float32).
    func testTuningOfSinesMatchesLibrosa() throws {
        let transform = ShortTimeFourierTransform()
        let estimator = TuningEstimator(sampleRate: 22050, fftSize: 2048)
        let cases: [(frequency: Double, tuning: Double)] = [
            (440, 0.01), (440 * pow(2, 0.25 / 12), 0.24), (440 * pow(2, -0.2 / 12), -0.22),
        ]
        for (frequency, tuning) in cases {
            let magnitudes = try transform.magnitudes(of: Signals.sine(frequency, seconds: 3))
            XCTAssertEqual(estimator.tuning(of: magnitudes), tuning, accuracy: 1e-9, "\(frequency) Hz")
        }
    }

    func testSilenceHasNoPeaksAndTuningZero() throws {
        let magnitudes = try ShortTimeFourierTransform().magnitudes(of: [Float](repeating: 0, count: 5000))
        XCTAssertEqual(TuningEstimator(sampleRate: 22050, fftSize: 2048).tuning(of: magnitudes), 0)
    }
}
