import Model
import Pipeline
import XCTest

final class FusionTests: XCTestCase {
    private let faceLabels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
    private let settings = FusionSettings(
        faceWeight: 0.65, voiceWeight: 0.35, minConfidence: 0.3,
        voiceToFace: [
            "calm": "neutral", "neutral": "neutral", "happy": "happy", "fearful": "fear", "disgust": "disgust",
        ])
    private var fusion: Fusion { Fusion(settings: settings, labels: faceLabels) }

    private func face(_ partial: [String: Double]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: faceLabels.map { ($0, partial[$0] ?? 0) })
    }

    func testWeightsAreNormalisedByEachModalitysConfidence() throws {
        let faceProbs = face(["happy": 0.6, "neutral": 0.4])
        let voiceProbs = ["calm": 0.8, "happy": 0.2, "fearful": 0, "disgust": 0]
        let fused = fusion.fuse(faceProbs: faceProbs, faceConfidence: 0.6, voiceProbs: voiceProbs, voiceConfidence: 0.8)
        let faceWeight = 0.65 * 0.6 / (0.65 * 0.6 + 0.35 * 0.8), voiceWeight = 1 - faceWeight
        XCTAssertEqual(fused.method, .weighted)
        XCTAssertEqual(fused.faceWeight, faceWeight, accuracy: 1e-12)
        XCTAssertEqual(fused.voiceWeight, voiceWeight, accuracy: 1e-12)
        // calm maps to neutral: neutral = w_f·0.4 + w_v·0.8 ≈ 0.56 beats happy = w_f·0.6 + w_v·0.2 ≈ 0.44.
        XCTAssertEqual(fused.emotion, "neutral")
        XCTAssertEqual(try XCTUnwrap(fused.confidence), faceWeight * 0.4 + voiceWeight * 0.8, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(fused.probs?["happy"]), faceWeight * 0.6 + voiceWeight * 0.2, accuracy: 1e-12)
        XCTAssertEqual(fused.probs?.values.reduce(0, +) ?? 0, 1, accuracy: 1e-12)
    }

    func testAWeakModalityIsLeftOut() {
        let faceProbs = face(["sad": 0.25, "neutral": 0.2, "fear": 0.2, "angry": 0.2, "happy": 0.15])
        let voiceProbs = ["calm": 0.1, "happy": 0.1, "fearful": 0.7, "disgust": 0.1]
        let fused = fusion.fuse(
            faceProbs: faceProbs, faceConfidence: 0.25, voiceProbs: voiceProbs, voiceConfidence: 0.7)
        XCTAssertEqual(fused.method, .voiceOnly)
        XCTAssertEqual(fused.emotion, "fear", "fearful is fear in the face label space")
        XCTAssertEqual(fused.confidence ?? 0, 0.7, accuracy: 1e-12)
        XCTAssertEqual(fused.voiceWeight, 1)
        XCTAssertNotNil(fused.note)
    }

    func testAnAbsentModalityLeavesTheOther() {
        let fused = fusion.fuse(
            faceProbs: face(["happy": 0.9, "neutral": 0.1]), faceConfidence: 0.9,
            voiceProbs: nil, voiceConfidence: nil)
        XCTAssertEqual(fused.method, .faceOnly)
        XCTAssertEqual(fused.emotion, "happy")
        XCTAssertEqual(fused.faceWeight, 1)
    }

    func testUnmappedVoiceLabelsTakeNoPartAndTheRestIsRenormalised() {
        let fused = fusion.fuse(
            faceProbs: nil, faceConfidence: nil,
            voiceProbs: ["whisper": 0.5, "happy": 0.3, "calm": 0.2], voiceConfidence: 0.5)
        XCTAssertEqual(fused.method, .voiceOnly)
        XCTAssertEqual(fused.probs?["happy"] ?? 0, 0.6, accuracy: 1e-12)
        XCTAssertEqual(fused.probs?["neutral"] ?? 0, 0.4, accuracy: 1e-12)
    }

    func testBothWeakAreStillWeighed() {
        let fused = fusion.fuse(
            faceProbs: face(["sad": 0.28, "neutral": 0.24, "happy": 0.24, "fear": 0.24]), faceConfidence: 0.28,
            voiceProbs: ["calm": 0.25, "happy": 0.25, "fearful": 0.25, "disgust": 0.25],
            voiceConfidence: 0.25)
        XCTAssertEqual(fused.method, .weighted)
        XCTAssertNotNil(fused.note)
    }

    func testNothingToFuse() {
        let fused = fusion.fuse(face: nil, voice: nil)
        XCTAssertEqual(fused.method, .none)
        XCTAssertNil(fused.emotion)
    }

    func testVoiceAggregateWeighsSegmentsByDuration() throws {
        let labels = ["calm", "happy"]
        let segments = [
            VoiceSegmentRow(t0: 0, t1: 3, kind: .speech, levelDb: -30, probs: ["calm": 0.8, "happy": 0.2]),
            VoiceSegmentRow(t0: 3, t1: 4, kind: .nonSpeech, levelDb: -20, probs: nil),
            VoiceSegmentRow(t0: 5, t1: 6, kind: .speech, levelDb: -30, probs: ["calm": 0.0, "happy": 1.0]),
        ]
        let aggregate = VoiceAggregate(segments: segments, labels: labels)
        XCTAssertEqual(aggregate.emotion, "calm")
        XCTAssertEqual(try XCTUnwrap(aggregate.confidence), (3 * 0.8 + 1 * 0.0) / 4, accuracy: 1e-12)
        XCTAssertEqual(aggregate.counts, ["calm": 1, "happy": 1])
        XCTAssertEqual(aggregate.segmentsSpeech, 2)
        XCTAssertEqual(aggregate.speechSeconds, 4, accuracy: 1e-12)
        XCTAssertNil(VoiceAggregate(segments: [segments[1]], labels: labels).emotion)
    }

    func testAVoiceModelsTemperatureCalibratesTheFileAnswerNotItsLabel() throws {
        let labels = ["calm", "happy"]
        let segments = [VoiceSegmentRow(t0: 0, t1: 2, kind: .speech, levelDb: -30, probs: ["calm": 0.9, "happy": 0.1])]
        let calibrated = VoiceAggregate(segments: segments, labels: labels, temperature: 2)
        XCTAssertEqual(calibrated.emotion, "calm")
        XCTAssertEqual(try XCTUnwrap(calibrated.confidence), 0.75, accuracy: 1e-12, "sqrt(.9) / (sqrt(.9) + sqrt(.1))")
        XCTAssertTrue(calibrated.method.contains("temperature 2"), calibrated.method)
    }
}
