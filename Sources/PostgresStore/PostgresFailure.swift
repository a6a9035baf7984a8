import Foundation
import PostgresNIO
import _ConnectionPoolModule

/// What postgres-nio's errors mean to a person and to the retry loop. `PSQLError`'s own
/// description hides the server's message (it may quote data), so the message is read out here.
enum PostgresFailure {
    /// SQLSTATE classes and codes that pass: the connection dropped (08), the server is shutting
    /// down or starting up (57P01-57P03), a serialization failure or deadlock (40001, 40P01).
    private static let transientStates: Set<String> = ["57P01", "57P02", "57P03", "40001", "40P01"]

    /// True for an error that trying again later may cure: the server restarting, a dropped connection.
    static func isTransient(_ error: Error) -> Bool {
        if error is Deadline.Passed { return true }
        if let error = error as? ConnectionPoolError {
            return error == .connectionCreationCircuitBreakerTripped
        }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || transientStates.contains(state)
        default:
            return false
        }
    }

    /// The system's words for a socket error (`Connection refused`), read from the errno that
    /// SwiftNIO's connection errors carry in their description; the description when there is none.
    private static func systemReason(_ error: Error) -> String {
        let text = "\(error)"
        guard let match = text.firstMatch(of: /errno: (\d+)\)/), let code = Int32(match.1) else { return text }
        return String(cString: strerror(code))
    }

    /// One line that says what went wrong: the server's message (`password authentication failed
    /// for user "x"`, `database "y" does not exist`), or why no connection was made.
    static func words(for error: Error) -> String {
        if let error = error as? ConnectionPoolError, error == .connectionCreationCircuitBreakerTripped {
            return "cannot connect to the server (it stayed unreachable)"
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return message
        }
        switch error.code {
        case .connectionError:
            return "cannot connect to the server: \(error.underlying.map(systemReason) ?? "connection failed")"
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection"
        case .sslUnsupported:
            return "the server does not support TLS (sslmode=require): use sslmode=prefer or disable"
        case .authMechanismRequiresPassword:
            return "the server asks for a password: put it in the URL, PGPASSWORD or ~/.pgpass"
        default:
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
    }
}
