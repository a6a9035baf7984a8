import Foundation
import XCTest

@testable import Server

final class PipelineChoiceTests: XCTestCase {
    private let variants = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-variants-\(UUID())")

    func testOnlyANameIsAccepted() {
        for name in ["../Pipelines/default", "/etc/x.yml", "a.yml", ""] {
            XCTAssertThrowsError(try PipelineChoice(name: name).resolve(variants: variants), name) { error in
                XCTAssertEqual((error as? Problem)?.status, .badRequest, name)
            }
        }
    }

    func testSettingsOutOfRangeAreRefusedBeforeLoading() {
        let cases = [
            PipelineChoice(name: "default", maxFrames: 0), PipelineChoice(name: "default", face: false, voice: false),
        ]
        for choice in cases {
            XCTAssertThrowsError(try choice.resolve(variants: variants)) { error in
                XCTAssertEqual((error as? Problem)?.status, .badRequest, "\(choice)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: variants.path), "nothing written")
    }
}
