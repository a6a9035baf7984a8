import TestSupport
import XCTest

@testable import Voice

final class ChromaFilterBankTests: XCTestCase {
    /// Weights printed by `librosa.filters.chroma(sr=22050, n_fft=2048)` in librosa 0.11.0 (float32).
    func testWeightsMatchLibrosa() {
        let bank = ChromaFilterBank(sampleRate: 22050, fftSize: 2048, tuning: 0)
        XCTAssertEqual(bank.binCount, 1025)
        let expected: [(pitchClass: Int, bin: Int, weight: Double)] = [
            (9, 41, 0.866205632686615), (9, 82, 0.9803910255432129), (0, 49, 0.9060697555541992),
            (4, 61, 0.9581565856933594), (2, 100, 0.012197905220091343),
        ]
        for (pitchClass, bin, weight) in expected {
            XCTAssertEqual(
                bank.weights[pitchClass * bank.binCount + bin], weight, accuracy: 1e-6,
                "pitch class \(pitchClass), bin \(bin)")
        }
    }

    /// librosa 0.11.0's `filters.chroma(sr=22050, n_fft=2048, tuning=0.24)`: tuning moves the bumps.
    func testTuningShiftsTheBumps() {
        let bank = ChromaFilterBank(sampleRate: 22050, fftSize: 2048, tuning: 0.24)
        XCTAssertEqual(bank.weights[9 * bank.binCount + 41], 0.8443885445594788, accuracy: 1e-6)
        XCTAssertEqual(bank.weights[0 * bank.binCount + 49], 0.9089100360870361, accuracy: 1e-6)
    }

    /// Row 0 is C (`base_c`): the bin nearest 440 Hz (bin 41 at 22050 Hz) weighs most on row 9, A.
    func testBinNearA440WeighsMostOnA() {
        let bank = ChromaFilterBank(sampleRate: 22050, fftSize: 2048, tuning: 0)
        let column = (0..<12).map { bank.weights[$0 * bank.binCount + 41] }
        XCTAssertEqual(column.firstIndex(of: column.max()!), 9)
    }

    func testChromaOfA440SinePeaksAtA() throws {
        let features = try LibrosaFeatures(sampleRate: 22050).features(of: Signals.sine(440, seconds: 3))
        let chroma = Array(features[40..<52])
        XCTAssertEqual(chroma.firstIndex(of: chroma.max()!), 9, "chroma \(chroma)")
        // Every frame's maximum is A, and util.normalize scales each frame's maximum to 1.
        XCTAssertEqual(chroma[9], 1, accuracy: 1e-6)
        XCTAssertLessThan(chroma.filter { $0 < 1 }.max()!, 0.9)
    }
}
