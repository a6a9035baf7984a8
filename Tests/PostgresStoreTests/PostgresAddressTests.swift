import Foundation
import PostgresStore
import XCTest

/// `--store postgres://…` read as libpq reads it; the password never printed.
final class PostgresAddressTests: XCTestCase {
    private let none: [String: String] = ["HOME": "/nonexistent"]

    func testAFullURL() throws {
        let address = try PostgresAddress(
            parsing: "postgres://ana:p%40ss@db.example:6543/emo?sslmode=require", environment: none)
        XCTAssertEqual(address.host, "db.example")
        XCTAssertEqual(address.port, 6543)
        XCTAssertEqual(address.user, "ana")
        XCTAssertEqual(address.password, "p@ss")
        XCTAssertEqual(address.database, "emo")
        XCTAssertEqual(address.sslMode, .require)
        XCTAssertEqual(address.description, "postgres://ana@db.example:6543/emo")
    }

    func testDefaultsComeFromTheEnvironmentAsForPsql() throws {
        let environment = ["HOME": "/nonexistent", "PGUSER": "ops", "PGPORT": "5433", "PGPASSWORD": "from-env"]
        let address = try PostgresAddress(parsing: "postgresql://", environment: environment)
        XCTAssertEqual(address.host, "localhost")
        XCTAssertEqual(address.port, 5433)
        XCTAssertEqual(address.user, "ops")
        XCTAssertEqual(address.database, "ops", "the database defaults to the user")
        XCTAssertEqual(address.password, "from-env")
        XCTAssertEqual(address.sslMode, .prefer)
    }

    func testAUnixSocketFolder() throws {
        let address = try PostgresAddress(parsing: "postgres://postgres@/jobs?host=/run/postgresql", environment: none)
        XCTAssertTrue(address.isUnixSocket)
        XCTAssertEqual(address.socketPath, "/run/postgresql/.s.PGSQL.5432")
        XCTAssertEqual(address.description, "postgres://postgres@/jobs?host=/run/postgresql")
    }

    func testThePasswordFileIsReadOnlyWhenPrivate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(".pgpass").path
        try """
        # comment
        other:5432:*:ana:wrong
        db.example:5432:emo:ana:pa\\:ss
        *:*:*:*:fallback
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let environment = ["HOME": folder.path]

        chmod(file, 0o600)
        XCTAssertEqual(
            try PostgresAddress(parsing: "postgres://ana@db.example/emo", environment: environment).password, "pa:ss")
        XCTAssertEqual(
            try PostgresAddress(parsing: "postgres://bo@elsewhere/x", environment: environment).password, "fallback")
        XCTAssertEqual(
            try PostgresAddress(parsing: "postgres://ana:given@db.example/emo", environment: environment).password,
            "given", "the URL's password comes first")

        chmod(file, 0o644)
        XCTAssertNil(
            try PostgresAddress(parsing: "postgres://ana@db.example/emo", environment: environment).password,
            "a password file others may read is ignored, as libpq ignores it")
    }

    func testBadURLsAreRefusedWithoutThePassword() {
        XCTAssertThrowsError(try PostgresAddress(parsing: "postgres://a:secret@h/db?sslmode=maybe", environment: none))
        {
            XCTAssertTrue("\($0)".contains("sslmode=maybe"), "\($0)")
        }
        XCTAssertThrowsError(try PostgresAddress(parsing: "postgres://a:secret@h/db?colour=red", environment: none)) {
            XCTAssertTrue("\($0)".contains("unknown parameter 'colour'"), "\($0)")
            XCTAssertFalse("\($0)".contains("secret"), "\($0)")
        }
        XCTAssertFalse(PostgresAddress.isAddress("/var/results"))
        XCTAssertTrue(PostgresAddress.isAddress("postgresql://h/db"))
    }
}
