import Foundation
import Logging
import Store
import XCTest

final class StoreStatusTests: XCTestCase {
    func testReadsTheQueueAndResultsOfAStore() async throws {
        let database = MemoryBatchStore()
        _ = try await database.enqueue(
            ["a", "b"].map { name in
                JobRequest(
                    path: "/data/\(name)", sha256: "sha-\(name)", sizeBytes: 10, modified: 1, pipeline: "default",
                    pipelineHash: "hash")
            }, force: false)
        let root = URL(fileURLWithPath: "/tmp/emoscan-status-test")
        let status = try await StoreStatus(
            of: ResultStore(root: root, database: database, logger: Logger(label: "test")))
        XCTAssertEqual(status.counts.queued, 2)
        XCTAssertEqual(status.results, 0)
        XCTAssertEqual(status.root, root.path)
        XCTAssertEqual(
            String(decoding: try status.json(), as: UTF8.self),
            #"{"done":0,"failed":0,"queued":2,"results":0,"running":0,"store":"/tmp/emoscan-status-test","waiting_to_retry":0}"#,
            "no rate yet, so neither per_minute nor eta_seconds")
    }

    func testTheJSONRoundsTheRateToATenthAndTheETAToASecond() throws {
        var counts = QueueCounts()
        counts.queued = 120
        counts.done = 480
        counts.perMinute = 41.46
        let object = try JSONSerialization.jsonObject(
            with: StoreStatus(counts: counts, results: 480, root: "/r").json())
        let fields = try XCTUnwrap(object as? [String: Any])
        XCTAssertEqual(fields["per_minute"] as? Double, 41.5)
        XCTAssertEqual(fields["eta_seconds"] as? Int, 174, "120 files at 41.46 a minute: 173.7 s")
    }
}
