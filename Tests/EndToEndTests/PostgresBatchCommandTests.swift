import Foundation
import TestSupport
import XCTest

/// The batch commands on a PostgreSQL store, as several machines use it: `run` processes with
/// distinct host ids (`EMOSCAN_HOST_ID`, as separate machines have) on one queue, a worker killed
/// on one host and its job taken over by another after the lease, the server restarted mid-batch.
/// The job table is read with `psql`.
final class PostgresBatchCommandTests: XCTestCase {
    private var store = ""

    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
        do {
            store = try PostgresTestServer.freshDatabase()
        } catch let unavailable as PostgresTestServer.Unavailable {
            throw XCTSkip("PostgreSQL tests skipped: \(unavailable)")
        }
    }

    private func sql(_ statement: String) throws -> String {
        try PostgresTestServer.psql(store, statement)
    }

    func testFourWorkersOnTwoHostsDrainTwoHundredJobsExactlyOnce() throws {
        let images = try GeneratedMedia.distinctImages(200)
        try queue(images, store: store, expect: "added 200, skipped 0")

        let processes = try (0..<4).map { index in
            try launch(
                ["run", "--store", store, "--workers", "1", "--until-empty", "--log-format", "json"],
                environment: ["EMOSCAN_HOST_ID": "host-\(index % 2)"])
        }
        let runs = try processes.map { try $0.wait(timeout: 600) }
        var seen: [String] = []
        for run in runs {
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertFalse(run.stderr.contains("lease lost"), run.stderr)
            seen += analysed(run)
        }
        XCTAssertEqual(seen.count, images.count, "files analysed more than once, or not at all")
        XCTAssertEqual(Set(seen), Set(images))

        XCTAssertEqual(try sql("SELECT count(*) FROM job WHERE state = 'done' AND attempts = 1"), "200")
        XCTAssertEqual(try sql("SELECT count(*) FROM job"), "200")
        XCTAssertEqual(try sql("SELECT count(*) FROM result WHERE document IS NOT NULL"), "200")
        XCTAssertEqual(
            try sql("SELECT count(DISTINCT split_part(worker, ':', 1)) FROM job"), "2", "both hosts took jobs")
        let export = try emoscan(["results", "export", "--store", store, "--format", "csv"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(Set(CSVText.rows(export.stdout).dropFirst().map { $0[0] }), Set(images))
        // The documents come from the database, a page at a time: one line each, the file's own.
        let lines = try emoscan(["results", "export", "--store", store, "--format", "jsonl"])
        XCTAssertEqual(lines.status, 0, lines.stderr)
        let paths = try lines.stdout.split(separator: "\n").map { line in
            let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try XCTUnwrap((document["file"] as? [String: Any])?["path"] as? String)
        }
        XCTAssertEqual(paths.sorted(), images.sorted())
    }

    func testAMachineWhoseWorkersAreKilledHasItsJobsRedoneOnceAfterTheLease() throws {
        // Slow enough (about a second each) that the kill lands with files in hand.
        let clips = try GeneratedMedia.distinctClips(6, seconds: 4, size: "640x480", rate: 25)
        try queue(clips, store: store, expect: "added 6, skipped 0")

        // A machine's two workers, then the machine gone: kill -9 both.
        let victims = try (0..<2).map { _ in
            try launch(
                ["run", "--store", store, "--workers", "1", "--lease", "2", "--log-format", "json", "--verbose"],
                environment: ["EMOSCAN_HOST_ID": "host-a"])
        }
        for victim in victims {
            XCTAssertTrue(
                victim.waitForLogLines(timeout: 120) { $0.contains { $0.message == "claimed" } }, "no job claimed")
        }
        for victim in victims { victim.send(SIGKILL) }
        for victim in victims { XCTAssertTrue(try victim.wait().signalled) }
        let killedJobs = try sql("SELECT path FROM job WHERE state = 'running' ORDER BY path")
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(killedJobs.count, 2, "the dead workers' jobs are still marked running")

        // Another host cannot see the dead pids: the jobs come back when their leases run out.
        let survivor = try emoscan(
            ["run", "--store", store, "--workers", "1", "--until-empty", "--log-format", "json"],
            environment: ["EMOSCAN_HOST_ID": "host-b"])
        XCTAssertEqual(survivor.status, 0, survivor.stderr)
        for job in killedJobs {
            XCTAssertTrue(analysed(survivor).contains(job), "\(job) not redone: \(analysed(survivor))")
            XCTAssertEqual(try sql("SELECT attempts FROM job WHERE path = '\(job)'"), "2", job)
        }
        XCTAssertEqual(try sql("SELECT count(*) FROM job WHERE state = 'done'"), "\(clips.count)")
        XCTAssertEqual(try sql("SELECT count(*) FROM job WHERE attempts > 2"), "0")
        XCTAssertEqual(try sql("SELECT count(*) FROM result WHERE document IS NOT NULL"), "\(clips.count)")
    }

    func testARestartOfTheServerMidBatchLosesNothing() throws {
        let images = try GeneratedMedia.distinctImages(200)
        try queue(images, store: store, expect: "added 200, skipped 0")

        let run = try launch(
            ["run", "--store", store, "--workers", "2", "--until-empty", "--log-format", "json"],
            environment: ["EMOSCAN_HOST_ID": "host-a"])
        XCTAssertTrue(
            run.waitForLogLines(timeout: 120) { $0.filter { $0.message == "analysed" }.count >= 5 }, "nothing analysed")
        try PostgresTestServer.restart()
        let finished = try run.wait(timeout: 600)
        XCTAssertEqual(finished.status, 0, finished.stderr)
        XCTAssertEqual(Set(analysed(finished)), Set(images))
        XCTAssertEqual(analysed(finished).count, images.count, "a file was analysed twice")
        XCTAssertEqual(try sql("SELECT count(*) FROM job WHERE state = 'done'"), "200")
        XCTAssertEqual(try sql("SELECT count(*) FROM result WHERE document IS NOT NULL"), "200")
    }

    func testAStoreThatCannotBeUsedExitsThreeWithOneLine() throws {
        let closed = try emoscan(["status", "--store", "postgres://emoscan:hunter2@127.0.0.1:1/jobs?sslmode=disable"])
        XCTAssertEqual(closed.status, 3, closed.stderr)
        XCTAssertEqual(closed.stderr.filter { $0 == "\n" }.count, 1, closed.stderr)
        XCTAssertEqual(
            closed.stderr,
            "emoscan: postgres://emoscan@127.0.0.1:1/jobs: store unavailable: cannot connect to the server: "
                + "Connection refused\n")
        XCTAssertFalse(closed.stderr.contains("hunter2"), "the password was printed")

        let stranger = store.replacingOccurrences(of: "postgres://postgres@", with: "postgres://stranger@")
        let refused = try emoscan(["status", "--store", stranger])
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertTrue(refused.stderr.contains(#"role "stranger" does not exist"#), refused.stderr)
    }
}
