import TestSupport
import Voice
import XCTest

final class LibrosaFeaturesTests: XCTestCase {
    private let extractor = LibrosaFeatures(sampleRate: 22050)

    func testEmptySignalThrows() {
        XCTAssertThrowsError(try extractor.features(of: [])) { error in
            XCTAssertEqual(error as? AudioFeatureError, .emptySignal)
        }
        XCTAssertThrowsError(try extractor.mfccFrames(of: [])) { error in
            XCTAssertEqual(error as? AudioFeatureError, .emptySignal)
        }
    }

    func testFeatureCountAndFrameCount() throws {
        XCTAssertEqual(LibrosaFeatures.count, 181)
        let samples = Signals.sine(440, seconds: 1)
        XCTAssertEqual(try extractor.features(of: samples).count, 181)
        let frames = try extractor.mfccFrames(of: samples)
        XCTAssertEqual(frames.count, 1 + samples.count / 512)
        XCTAssertTrue(frames.allSatisfy { $0.count == 40 })
    }

    /// Silence: power_to_db floors every mel band at 1e-10 (-100 dB), so MFCC 0 is
    /// -100 · √128 (the orthonormal DCT's constant term) and the rest 0; chroma frames stay 0
    /// rather than dividing by 0; no NaN anywhere.
    func testSilenceGivesFiniteValues() throws {
        let features = try extractor.features(of: [Float](repeating: 0, count: 10000))
        XCTAssertTrue(features.allSatisfy(\.isFinite), "\(features)")
        XCTAssertEqual(features[0], Float(-100 * 128.0.squareRoot()), accuracy: 1e-3)
        XCTAssertEqual(features[1..<40].map(abs).max()!, 0, accuracy: 1e-9)
        XCTAssertEqual(Array(features[40...]), [Float](repeating: 0, count: 141))
    }

    /// The mean of the per-frame MFCC is the first block of the features.
    func testFeaturesAverageTheMFCCFrames() throws {
        let samples = Signals.sine(300, seconds: 2)
        let frames = try extractor.mfccFrames(of: samples)
        let means = (0..<40).map { k in frames.map { Double($0[k]) }.reduce(0, +) / Double(frames.count) }
        let features = try extractor.features(of: samples)
        for k in 0..<40 {
            XCTAssertEqual(Double(features[k]), means[k], accuracy: 1e-4 * max(1, abs(means[k])), "mfcc\(k)")
        }
    }

    /// A 440 Hz sine's mel power lies in the band centred nearest 440 Hz: band 16 at 22050 Hz
    /// (440 Hz is 6.6 mel, band centres are 0.387 mel apart), as librosa 0.11.0 also finds.
    func testMelPowerPeaksAtTheSinesBand() throws {
        let features = try extractor.features(of: Signals.sine(440, seconds: 1))
        let mel = Array(features[52..<180])
        XCTAssertEqual(mel.firstIndex(of: mel.max()!), 16)
    }
}
