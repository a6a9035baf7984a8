import Foundation
import Pipeline
import TestSupport
import Voice
import XCTest

@testable import Evaluation
@testable import Training

final class VoiceTrainingSetTests: XCTestCase {
    func testCorpusLabelsMapOntoTheEightClassesAndSpeakersAreQualified() {
        let listing = CorpusListing(
            corpus: .emodb,
            files: [
                LabelledFile(path: "/d/03a01Wa.wav", label: "anger", speaker: "03", media: .audio),
                LabelledFile(path: "/d/03a01Lb.wav", label: "boredom", speaker: "03", media: .audio),
                LabelledFile(path: "/d/08a02Fc.wav", label: "happiness", speaker: "08", media: .audio),
            ], unlabelled: [])
        let (items, map) = VoiceTrainingSet.items(from: listing)
        XCTAssertEqual(items.map(\.label), ["angry", "happy"], "boredom has no counterpart among the eight")
        XCTAssertEqual(items.map(\.speaker), ["emodb:03", "emodb:08"])
        XCTAssertTrue(map.notes.contains("boredom: excluded (model has no boredom)"), "\(map.notes)")
    }

    /// Every speech segment of one RAVDESS actor, cut with short and long padding, gives finite
    /// features: actor 20's angry clips once crashed the jitter cycle finder (a near-flat parabola
    /// threw its vertex outside the signal).
    func testEverySegmentOfARealActorGivesFiniteFeatures() throws {
        guard let folder = RepoPaths.sharedData("ravdess_speech") else {
            throw XCTSkip("../shared/data is absent: no ravdess_speech to cut real segments from")
        }
        let files = Corpus.ravdess.files(in: [folder.path]).files.filter { $0.speaker == "20" }
        XCTAssertEqual(files.count, 60)
        var options = try PipelineLibrary.load(RepoPaths.path("Pipelines/default.yml")).definition.voice
        let extractor = EmotionFeatures(sampleRate: 16000)
        var segments = 0
        for padding in [0.2, 1.0] {
            options.paddingSeconds = padding
            for file in files {
                for audio in try VoiceStage.speech(in: file.path, activity: options, sampleRate: 16000) {
                    let features = try extractor.features(of: audio.samples)
                    XCTAssertTrue(features.allSatisfy(\.isFinite), "\(file.path) at \(padding) s padding")
                    segments += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(segments, 120, "each clip holds speech")
    }
}
