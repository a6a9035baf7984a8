import Foundation
import Logging
import Model
import PostgresStore
import Store
import StoreContract
import TestSupport
import XCTest

/// The PostgreSQL driver against a real server (`PostgresTestServer`: the one `Scripts/test`
/// starts, or one started here), each test in a database of its own.
final class PostgresBatchStoreTests: XCTestCase {
    private static let logger = Logger(label: "test")
    private var logger: Logger { Self.logger }

    /// A fresh database's URL, or a skip that says why there is no server.
    private func freshDatabase() throws -> String {
        do {
            return try PostgresTestServer.freshDatabase()
        } catch let unavailable as PostgresTestServer.Unavailable {
            throw XCTSkip("PostgreSQL tests skipped: \(unavailable)")
        }
    }

    private static func open(_ url: String, clock: (@Sendable () -> Date)? = nil) async throws -> PostgresBatchStore {
        try await PostgresBatchStore(
            address: try PostgresAddress(parsing: url), reconnectFor: .seconds(30), clock: clock, logger: logger)
    }

    func testPassesTheStoreContract() async throws {
        _ = try freshDatabase()  // skips without a server
        try await BatchStoreContract.run { clock in
            let url = try PostgresTestServer.freshDatabase()
            let now: @Sendable () -> Date = { clock.now }
            return (try await Self.open(url, clock: now), try await Self.open(url, clock: now))
        }
    }

    func testTheResultTableHasEverySummaryColumn() async throws {
        let url = try freshDatabase()
        _ = try await Self.open(url)
        let columns = try PostgresTestServer.psql(
            url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'result'")
        XCTAssertTrue(
            Set(ResultEntry.columns).isSubset(of: Set(columns.split(separator: "\n").map(String.init))), columns)
    }

    func testStoresStartingTogetherMigrateOnce() async throws {
        let url = try freshDatabase()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await Self.open(url) } }
            try await group.waitForAll()
        }
        XCTAssertEqual(
            try PostgresTestServer.psql(url, "SELECT string_agg(version::text, ',') FROM emoscan_schema"), "1")
    }

    func testALeaseEndsItsLengthAfterTheClaimOnTheServer() async throws {
        let url = try freshDatabase()
        let store = try await Self.open(url)
        _ = try await store.enqueue(
            [JobRequest(path: "/data/a.mp4", sha256: "a", sizeBytes: 1, modified: 1, pipeline: "p", pipelineHash: "h")],
            force: false)
        let job = try await store.claim(for: WorkerID(rawValue: "h1:1:a"), lease: 3600, policy: RetryPolicy())
        XCTAssertNotNil(job)
        // The lease is computed in SQL from the server's now(): an hour of 3600 seconds, not of
        // milliseconds or days. (The server's clock and this machine's agree here, so that the
        // server's is the one used rests on the statements, which name no other.)
        let minutes = try PostgresTestServer.psql(
            url, "SELECT round(extract(epoch FROM lease_until - now()) / 60) FROM job")
        XCTAssertEqual(minutes, "60")
    }

    func testAnIdleWorkerIsWokenByANewJob() async throws {
        let url = try freshDatabase()
        let (waiter, queuer) = (try await Self.open(url), try await Self.open(url))
        let started = ContinuousClock.now
        async let woken: Void = waiter.waitForJobs(upTo: .seconds(120))
        try await Task.sleep(for: .milliseconds(500))
        _ = try await queuer.enqueue(
            [JobRequest(path: "/data/a.mp4", sha256: "a", sizeBytes: 1, modified: 1, pipeline: "p", pipelineHash: "h")],
            force: false)
        await woken
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(60), "the wait ran out instead of being woken")
    }

    func testAWriteDuringARestartWaitsForTheServer() async throws {
        let url = try freshDatabase()
        let store = try await Self.open(url)
        try await store.record(ResultEntry(file: "/data/before.mp4", status: .ok), document: Data("{}".utf8))
        try PostgresTestServer.restart()
        // The pool's connection died with the old server: the write reconnects and goes through.
        try await store.record(ResultEntry(file: "/data/after.mp4", status: .ok), document: Data(#"{"a": 1}"#.utf8))
        let count = try await store.resultCount()
        XCTAssertEqual(count, 2)
    }

    func testTheClaimAndTheStatusReadIndexesInAMillionJobs() async throws {
        let url = try freshDatabase()
        _ = try await Self.open(url)
        try PostgresTestServer.psql(
            url,
            """
            INSERT INTO job (path, sha256, size_bytes, modified, pipeline, pipeline_hash, state, attempts,
                             available_at, queued_at, finished_at)
            SELECT '/data/' || n, 'sha' || n, 1, 1, 'default', 'h', CASE WHEN n % 1000 = 0 THEN 'queued' ELSE 'done' END,
                   1, now(), now(), now()
            FROM generate_series(1, 1000000) AS n
            """)
        try PostgresTestServer.psql(url, "VACUUM ANALYZE job")
        let claim = try PostgresTestServer.psql(
            url,
            """
            EXPLAIN SELECT id FROM job
            WHERE (state = 'queued' AND available_at <= now()) OR (state = 'running' AND lease_until < now() AND attempts < 3)
            ORDER BY priority DESC, id FOR UPDATE SKIP LOCKED LIMIT 1
            """)
        XCTAssertTrue(claim.contains("Index Scan using job_claimable"), claim)
        XCTAssertFalse(claim.contains("Seq Scan"), claim)
        // The counts can be read from the state index alone; the planner takes that path once
        // autovacuum has marked the pages all-visible (between a parallel scan and it, costs are close).
        let status = try PostgresTestServer.psql(
            url, "SET enable_seqscan = off; EXPLAIN SELECT state, count(*) FROM job GROUP BY state")
        XCTAssertTrue(status.contains("Index Only Scan using job_by_state"), status)
    }

    func testTLSAsLibpqsSSLModesSayIt() async throws {
        let url = try freshDatabase()
        let tcp = try PostgresTestServer.tcpURL(of: PostgresTestServer.databaseName(in: url))
        let store = try await Self.open(tcp + "?sslmode=require")
        _ = try await store.resultCount()
        // The store's pooled connection is over TLS (psql, on the socket, is not).
        let encrypted = try PostgresTestServer.psql(
            url,
            """
            SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
            WHERE ssl AND datname = current_database()
            """)
        XCTAssertNotEqual(encrypted, "0")
        // verify-full checks the certificate: a self-signed one is refused, with the reason.
        do {
            _ = try await Self.open(tcp + "?sslmode=verify-full")
            XCTFail("a self-signed certificate passed verify-full")
        } catch let error as StoreError {
            XCTAssertTrue(error.description.lowercased().contains("certificate"), error.description)
        }
    }

    func testAnUnreachableServerSaysSo() async throws {
        let address = PostgresAddress(
            host: "127.0.0.1", port: 1, user: "emoscan", database: "emoscan", sslMode: .disable)
        do {
            _ = try await PostgresBatchStore(address: address, logger: logger)
            XCTFail("opened a store on a closed port")
        } catch let error as StoreError {
            XCTAssertTrue(error.description.hasPrefix("postgres://emoscan@127.0.0.1:1/emoscan: "), error.description)
            XCTAssertTrue(error.description.contains("cannot connect"), error.description)
        }
    }

    func testALoginTheServerRefusesSaysWhy() async throws {
        let url = try freshDatabase()
        var address = try PostgresAddress(parsing: url)
        address.user = "nobody_here"
        address.password = "s3cret-word"
        do {
            _ = try await PostgresBatchStore(address: address, logger: logger)
            XCTFail("logged in as a role that does not exist")
        } catch let error as StoreError {
            XCTAssertTrue(error.description.contains(#"role "nobody_here" does not exist"#), error.description)
            XCTAssertFalse(error.description.contains("s3cret"), "the password was printed: \(error.description)")
        }
        address = try PostgresAddress(parsing: url)
        address.database = "no_such_db"
        do {
            _ = try await PostgresBatchStore(address: address, logger: logger)
            XCTFail("opened a database that does not exist")
        } catch let error as StoreError {
            XCTAssertTrue(error.description.contains(#"database "no_such_db" does not exist"#), error.description)
        }
    }
}
