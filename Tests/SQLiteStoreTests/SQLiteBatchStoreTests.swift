import Foundation
import GRDB
import Model
import SQLiteStore
import Store
import StoreContract
import XCTest

final class SQLiteBatchStoreTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-sqlite-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var databasePath: String { folder.appendingPathComponent("emoscan.sqlite").path }

    private func store(lockTimeout: TimeInterval = 5) throws -> SQLiteBatchStore {
        try SQLiteBatchStore(path: databasePath, lockTimeout: lockTimeout)
    }

    /// Two connections to one database stand for two processes.
    func testPassesTheStoreContract() async throws {
        let root = folder!
        try await BatchStoreContract.run { clock in
            let path = root.appendingPathComponent("\(UUID().uuidString).sqlite").path
            return (
                try SQLiteBatchStore(path: path, lockTimeout: 30, now: { clock.now }),
                try SQLiteBatchStore(path: path, lockTimeout: 30, now: { clock.now })
            )
        }
    }

    // MARK: Schema and failures

    func testTheResultTableHasEverySummaryColumn() throws {
        _ = try store()
        let columns = try DatabaseQueue(path: databasePath).read { db in try db.columns(in: "result").map(\.name) }
        XCTAssertEqual(Set(ResultEntry.columns).subtracting(columns), [], "a new summary column needs a migration")
    }

    func testAStoreHeldByAnotherWriterIsReportedLocked() async throws {
        let store = try store(lockTimeout: 0.2)
        let holder = try DatabaseQueue(path: databasePath)
        let held = expectation(description: "lock held")
        let release = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                held.fulfill()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }
        await fulfillment(of: [held], timeout: 5)
        let request = JobRequest(
            path: "/data/a.mp4", sha256: "a", sizeBytes: 1, modified: 1, pipeline: "default",
            pipelineHash: "p1")
        do {
            _ = try await store.enqueue([request], force: false)
            XCTFail("the write went through a held lock")
        } catch {
            XCTAssertEqual(error as? StoreError, .locked(path: databasePath, seconds: 0.2))
        }
        _ = try await store.counts()  // readers do not wait for the writer (WAL)
        release.signal()
    }

    func testAStoreThatCannotBeCreatedIsUnavailable() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("a file")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try SQLiteBatchStore(path: file.appendingPathComponent("emoscan.sqlite").path)) { error in
            guard case .unavailable? = error as? StoreError else { return XCTFail("\(error)") }
        }
    }
}
