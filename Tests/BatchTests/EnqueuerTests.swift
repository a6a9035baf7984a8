import Batch
import Foundation
import Media
import Store
import TestSupport
import XCTest

final class EnqueuerTests: XCTestCase {
    private var root: URL!
    private var database: MemoryBatchStore!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-enqueuer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        database = MemoryBatchStore()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func enqueuer(hash: String = "p1", force: Bool = false) -> Enqueuer {
        Enqueuer(database: database, pipeline: "default", pipelineHash: hash, force: force)
    }

    func testSameContentAndPipelineIsQueuedOnce() async throws {
        let a = try file("a.mp4", "one"), b = try file("b.mp4", "two"), copy = try file("copy of a.mp4", "one")
        var tally = try await enqueuer().add([a, b, copy])
        XCTAssertEqual(tally.added, 2)
        XCTAssertEqual(tally.sameContentElsewhere, 1, "the copy has a's content")

        tally = try await enqueuer().add([a, b])
        XCTAssertEqual(tally.added, 0)
        XCTAssertEqual(tally.alreadyInStore, [.queued: 2])

        tally = try await enqueuer(hash: "p2").add([a])
        XCTAssertEqual(tally.added, 1, "another pipeline is another job")

        tally = try await enqueuer(force: true).add([a])
        XCTAssertEqual(tally.requeued, 1)
        let value1 = try await database.counts().queued
        XCTAssertEqual(value1, 3)
    }

    func testChangedContentIsQueuedAgainAndUnreadableFilesAreCounted() async throws {
        let a = try file("a.mp4", "one")
        let value2 = try await enqueuer().add([a]).added
        XCTAssertEqual(value2, 1)
        // New content under the same path; a different size, so the remembered digest is not reused.
        try Data("one, edited".utf8).write(to: URL(fileURLWithPath: a))
        let tally = try await enqueuer().add([a, root.appendingPathComponent("gone.mp4").path])
        XCTAssertEqual(tally.added, 1)
        XCTAssertEqual(tally.unreadable, [root.appendingPathComponent("gone.mp4").path])
    }

    func testAKnownFileIsNotReadAgain() async throws {
        let a = try file("a.mp4", "one")
        let value3 = try await enqueuer().add([a]).added
        XCTAssertEqual(value3, 1)
        let modified = try XCTUnwrap(FileStamp(path: a)).modified
        let value4 = try await database.knownDigest(path: a, sizeBytes: 3, modified: modified)
        XCTAssertEqual(value4, SHA256Digest.of("one"))
        let value5 = try await database.knownDigest(path: a, sizeBytes: 3, modified: modified + 1)
        XCTAssertNil(value5)
    }
}

/// The hex SHA-256 of a string, from the same libavutil code the product uses.
private enum SHA256Digest {
    static func of(_ text: String) -> String {
        Media.SHA256.hex(of: Data(text.utf8))
    }
}
