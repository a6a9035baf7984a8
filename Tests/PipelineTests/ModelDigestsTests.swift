import Foundation
import Media
import XCTest

@testable import Pipeline

final class ModelDigestsTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-digests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func testADigestIsKeptForTheNextProcessWhileTheFileIsUnchanged() throws {
        let model = folder.appendingPathComponent("model.bin")
        try Data("weights".utf8).write(to: model)
        let cache = folder.appendingPathComponent("cache")
        let digest = try ModelDigests.sha256(ofFileAt: model.path, cache: cache)
        XCTAssertEqual(digest, SHA256.hex(of: Data("weights".utf8)))

        // What a later process finds in the cache, before hashing anything.
        let stamp = try FileStamp.check(model.path)
        XCTAssertEqual(ModelDigests.kept(for: model.path, stamp: stamp, in: cache), digest)
        XCTAssertNil(ModelDigests.kept(for: folder.appendingPathComponent("other.bin").path, stamp: stamp, in: cache))

        // Rewritten, the file has another stamp: the entry no longer answers and it is hashed again.
        try Data("new weights".utf8).write(to: model)
        let changed = try FileStamp.check(model.path)
        XCTAssertNotEqual(changed, stamp)
        XCTAssertNil(ModelDigests.kept(for: model.path, stamp: changed, in: cache))
        XCTAssertEqual(
            try ModelDigests.sha256(ofFileAt: model.path, cache: cache), SHA256.hex(of: Data("new weights".utf8)))
        XCTAssertEqual(
            ModelDigests.kept(for: model.path, stamp: changed, in: cache), SHA256.hex(of: Data("new weights".utf8)))
    }

    func testAnUnwritableCacheOnlyCostsAHash() throws {
        let model = folder.appendingPathComponent("model.bin")
        try Data("weights".utf8).write(to: model)
        let blocked = folder.appendingPathComponent("a-file-not-a-folder")
        try Data().write(to: blocked)
        XCTAssertEqual(
            try ModelDigests.sha256(ofFileAt: model.path, cache: blocked.appendingPathComponent("cache")),
            SHA256.hex(of: Data("weights".utf8)))
    }
}
