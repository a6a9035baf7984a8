import Model
import TestSupport
import Voice
import XCTest

final class WhisperFeaturesTests: XCTestCase {
    /// Scripts/test runs Scripts/setup first, so a missing model fails the test (`WhisperError.unreadable`).
    private func encoder() throws -> WhisperEncoder {
        try WhisperEncoder(weights: WhisperWeights.shared(path: RepoPaths.whisperModel))
    }

    func testEachLayerGivesMeansThenDeviationsNamedInOrder() throws {
        let tone = Signals.harmonicTone(180, seconds: 1)
        let encoder = try encoder()
        var vectors: [[Float]] = []
        for layer in [1, 4, 7] {
            let features = WhisperFeatures(encoder: encoder, layer: layer)
            let vector = try features.features(of: tone)
            XCTAssertEqual(vector.count, 1024)
            XCTAssertEqual(features.featureNames.count, 1024)
            XCTAssertEqual(features.featureNames.first, "whisper_l\(layer)_mean_0")
            XCTAssertEqual(features.featureNames.last, "whisper_l\(layer)_std_511")
            XCTAssertTrue(vector.allSatisfy(\.isFinite))
            XCTAssertTrue(vector[512...].allSatisfy { $0 >= 0 }, "standard deviations are not negative")
            vectors.append(vector)
        }
        XCTAssertNotEqual(vectors[0], vectors[1], "layers differ")
        XCTAssertNotEqual(vectors[1], vectors[2])
    }

    func testTooShortGivesZerosAndTooLongIsAnError() throws {
        let features = WhisperFeatures(encoder: try encoder(), layer: 4)
        XCTAssertEqual(
            try features.features(of: [Float](repeating: 0.1, count: 100)), [Float](repeating: 0, count: 1024))
        XCTAssertThrowsError(try features.features(of: [Float](repeating: 0, count: 16000 * 31))) { error in
            guard case .tooLong? = error as? WhisperError else { return XCTFail("\(error)") }
        }
    }

    /// Padding with silence changes the states (attention sees the silence) but not which frames
    /// are pooled: those of the segment, so the vector keeps its length and a too-short segment
    /// still gives zeros.
    func testPaddedSegmentsPoolTheirOwnFrames() throws {
        let encoder = try encoder()
        let tone = Signals.harmonicTone(180, seconds: 1)
        let unpadded = try WhisperFeatures(encoder: encoder, layer: 3).features(of: tone)
        let padded = try WhisperFeatures(encoder: encoder, layer: 3, paddedSeconds: 5).features(of: tone)
        XCTAssertEqual(padded.count, 1024)
        XCTAssertNotEqual(padded, unpadded)
        XCTAssertEqual(
            try WhisperFeatures(encoder: encoder, layer: 3, paddedSeconds: 0.5).features(of: tone), unpadded,
            "a segment longer than the padding is encoded as it is")
        XCTAssertEqual(
            try WhisperFeatures(encoder: encoder, layer: 3, paddedSeconds: 5).features(
                of: [Float](repeating: 0.1, count: 100)),
            [Float](repeating: 0, count: 1024))

        // The segment's mean over its own 50 frames, not over the 250 of 5 s.
        let encoding = try encoder.encode(
            try WhisperLogMel().spectrogram(of: tone + [Float](repeating: 0, count: 16000 * 4)))
        XCTAssertEqual(encoding.frames, 250)
        XCTAssertEqual(padded, encoding.pooled(layer: 3, leading: 50))
        XCTAssertNotEqual(padded, encoding.pooled(layer: 3))
    }

    func testNoSpeechHasNoLanguage() throws {
        XCTAssertNil(
            try SpokenLanguage(weights: WhisperWeights.shared(path: RepoPaths.whisperModel)).identify(speech: []))
    }

    func testTheFeatureSetsBuildTheirExtractors() throws {
        let encoder = try encoder()
        XCTAssertEqual(
            VoiceFeatureSet.emotion.extractor(sampleRate: 16000, whisper: nil, layer: nil)?.featureNames,
            EmotionFeatures.names)
        XCTAssertNil(VoiceFeatureSet.librosa181.extractor(sampleRate: 22050, whisper: nil, layer: nil))
        XCTAssertNil(VoiceFeatureSet.whisper.extractor(sampleRate: 16000, whisper: nil, layer: 4), "no encoder")
        XCTAssertNil(
            VoiceFeatureSet.whisper.extractor(sampleRate: 22050, whisper: encoder, layer: 4), "Whisper hears 16 kHz")
        let both = try XCTUnwrap(
            VoiceFeatureSet.whisperEmotion.extractor(sampleRate: 16000, whisper: encoder, layer: 4))
        XCTAssertEqual(both.featureNames.count, 1024 + EmotionFeatures.names.count)
        let tone = Signals.harmonicTone(200, seconds: 0.8)
        XCTAssertEqual(
            try both.features(of: tone),
            try WhisperFeatures(encoder: encoder, layer: 4).features(of: tone) + EmotionFeatures().features(of: tone))
    }
}
