import XCTest

@testable import Voice

final class MelFilterBankTests: XCTestCase {
    private let bank = MelFilterBank(sampleRate: 22050, fftSize: 2048)

    func testShapeIsBandsByBins() {
        XCTAssertEqual(bank.bandCount, 128)
        XCTAssertEqual(bank.binCount, 1025)
        XCTAssertEqual(bank.weights.count, 128 * 1025)
    }

    /// Weights printed by `librosa.filters.mel(sr=22050, n_fft=2048)` in librosa 0.11.0 (float32).
    func testWeightsMatchLibrosa() {
        let expected: [(band: Int, bin: Int, weight: Double)] = [
            (0, 1, 0.016182852908968925), (0, 2, 0.03236570581793785),
            (10, 26, 0.0330609455704689), (10, 16, 0),
            (64, 186, 0.01635725609958172), (64, 94, 0),
            (127, 1000, 0.003126247087493539), (127, 1020, 0.0005210412200540304),
        ]
        for (band, bin, weight) in expected {
            XCTAssertEqual(
                bank.weights[band * bank.binCount + bin], weight, accuracy: 1e-6 * max(weight, 1e-3),
                "band \(band), bin \(bin)")
        }
    }

    /// The bins each triangle covers, as librosa's non-zero weights lie.
    func testBandsCoverLibrosasBins() {
        XCTAssertEqual(bank.bandBins[0], 1..<5)
        XCTAssertEqual(bank.bandBins[10], 24..<29)
        XCTAssertEqual(bank.bandBins[64], 182..<192)
        XCTAssertEqual(bank.bandBins[127], 971..<1024)
    }

    /// Slaney normalisation gives every triangle unit area in Hz. The sampled weights show it
    /// where triangles span many bins (from band 60 up, about 10 bins at 22050 Hz); narrower
    /// ones are sampled too coarsely.
    func testSlaneyNormalisationGivesUnitArea() {
        let hertzPerBin = 22050.0 / 2048
        for band in 60..<bank.bandCount {
            let area = bank.weights[band * bank.binCount..<(band + 1) * bank.binCount].reduce(0, +) * hertzPerBin
            XCTAssertEqual(area, 1, accuracy: 0.01, "band \(band)")
        }
    }

    func testSlaneyScaleIsLinearBelow1kHzAndLogarithmicAbove() {
        XCTAssertEqual(MelFilterBank.hertzToMel(600), 9, accuracy: 1e-12)
        XCTAssertEqual(MelFilterBank.hertzToMel(1000), 15, accuracy: 1e-12)
        // 27 mels per factor 6.4 above 1 kHz.
        XCTAssertEqual(MelFilterBank.hertzToMel(6400), 42, accuracy: 1e-12)
        for mel in [0.0, 7.5, 15, 30, 45] {
            XCTAssertEqual(MelFilterBank.hertzToMel(MelFilterBank.melToHertz(mel)), mel, accuracy: 1e-9)
        }
    }

    func testMelSpectrogramOfOneBinIsThatBinsColumn() {
        var power = [Double](repeating: 0, count: 2 * bank.binCount)
        power[bank.binCount + 186] = 2
        let mel = bank.apply(to: FrameMatrix(frameCount: 2, columnCount: bank.binCount, values: power))
        XCTAssertEqual(mel.frameCount, 2)
        XCTAssertEqual(mel.columnCount, 128)
        XCTAssertEqual(mel.values[0..<128].max(), 0, "frame 0 is silent")
        XCTAssertEqual(mel.values[128 + 64], 2 * 0.01635725609958172, accuracy: 1e-8)
    }
}
