import Model
import Pipeline
import TestSupport
import XCTest

/// The code's defaults are `Pipelines/default.yml`'s: one place for each, and no drift between
/// what a test builds with `SamplingOptions()` and what `emoscan analyze` runs.
final class PipelineDefaultsTests: XCTestCase {
    func testEveryOptionsDefaultEqualsDefaultYml() throws {
        let file = try PipelineDefinition.load(path: RepoPaths.path("Pipelines/default.yml"))
        XCTAssertEqual(SamplingOptions(), file.sampling)
        XCTAssertEqual(FrameFilters(), file.filters)
        XCTAssertEqual(FaceDetectorOptions(), file.detector)
        XCTAssertEqual(VoiceActivityOptions(), file.voice)
        XCTAssertEqual(Modalities(), file.modalities)
    }

    func testTopLabelBreaksTiesTowardsTheLabelListedFirst() {
        XCTAssertEqual(TopLabel.index(of: [0.2, 0.4, 0.4]), 1)
        XCTAssertNil(TopLabel.index(of: []))
        XCTAssertEqual(TopLabel.of(["sad": 0.5, "happy": 0.5], in: ["happy", "sad"]), "happy")
        XCTAssertEqual(TopLabel.of(["sad": 0.5, "happy": 0.5], in: ["sad", "happy"]), "sad")
    }
}
