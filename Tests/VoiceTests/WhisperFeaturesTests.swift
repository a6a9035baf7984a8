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
