import Foundation
import Media
import TestSupport
import Voice
import XCTest

final class EmotionFeaturesTests: XCTestCase {
    private let extractor = EmotionFeatures()
    private static let sampleRate = 16000

    // MARK: Shape

    func testNamesAreUniqueAndStable() {
        let names = EmotionFeatures.names
        XCTAssertEqual(names.count, 118)
        XCTAssertEqual(Set(names).count, names.count, "names repeat")
        XCTAssertEqual(names.first, "f0_semitones_mean")
        XCTAssertEqual(names.last, "mfcc12_delta_std")
    }

    func testSpeechGivesAFullFiniteVector() throws {
        let file = try MediaFile(path: try GeneratedMedia.speech())
        let reader = try AudioReader(file: file, sampleRate: Self.sampleRate)
        var samples: [Float] = []
        while let chunk = try reader.next() { samples += chunk.samples }
        let features = try checkedFeatures(of: samples)
        // espeak-ng's default voice is a man's, about 100 Hz, voiced for part of its 3.5 s between
        // 2 s of silence before and 1 s after.
        XCTAssertEqual(hertz(try value("f0_semitones_mean", in: features)), 110, accuracy: 40)
        XCTAssertEqual(try value("voiced_ratio", in: features), 0.35, accuracy: 0.25)
        XCTAssertGreaterThan(try value("loudness_peaks_per_second", in: features), 1)
    }

    /// Digital silence: no voice and no active frame, so every pitch, voice-quality and spectral
    /// statistic reads 0 and the level its floor.
    func testSilenceGivesZerosWhereThereIsNothingToMeasure() throws {
        let features = try checkedFeatures(of: [Float](repeating: 0, count: 3 * Self.sampleRate))
        for name in [
            "voiced_ratio", "f0_semitones_mean", "jitter_local", "shimmer_local_db", "hnr_db_mean",
            "loudness_mean", "loudness_peaks_per_second", "alpha_ratio_unvoiced_mean",
            "band_energy_0_500_db_mean",
        ] {
            XCTAssertEqual(try value(name, in: features), 0, name)
        }
        XCTAssertEqual(try value("rms_db_mean", in: features), -120)
    }

    func testNoiseIsUnvoiced() throws {
        let features = try checkedFeatures(of: Signals.whiteNoise(count: 3 * Self.sampleRate))
        XCTAssertLessThan(try value("voiced_ratio", in: features), 0.05)
        XCTAssertLessThan(try value("hnr_db_mean", in: features), 5)
        XCTAssertGreaterThan(try value("loudness_mean", in: features), 0)
    }

    func testAnyLengthAndRateGiveAFullVector() throws {
        for count in [0, 1, 100, 1000] {
            _ = try checkedFeatures(of: Signals.harmonicTone(150, seconds: Double(count) / Double(Self.sampleRate)))
        }
        for rate in [8000, 22050, 48000] {
            let tone = Signals.harmonicTone(150, seconds: 1, sampleRate: rate)
            let features = try EmotionFeatures(sampleRate: rate).features(of: tone)
            XCTAssertEqual(features.count, EmotionFeatures.names.count, "\(rate) Hz")
            XCTAssertTrue(features.allSatisfy(\.isFinite), "\(rate) Hz")
            XCTAssertEqual(hertz(Double(features[0])), 150, accuracy: 1, "\(rate) Hz")
        }
    }

    // MARK: Pitch

    /// Flat-topped waves (clipped speech, square waves) make the peak and lag parabolas nearly flat,
    /// where an unclamped vertex once threw the cycle finder outside the signal and crashed it.
    func testFlatToppedVoicesGiveFiniteFeatures() throws {
        for fundamental in [90.0, 140.0, 210.0, 333.0] {
            let tone = Signals.harmonicTone(fundamental, seconds: 0.7)
            let peak = tone.map(abs).max() ?? 1
            for ceiling: Float in [0.05, 0.2, 0.5] {
                let clipped = tone.map { min(ceiling * peak, max(-ceiling * peak, $0)) }
                _ = try checkedFeatures(of: clipped)
            }
            let square = (0..<Self.sampleRate / 2).map { index -> Float in
                sin(2 * .pi * fundamental * Double(index) / Double(Self.sampleRate)) >= 0 ? 0.5 : -0.5
            }
            _ = try checkedFeatures(of: square)
        }
    }

    func testPitchOfHarmonicTones() throws {
        for fundamental in [200.0, 120.0] {
            let features = try checkedFeatures(of: Signals.harmonicTone(fundamental, seconds: 2))
            XCTAssertEqual(hertz(try value("f0_semitones_mean", in: features)), fundamental, accuracy: 1)
            XCTAssertEqual(hertz(try value("f0_semitones_p50", in: features)), fundamental, accuracy: 1)
            XCTAssertEqual(try value("f0_semitones_std", in: features), 0, accuracy: 0.05, "\(fundamental) Hz")
            XCTAssertGreaterThan(try value("voiced_ratio", in: features), 0.95, "\(fundamental) Hz")
            XCTAssertEqual(
                try value("voiced_segments_per_second", in: features), 0.5, accuracy: 0.01,
                "one stretch in 2 s")
        }
    }

    /// A glide from 150 to 300 Hz rises one octave, 12 semitones, in 2 s.
    func testPitchSlopeFollowsAGlide() throws {
        let sampleRate = Double(Self.sampleRate)
        var phase = 0.0
        let samples = (0..<2 * Self.sampleRate).map { n -> Float in
            phase += 2 * Double.pi * 150 * pow(2, Double(n) / sampleRate / 2) / sampleRate
            return Float(0.5 * sin(phase) + 0.2 * sin(2 * phase))
        }
        let features = try checkedFeatures(of: samples)
        XCTAssertEqual(try value("f0_semitones_slope", in: features), 6, accuracy: 0.3, "semitones per second")
        XCTAssertEqual(try value("f0_rising_slope_mean", in: features), 6, accuracy: 1.5)
        XCTAssertEqual(try value("f0_semitones_range20_80", in: features), 7.2, accuracy: 0.5, "60 % of 12 semitones")
    }

    // MARK: Voice quality

    func testJitterOfAlternatingPeriods() throws {
        let steady = try checkedFeatures(of: pulseTrain(period: { _ in 100 }))
        let alternating = try checkedFeatures(of: pulseTrain(period: { $0 % 2 == 0 ? 103 : 97 }))
        XCTAssertGreaterThan(
            try value("voiced_ratio", in: alternating), 0.9,
            "tracked at 160 Hz, not at the 80 Hz of its exact repeat")
        XCTAssertLessThan(try value("jitter_local", in: steady), 0.001)
        XCTAssertLessThan(try value("jitter_rap", in: steady), 0.001)
        // Periods 103, 97, 103, …: each differs from the last by 6 samples and from the mean of
        // it and its neighbours by 4, against a mean of 100.
        XCTAssertEqual(try value("jitter_local", in: alternating), 0.06, accuracy: 0.003)
        XCTAssertEqual(try value("jitter_rap", in: alternating), 0.04, accuracy: 0.003)
        XCTAssertLessThan(try value("shimmer_local_db", in: alternating), 0.05, "timing alone is no shimmer")
    }

    func testShimmerOfAlternatingAmplitudes() throws {
        let steady = try checkedFeatures(of: pulseTrain(period: { _ in 100 }))
        let alternating = try checkedFeatures(
            of: pulseTrain(
                period: { _ in 100 },
                amplitude: { $0 % 2 == 0 ? 1.2 : 0.8 }))
        XCTAssertLessThan(try value("shimmer_local_db", in: steady), 0.01)
        XCTAssertLessThan(try value("shimmer_local", in: steady), 0.001)
        // 20 log10(1.2 / 0.8) = 3.52 dB between each pair; |1.2 − 0.8| / 1 = 0.4.
        XCTAssertEqual(try value("shimmer_local_db", in: alternating), 3.52, accuracy: 0.1)
        XCTAssertEqual(try value("shimmer_local", in: alternating), 0.4, accuracy: 0.01)
        XCTAssertLessThan(try value("jitter_local", in: alternating), 0.002, "amplitude alone is no jitter")
    }

    /// HNR = 10 log10(r / (1 − r)) is the signal-to-noise ratio of a periodic signal in white noise.
    func testHarmonicsToNoiseRatio() throws {
        let tone = Signals.harmonicTone(200, seconds: 2)
        XCTAssertGreaterThan(try value("hnr_db_mean", in: try checkedFeatures(of: tone)), 15)

        let tonePower = tone.reduce(0) { $0 + Double($1) * Double($1) } / Double(tone.count)
        // Uniform noise in ±a has power a² / 3: here 10 dB below the tone's.
        let noise = Signals.whiteNoise(count: tone.count, amplitude: (3 * tonePower / 10).squareRoot())
        let noisy = try checkedFeatures(of: zip(tone, noise).map { $0 + $1 })
        XCTAssertGreaterThan(try value("voiced_ratio", in: noisy), 0.9)
        XCTAssertEqual(try value("hnr_db_mean", in: noisy), 10, accuracy: 1.5)
    }

    // MARK: Loudness and spectrum

    /// A 500 Hz tone swelling 4 times a second has 4 loudness peaks a second, and no trend.
    func testLoudnessPeaksFollowSwells() throws {
        let samples = (0..<3 * Self.sampleRate).map { n -> Float in
            let t = Double(n) / Double(Self.sampleRate)
            return Float(0.4 * (0.55 - 0.45 * cos(2 * Double.pi * 4 * t)) * sin(2 * Double.pi * 500 * t))
        }
        let features = try checkedFeatures(of: samples)
        XCTAssertEqual(try value("loudness_peaks_per_second", in: features), 4, accuracy: 0.4)
        XCTAssertEqual(try value("rms_db_slope", in: features), 0, accuracy: 0.5, "dB per second")
        let steady = try checkedFeatures(of: Signals.harmonicTone(200, seconds: 2))
        XCTAssertEqual(try value("loudness_peaks_per_second", in: steady), 0, "a steady tone's onset is no peak")
    }

    /// Noise through a first-order low-pass (x[n] + x[n−1]) against a high-pass (x[n] − x[n−1]).
    func testSpectralBalanceOfLowAndHighPassNoise() throws {
        let noise = Signals.whiteNoise(count: 2 * Self.sampleRate)
        let low = try checkedFeatures(of: zip(noise, [0] + noise).map { $0 + $1 })
        let high = try checkedFeatures(of: zip(noise, [0] + noise).map { $0 - $1 })
        func difference(_ name: String) throws -> Double { try value(name, in: low) - value(name, in: high) }
        XCTAssertGreaterThan(try difference("alpha_ratio_unvoiced_mean"), 10)
        XCTAssertGreaterThan(try difference("hammarberg_index_unvoiced_mean"), 5)
        XCTAssertGreaterThan(try difference("band_energy_0_500_db_mean"), 20)
        XCTAssertLessThan(try difference("band_energy_4000_8000_db_mean"), -5)
        XCTAssertLessThan(try value("spectral_centroid_unvoiced_mean", in: low), 3000)
        XCTAssertGreaterThan(try value("spectral_centroid_unvoiced_mean", in: high), 5000)
        XCTAssertGreaterThan(
            try value("spectral_slope_500_1500_unvoiced_mean", in: high), 0,
            "rising towards high frequencies")
    }

    /// The MFCC block is librosa 0.11.0's for the same configuration:
    /// `librosa.feature.mfcc(y=y, sr=16000, n_mfcc=13, n_fft=512, hop_length=160, win_length=400,
    /// n_mels=40)` and `librosa.feature.delta` of it, with `y` the float32 signal below; the numbers
    /// are NumPy's `mean(1)` and `std(1)` of them.
    func testMFCCStatisticsMatchLibrosa() throws {
        let samples = (0..<Self.sampleRate).map { n -> Float in
            let t = Double(n) / Double(Self.sampleRate)
            return Float((0.5 + 0.4 * sin(2 * Double.pi * 3 * t)) * Signals.harmonics(of: 200, at: t))
        }
        let expected: [String: [Double]] = [
            "mean": [
                -293.34915, 152.94795, 62.62941, -14.22358, -37.87029, -15.85235, 11.82073, 15.03030,
                -3.04733, -18.51536, -16.11918, -2.78215, 4.53359,
            ],
            "std": [
                27.61248, 20.91781, 8.79637, 4.73151, 6.43076, 1.52415, 3.38755, 2.23912, 1.54964, 2.94996,
                1.51003, 1.44256, 1.13005,
            ],
            "delta_mean": [
                0.03267, 0.03229, 0.01887, -0.00326, -0.01827, -0.01599, -0.00249, 0.00744, 0.00637,
                -0.00008, -0.00224, 0.00196, 0.00639,
            ],
            "delta_std": [
                5.40683, 3.65136, 1.57568, 0.83240, 1.13839, 0.26443, 0.59325, 0.39768, 0.26511,
                0.51258, 0.25389, 0.26104, 0.20948,
            ],
        ]
        let features = try checkedFeatures(of: samples)
        for (statistic, values) in expected {
            for (k, want) in values.enumerated() {
                let name = "mfcc\(k)_\(statistic)"
                XCTAssertEqual(try value(name, in: features), want, accuracy: max(1e-3 * abs(want), 2e-4), name)
            }
        }
    }

    // MARK: Helpers

    /// The features of `samples`, checked for length and finiteness.
    private func checkedFeatures(
        of samples: [Float], file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> [Float] {
        let features = try extractor.features(of: samples)
        XCTAssertEqual(features.count, EmotionFeatures.names.count, file: file, line: line)
        let broken = zip(EmotionFeatures.names, features).filter { !$0.1.isFinite }.map(\.0)
        XCTAssertEqual(broken, [], "not finite for \(samples.count) samples", file: file, line: line)
        return features
    }

    private func value(_ name: String, in features: [Float]) throws -> Double {
        let index = try XCTUnwrap(EmotionFeatures.names.firstIndex(of: name), "no feature \(name)")
        return Double(features[index])
    }

    /// Semitones above 27.5 Hz, back in Hz.
    private func hertz(_ semitones: Double) -> Double { 27.5 * pow(2, semitones / 12) }

    /// 3 s of a voice-like pulse train at 16 kHz: each pulse a 250 Hz resonance decaying with a
    /// 1 ms time constant (so neighbours barely overlap), pulse i `amplitude(i)` high and
    /// `period(i)` samples before the next.
    private func pulseTrain(period: (Int) -> Int, amplitude: (Int) -> Double = { _ in 1 }) -> [Float] {
        var samples = [Float](repeating: 0, count: 3 * Self.sampleRate)
        var start = 0, pulse = 0
        while start < samples.count {
            for offset in 0..<min(200, samples.count - start) {
                let t = Double(offset) / Double(Self.sampleRate)
                samples[start + offset] += Float(0.5 * amplitude(pulse) * exp(-1000 * t) * sin(2 * Double.pi * 250 * t))
            }
            start += period(pulse)
            pulse += 1
        }
        return samples
    }
}
