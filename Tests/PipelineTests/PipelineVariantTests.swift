import Foundation
import Model
import TestSupport
import XCTest

@testable import Pipeline

/// A pipeline changed by a request (`emoscan serve`'s max_frames, face, voice) is written as a
/// file of its own that any worker loads to the same pipeline.
final class PipelineVariantTests: XCTestCase {
    func testAVariantLoadsToTheSamePipelineFromAnyFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-variants-\(UUID())")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let changed: ResolvedPipeline
        do {
            changed = try PipelineLibrary.load(RepoPaths.path("Pipelines/default.yml")) { definition in
                definition.sampling.maxFrames = 5
                definition.modalities.voice = false
            }
        } catch PipelineError.modelMissing(let path) {
            throw XCTSkip("\(path) is missing: run Scripts/models/fetch-models")
        }
        let path = try PipelineLibrary.writeVariant(of: changed, in: folder)
        XCTAssertTrue(path.hasPrefix(folder.path + "/default-"), path)
        XCTAssertEqual(try PipelineLibrary.writeVariant(of: changed, in: folder), path, "the same settings, one file")

        let loaded = try PipelineLibrary.load(path)
        XCTAssertEqual(loaded.hash, changed.hash)
        XCTAssertEqual(loaded.definition.sampling.maxFrames, 5)
        XCTAssertFalse(loaded.definition.modalities.voice)
        XCTAssertEqual(loaded.faceModelSpec.path, changed.faceModelSpec.path, "model paths are absolute")
        let original = try PipelineLibrary.load(RepoPaths.path("Pipelines/default.yml"))
        XCTAssertNotEqual(loaded.hash, original.hash, "a changed pipeline has a hash of its own")
    }
}
