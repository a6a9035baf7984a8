import Batch
import Media
import Foundation
import Store
import TestSupport
import XCTest

final class EnqueuerTests: XCTestCase {
    private var root: URL!
    private var index: SQLiteBatchStore!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-enqueuer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        index = try SQLiteBatchStore(path: root.appendingPathComponent("emoscan.sqlite").path)
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
        Enqueuer(index: index, pipeline: "default", pipelineHash: hash, force: force)
    }

    func testSameContentAndPipelineIsQueuedOnce() throws {
        let a = try file("a.mp4", "one"), b = try file("b.mp4", "two"), copy = try file("copy of a.mp4", "one")
        var tally = try enqueuer().add([a, b, copy])
        XCTAssertEqual(tally.added, 2)
        XCTAssertEqual(tally.sameContentElsewhere, 1, "the copy has a's content")

        tally = try enqueuer().add([a, b])
        XCTAssertEqual(tally.added, 0)
        XCTAssertEqual(tally.alreadyInStore, [.queued: 2])

        tally = try enqueuer(hash: "p2").add([a])
        XCTAssertEqual(tally.added, 1, "another pipeline is another job")

        tally = try enqueuer(force: true).add([a])
        XCTAssertEqual(tally.requeued, 1)
        XCTAssertEqual(try index.counts().queued, 3)
    }

    func testChangedContentIsQueuedAgainAndUnreadableFilesAreCounted() throws {
        let a = try file("a.mp4", "one")
        XCTAssertEqual(try enqueuer().add([a]).added, 1)
        // New content under the same path; a different size, so the remembered digest is not reused.
        try Data("one, edited".utf8).write(to: URL(fileURLWithPath: a))
        let tally = try enqueuer().add([a, root.appendingPathComponent("gone.mp4").path])
        XCTAssertEqual(tally.added, 1)
        XCTAssertEqual(tally.unreadable, [root.appendingPathComponent("gone.mp4").path])
    }

    func testAKnownFileIsNotReadAgain() throws {
        let a = try file("a.mp4", "one")
        XCTAssertEqual(try enqueuer().add([a]).added, 1)
        let modified = try XCTUnwrap(FileStamp(path: a)).modified
        XCTAssertEqual(try index.knownDigest(path: a, sizeBytes: 3, modified: modified), SHA256Digest.of("one"))
        XCTAssertNil(try index.knownDigest(path: a, sizeBytes: 3, modified: modified + 1))
    }
}

/// The hex SHA-256 of a string, from the same libavutil code the product uses.
private enum SHA256Digest {
    static func of(_ text: String) -> String {
        Media.SHA256.hex(of: Data(text.utf8))
    }
}
