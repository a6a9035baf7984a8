import Foundation

/// Where a PostgreSQL store is and how to log in: `--store postgres://user[:password]@host[:port]/db[?sslmode=…]`
/// parsed as libpq reads such a URL, so that an operator's existing URLs, `PGPASSWORD` and `~/.pgpass` work as
/// they do for `psql`.
///
/// The password is kept out of `description`: the address can be logged and printed.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is secured, as libpq's `sslmode` says it.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (libpq's `allow` and `prefer`, its default).
        case prefer
        /// TLS or no connection; the server's certificate is not checked (libpq's meaning).
        case require
        /// TLS with the certificate checked against the trusted roots, not the host name.
        case verifyCA = "verify-ca"
        /// TLS with the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address; for a Unix socket, the socket's folder (a path starting with `/`).
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// A PEM file of the certificate authorities to trust (`sslrootcert`); nil for the system's.
    public var rootCertificate: String?

    public init(
        host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
        sslMode: SSLMode = .prefer, rootCertificate: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.rootCertificate = rootCertificate
    }

    /// Why a store argument is not a PostgreSQL address emoscan can use.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// True for `postgres://` and `postgresql://` URLs: how `--store` tells a database from a folder.
    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL, filling what it leaves out as libpq does.
    ///
    /// The user defaults to `PGUSER`, then the login name; the database to the user; the host to
    /// `PGHOST`, then `localhost`; the port to `PGPORT`, then 5432. A `host=/folder` parameter
    /// names a Unix socket's folder (and `port=` the socket's number). The password comes from the URL, else `PGPASSWORD`, else the
    /// first matching line of the password file (`PGPASSFILE`, else `~/.pgpass`), which, as for
    /// libpq, is ignored when others may read it.
    ///
    /// - Parameters:
    ///   - text: the URL.
    ///   - environment: the variables to read (the process's by default).
    /// - Throws: `Invalid` when the text is not such a URL, or names an unknown parameter or `sslmode`.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isAddress(text), let components = URLComponents(string: text) else {
            throw Invalid(description: "\(Self.redacted(text)): not a postgres:// URL")
        }
        var host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        var port = components.port
        var sslMode = environment["PGSSLMODE"].flatMap(Self.sslMode(named:)) ?? .prefer
        var rootCertificate = environment["PGSSLROOTCERT"]
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host": host = value
            case "port":
                guard let number = Int(value) else { throw Invalid(description: "port=\(value): not a port number") }
                port = number
            case "sslmode":
                guard let mode = Self.sslMode(named: value) else {
                    throw Invalid(
                        description:
                            "sslmode=\(value): use one of disable, allow, prefer, require, verify-ca, verify-full"
                    )
                }
                sslMode = mode
            case "sslrootcert": rootCertificate = value
            case "application_name", "connect_timeout": break  // libpq's; nothing to do here
            default:
                throw Invalid(description: "\(Self.redacted(text)): unknown parameter '\(item.name)'")
            }
        }
        if host.isEmpty { host = environment["PGHOST"] ?? "localhost" }
        let user =
            components.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["PGUSER"] ?? Self.loginName()
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database =
            path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGDATABASE"] ?? user
        self.init(
            host: host, port: port ?? environment["PGPORT"].flatMap { Int($0) } ?? 5432, user: user, password: nil,
            database: database, sslMode: sslMode,
            rootCertificate: rootCertificate)
        password =
            components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            ?? environment["PGPASSWORD"]
            ?? PasswordFile(path: environment["PGPASSFILE"] ?? Self.home(environment) + "/.pgpass").password(for: self)
    }

    /// True when `host` names a Unix socket's folder.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// The socket file in the folder `host` names, as the server makes it.
    public var socketPath: String { "\(host)/.s.PGSQL.\(port)" }

    /// The URL without its password: `postgres://user@host:port/db`.
    public var description: String {
        let server = isUnixSocket ? "" : host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var text = "postgres://\(user)@\(server)/\(database)"
        if isUnixSocket { text += "?host=\(host)" + (port == 5432 ? "" : "&port=\(port)") }
        return text
    }

    /// The URL with any password replaced by `***`, for an error about a URL that did not parse.
    static func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: #"://([^:@/]*):[^@/]*@"#, with: "://$1:***@", options: .regularExpression)
    }

    private static func sslMode(named name: String) -> SSLMode? {
        name == "allow" ? .prefer : SSLMode(rawValue: name)
    }

    private static func loginName() -> String {
        getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "postgres"
    }

    private static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
    }
}
