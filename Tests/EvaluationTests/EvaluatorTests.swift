import Evaluation
import Foundation
import Logging
import Pipeline
import TestSupport
import XCTest

/// The evaluator on real data, and the choice of modality.
final class EvaluatorTests: XCTestCase {
    private let logger = Logger(label: "emoscan.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    func testDefaultModalityFollowsTheMedia() {
        func files(_ kinds: [Corpus.MediaKind]) -> [LabelledFile] {
            kinds.map { LabelledFile(path: "x", label: "happy", speaker: nil, media: $0) }
        }
        XCTAssertEqual(Modality.preferred(for: files([.faceCrop])), .face)
        XCTAssertEqual(Modality.preferred(for: files([.audio])), .voice)
        XCTAssertEqual(Modality.preferred(for: files([.video, .video])), .fused)
        XCTAssertNotNil(Modality.face.problem(with: [.audio]))
        XCTAssertNotNil(Modality.voice.problem(with: [.faceCrop]))
        XCTAssertNotNil(Modality.fused.problem(with: [.faceCrop]))
        XCTAssertNil(Modality.voice.problem(with: [.video, .audio]))
        XCTAssertNil(Modality.face.problem(with: [.video, .faceCrop]))
    }

    func testPipelineRunsOnlyTheBranchesTheModalityNeeds() throws {
        let path = RepoPaths.path("Pipelines/default.yml")
        let voice = try Evaluator.pipeline(path, for: .voice).definition.modalities
        XCTAssertEqual([voice.face, voice.voice], [false, true])
        let face = try Evaluator.pipeline(path, for: .face).definition.modalities
        XCTAssertEqual([face.face, face.voice], [true, false])
        let fused = try Evaluator.pipeline(path, for: .fused).definition.modalities
        XCTAssertEqual([fused.face, fused.voice], [true, true])
    }

    /// The face path on FER2013's 175 crops must give the known 104 right (see
    /// `Fer2013AccuracyTests`): the crops go straight into the classifier, as fer reads them.
    func testFaceCropsOfFer2013Score104Of175() async throws {
        guard let folder = RepoPaths.sharedData("fer2013") else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path)/fer2013 on this machine")
        }
        guard FileManager.default.fileExists(atPath: RepoPaths.faceModel) else {
            return XCTFail("\(RepoPaths.faceModel) is missing: run Scripts/setup first")
        }
        let pipeline = try Evaluator.pipeline(RepoPaths.path("Pipelines/default.yml"), for: .face)
        let evaluator = try Evaluator(pipeline: pipeline, modality: .face, workers: 2, logger: logger)
        let listing = Corpus.fer2013.files(in: [folder.path])
        var seen = 0
        let report = await evaluator.evaluate(
            listing, labelMap: LabelMap(corpus: .fer2013, modelLabels: evaluator.labels)
        ) {
            done, total, _ in
            seen = done
            XCTAssertEqual(total, 175)
        }
        XCTAssertEqual(seen, 175)
        XCTAssertEqual(report.n, 175)
        XCTAssertEqual(report.correct, 104, "fer's own pipeline gets 104/175 on these crops")
        XCTAssertEqual(report.noPrediction, 0)
        XCTAssertEqual(report.excluded, [:])
        XCTAssertEqual(report.dataset, "fer2013")
        XCTAssertEqual(report.modality, "face")
        XCTAssertEqual(report.models.map(\.role), ["face_emotion"])
        XCTAssertEqual(report.files?.count, 175)
        XCTAssertEqual(report.files?.map(\.path), listing.files.map(\.path), "rows in path order")
        XCTAssertEqual(report.perClass.values.map(\.support).reduce(0, +), 175)
    }

    /// emoscan's own face model (`Pipelines/ferplus.yml`) on FER+'s validation split, scored by majority vote:
    /// what `Scripts/models/train-face` chose the epoch and temperature on, so OpenCV must give
    /// the count PyTorch gave (`Models/emoscan_face8.training.json`, `valid_correct`), and the
    /// calibrated confidences must keep their measured error.
    func testOwnFaceModelOnFERPlusValidGivesWhatTrainingMeasured() async throws {
        guard let folder = RepoPaths.sharedData("ferplus/valid") else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path)/ferplus/valid on this machine")
        }
        let pipeline = try Evaluator.pipeline(RepoPaths.path("Pipelines/ferplus.yml"), for: .face)
        let evaluator = try Evaluator(pipeline: pipeline, modality: .face, workers: 2, logger: logger)
        let listing = Corpus.ferplus.files(in: [folder.path])
        let report = await evaluator.evaluate(
            listing, labelMap: LabelMap(corpus: .ferplus, modelLabels: evaluator.labels)
        ) { _, _, _ in }
        XCTAssertEqual(report.n, 3336)
        XCTAssertEqual(report.correct, 2829, "train-face measured this with PyTorch")
        XCTAssertEqual(report.noPrediction, 0)
        XCTAssertEqual(report.leftOut, ["tie": 158, "unknown": 23, "not a face": 1])
        XCTAssertLessThan(try XCTUnwrap(report.expectedCalibrationError), 0.05)
    }
}
