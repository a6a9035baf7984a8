import Evaluation
import XCTest

/// Corpus labels onto the models' labels: what is mapped, what is excluded, and the notes that say so.
final class LabelMapTests: XCTestCase {
    /// The face model's output order (Models/README.md).
    static let faceLabels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
    /// The voice model's output order (Models/README.md).
    static let voiceLabels = ["calm", "disgust", "fearful", "happy"]

    func testRAVDESSOntoTheFaceModel() {
        let map = LabelMap(corpus: .ravdess, modelLabels: Self.faceLabels)
        XCTAssertEqual(
            map.notes,
            [
                "neutral → neutral", "calm → neutral (model has no calm)", "happy → happy", "sad → sad",
                "angry → angry", "fearful → fear", "disgust → disgust", "surprised → surprise",
            ])
        XCTAssertEqual(map.map("calm"), "neutral")
        XCTAssertEqual(map.map("fearful"), "fear")
    }

    func testLabelsTheModelCannotSayAreExcluded() {
        let ck = LabelMap(corpus: .ckplus, modelLabels: Self.faceLabels)
        XCTAssertNil(ck.map("contempt"))
        XCTAssertEqual(ck.map("anger"), "angry")
        XCTAssertEqual(ck.map("sadness"), "sad")
        XCTAssertTrue(ck.notes.contains("contempt: excluded (model has no contempt)"), "\(ck.notes)")
        XCTAssertTrue(ck.notes.contains("anger → angry"))

        let emodb = LabelMap(corpus: .emodb, modelLabels: Self.faceLabels)
        XCTAssertEqual(emodb.map("happiness"), "happy")
        XCTAssertNil(emodb.map("boredom"))
        XCTAssertTrue(emodb.notes.contains("boredom: excluded (model has no boredom)"), "\(emodb.notes)")
        XCTAssertNil(emodb.map("no such label"))
    }

    func testVoiceModelIsScoredInItsOwnFourLabels() {
        let ravdess = LabelMap(corpus: .ravdess, modelLabels: Self.voiceLabels)
        XCTAssertEqual(
            ravdess.notes,
            [
                "neutral → calm (model has no neutral)", "calm → calm", "happy → happy",
                "sad: excluded (model has no sad)", "angry: excluded (model has no angry)",
                "fearful → fearful", "disgust → disgust",
                "surprised: excluded (model has no surprised)",
            ])
        let tess = LabelMap(corpus: .tess, modelLabels: Self.voiceLabels)
        XCTAssertEqual(tess.map("fear"), "fearful")
        XCTAssertNil(tess.map("pleasant_surprise"))
        XCTAssertEqual(tess.map("neutral"), "calm")
        XCTAssertEqual(LabelMap(corpus: .tess, modelLabels: Self.faceLabels).map("pleasant_surprise"), "surprise")
    }

    func testStrictLeavesCalmAndNeutralApart() {
        let voice = LabelMap(corpus: .ravdess, modelLabels: Self.voiceLabels, strict: true)
        XCTAssertNil(voice.map("neutral"))
        XCTAssertEqual(voice.map("calm"), "calm")
        XCTAssertEqual(
            voice.notes.first, "neutral: excluded (model has no neutral; neutral → calm not applied: strict labels)")
        let face = LabelMap(corpus: .ravdess, modelLabels: Self.faceLabels, strict: true)
        XCTAssertNil(face.map("calm"))
        XCTAssertEqual(face.map("neutral"), "neutral")
    }
}
