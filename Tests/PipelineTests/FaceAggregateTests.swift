import Foundation
import Model
import Pipeline
import XCTest

final class FaceAggregateTests: XCTestCase {
    /// The default pipeline's labels, in the model's order.
    private let labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

    /// A face for `row(_:_:reason:)`: classified, or rejected (with probabilities only if a test wants them).
    private enum Face {
        case accepted([String: Double])
        case rejected(RejectReason, probs: [String: Double]? = nil)
    }

    /// A frame row as the face stage writes it: accepted when one of its faces is, else with the
    /// first face's reason, or `reason` (default `.noFace`) when it has none.
    ///
    /// Built through the row's Codable form, since `FrameRow` has no public initialiser.
    private func row(_ index: Int, _ faces: [Face], reason: RejectReason? = nil) throws -> FrameRow {
        var faceObjects: [[String: Any]] = []
        var firstReason: RejectReason?
        var anyAccepted = false
        for face in faces {
            var object: [String: Any] = [
                "box": ["x": 10, "y": 20, "width": 120, "height": 120], "size": 120,
                "sharpness": 80.0,
            ]
            switch face {
            case .accepted(let probs):
                object["accepted"] = true
                object["probs"] = probs
                anyAccepted = true
            case .rejected(let why, let probs):
                object["accepted"] = false
                object["reason"] = why.rawValue
                if let probs { object["probs"] = probs }
                firstReason = firstReason ?? why
            }
            faceObjects.append(object)
        }
        var object: [String: Any] = [
            "index": index, "t": Double(index) * 0.25, "brightness": 120.0,
            "accepted": anyAccepted, "faces": faceObjects,
        ]
        if !anyAccepted { object["reason"] = (reason ?? firstReason ?? .noFace).rawValue }
        return try JSONDecoder().decode(FrameRow.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// `partial` with every other label at 0.
    private func probs(_ partial: [String: Double]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: labels.map { ($0, partial[$0] ?? 0) })
    }

    func testMeanOverAcceptedFacesAndFrameCounts() throws {
        let rows = [
            try row(0, [.accepted(probs(["happy": 0.6, "sad": 0.1, "neutral": 0.3]))]),
            try row(1, [.accepted(probs(["happy": 0.2, "sad": 0.1, "neutral": 0.7])), .rejected(.faceTooSmall)]),
            try row(2, [.rejected(.tooBlurred)]),
            try row(3, []),
            try row(4, [], reason: .tooDark),
            try row(5, [.accepted(probs(["happy": 0.7, "sad": 0.2, "neutral": 0.1]))]),
        ]
        let aggregate = FaceAggregate(rows: rows, labels: labels)

        XCTAssertEqual(aggregate.emotion, "happy")
        XCTAssertEqual(try XCTUnwrap(aggregate.confidence), 0.5, accuracy: 1e-12)
        let mean = try XCTUnwrap(aggregate.probs)
        XCTAssertEqual(Set(mean.keys), Set(labels))
        XCTAssertEqual(try XCTUnwrap(mean["happy"]), 1.5 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(mean["neutral"]), 1.1 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(mean["sad"]), 0.4 / 3, accuracy: 1e-12)
        XCTAssertEqual(mean["angry"], 0)
        XCTAssertEqual(mean.values.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(aggregate.confidence, mean[aggregate.emotion ?? ""])

        XCTAssertEqual(
            aggregate.counts, probs(["happy": 2, "neutral": 1]).mapValues { Int($0) },
            "each accepted face counts once, for its own top label; every label is listed")
        XCTAssertEqual(aggregate.framesSampled, 6)
        XCTAssertEqual(aggregate.framesWithFace, 4, "rows 0, 1, 2 and 5 have a face, accepted or not")
        XCTAssertEqual(aggregate.framesAccepted, 3, "rows 0, 1 and 5")
        XCTAssertEqual(aggregate.facesAccepted, 3)
        XCTAssertFalse(aggregate.method.isEmpty)
    }

    func testEmotionIsTheTopMeanEvenWhenMostFacesSayOtherwise() throws {
        // Two faces lean slightly sad, one is very surprised: the mean decides, not the vote.
        let rows = [
            try row(0, [.accepted(probs(["sad": 0.4, "surprise": 0.35, "neutral": 0.25]))]),
            try row(1, [.accepted(probs(["sad": 0.4, "surprise": 0.35, "neutral": 0.25]))]),
            try row(2, [.accepted(probs(["sad": 0.05, "surprise": 0.95]))]),
        ]
        let aggregate = FaceAggregate(rows: rows, labels: labels)
        XCTAssertEqual(aggregate.emotion, "surprise")
        XCTAssertEqual(try XCTUnwrap(aggregate.confidence), 1.65 / 3, accuracy: 1e-12)
        XCTAssertEqual(aggregate.counts["sad"], 2)
        XCTAssertEqual(aggregate.counts["surprise"], 1)
    }

    func testNoAcceptedFaceGivesNoEmotion() throws {
        let rows = [try row(0, [.rejected(.faceTooSmall)]), try row(1, []), try row(2, [], reason: .tooBright)]
        let aggregate = FaceAggregate(rows: rows, labels: labels)
        XCTAssertNil(aggregate.emotion)
        XCTAssertNil(aggregate.confidence)
        XCTAssertNil(aggregate.probs)
        XCTAssertEqual(aggregate.counts, Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) }))
        XCTAssertEqual(aggregate.framesSampled, 3)
        XCTAssertEqual(aggregate.framesWithFace, 1)
        XCTAssertEqual(aggregate.framesAccepted, 0)
        XCTAssertEqual(aggregate.facesAccepted, 0)

        let none = FaceAggregate(rows: [], labels: labels)
        XCTAssertNil(none.emotion)
        XCTAssertNil(none.confidence)
        XCTAssertEqual(none.framesSampled, 0)
    }

    func testRejectedFaceNeverCountsEvenWithProbabilities() throws {
        // A face that was classified and then rejected must not sway the answer.
        let rows = [
            try row(0, [.accepted(probs(["happy": 0.9, "neutral": 0.1]))]),
            try row(1, [.rejected(.tooBlurred, probs: probs(["angry": 1.0]))]),
            try row(2, [.rejected(.faceTooSmall, probs: probs(["angry": 1.0]))]),
        ]
        let aggregate = FaceAggregate(rows: rows, labels: labels)
        XCTAssertEqual(aggregate.emotion, "happy")
        XCTAssertEqual(try XCTUnwrap(aggregate.confidence), 0.9, accuracy: 1e-12)
        XCTAssertEqual(aggregate.facesAccepted, 1)
        XCTAssertEqual(aggregate.counts["angry"], 0)
    }

    func testTiesGoToTheLabelListedFirst() throws {
        // "surprise" is listed before "neutral" (though after it alphabetically). Many tied faces,
        // because a dictionary's order differs from one instance to the next.
        let tied = probs(["surprise": 0.4, "neutral": 0.4, "happy": 0.2])
        let rows = try (0..<16).map { try row($0, [.accepted(tied)]) }
        let aggregate = FaceAggregate(rows: rows, labels: labels)
        XCTAssertEqual(aggregate.emotion, "surprise")
        XCTAssertEqual(try XCTUnwrap(aggregate.confidence), 0.4, accuracy: 1e-12)
        XCTAssertEqual(aggregate.counts["surprise"], 16, "each face's own top label breaks ties the same way")
        XCTAssertEqual(aggregate.counts["neutral"], 0)

        let reversed = ["neutral", "surprise"] + labels.filter { $0 != "neutral" && $0 != "surprise" }
        XCTAssertEqual(FaceAggregate(rows: rows, labels: reversed).emotion, "neutral")
    }
}
