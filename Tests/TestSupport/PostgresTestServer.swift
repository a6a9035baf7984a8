import Foundation

/// The PostgreSQL server the PostgreSQL tests use: the one `Scripts/test` started
/// (`EMOSCAN_TEST_POSTGRES`), else one this test process starts with `Scripts/postgres-server`
/// and stops when it exits. Each test gets a database of its own.
public enum PostgresTestServer {
    /// Why there is no server: the tests that need one skip with this.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The server's URLs (its Unix socket, its loopback port with TLS) and folder, started at most once per process.
    private static let server: Result<(url: String, tcpURL: String, folder: String), Unavailable> = {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["EMOSCAN_TEST_POSTGRES"], !url.isEmpty {
            return .success(
                (url, environment["EMOSCAN_TEST_POSTGRES_TCP"] ?? "", environment["EMOSCAN_TEST_POSTGRES_DIR"] ?? ""))
        }
        let binaries = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard
            binaries.contains(where: {
                FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/pg_ctl")
            })
        else {
            return .failure(
                Unavailable(
                    description: "no PostgreSQL server binaries (apt install postgresql; Scripts/setup installs them)"))
        }
        do {
            let outcome = try ChildProcess.run(RepoPaths.path("Scripts/postgres-server"), ["start"], timeout: 120)
            guard outcome.status == 0 else {
                return .failure(Unavailable(description: "Scripts/postgres-server start failed: \(outcome.stderr)"))
            }
            var values: [String: String] = [:]
            for line in outcome.stdout.split(separator: "\n") {
                // export NAME='value'
                let parts = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1].dropFirst().dropLast()) }
            }
            guard let url = values["EMOSCAN_TEST_POSTGRES"], let tcpURL = values["EMOSCAN_TEST_POSTGRES_TCP"],
                let folder = values["EMOSCAN_TEST_POSTGRES_DIR"]
            else {
                return .failure(Unavailable(description: "Scripts/postgres-server start printed no URL"))
            }
            setenv("EMOSCAN_TEST_POSTGRES_DIR", folder, 1)
            atexit { _ = try? ChildProcess.run(RepoPaths.path("Scripts/postgres-server"), ["stop"], timeout: 60) }
            return .success((url, tcpURL, folder))
        } catch {
            return .failure(Unavailable(description: "Scripts/postgres-server start: \(error)"))
        }
    }()

    /// The server's URL (its `postgres` database).
    ///
    /// - Throws: `Unavailable` when there is no server to use.
    public static func url() throws -> String {
        try server.get().url
    }

    /// The URL of `database` on the server's loopback port, where it takes TLS (its certificate is self-signed).
    ///
    /// - Throws: `Unavailable` without a server.
    public static func tcpURL(of database: String) throws -> String {
        let tcp = try server.get().tcpURL
        guard !tcp.isEmpty else {
            throw Unavailable(description: "the server has no TCP URL (EMOSCAN_TEST_POSTGRES_TCP)")
        }
        return String(tcp.dropLast("/postgres".count)) + "/\(database)"
    }

    /// The database a URL names.
    public static func databaseName(in url: String) -> String {
        String(URLComponents(string: url)?.path.dropFirst() ?? "")
    }

    /// A new, empty database on the server.
    ///
    /// - Returns: its URL.
    /// - Throws: `Unavailable` without a server; `GeneratedMedia.Failure` when psql fails.
    public static func freshDatabase() throws -> String {
        let url = try url()
        let name = "emoscan_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try psql(url, "CREATE DATABASE \(name)")
        return url.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    /// Runs one SQL statement with `psql`, and returns what it printed (unaligned, tuples only).
    ///
    /// - Throws: `GeneratedMedia.Failure` with psql's message when it fails.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let outcome = try ChildProcess.run("/usr/bin/psql", [url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql], timeout: 60)
        guard outcome.status == 0 else {
            throw GeneratedMedia.Failure(description: "psql \(sql): \(outcome.stderr)")
        }
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Restarts the server (fast shutdown: connections are cut), as an operator's restart would.
    ///
    /// - Throws: `Unavailable` without a server; `GeneratedMedia.Failure` when the restart fails.
    public static func restart() throws {
        let folder = try server.get().folder
        let outcome = try ChildProcess.run(
            RepoPaths.path("Scripts/postgres-server"), ["restart"], environment: ["EMOSCAN_TEST_POSTGRES_DIR": folder],
            timeout: 120)
        guard outcome.status == 0 else {
            throw GeneratedMedia.Failure(description: "Scripts/postgres-server restart: \(outcome.stderr)")
        }
    }
}
