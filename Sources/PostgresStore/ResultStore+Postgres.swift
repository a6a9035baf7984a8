import Foundation
import Logging
import Store

extension ResultStore {
    /// Opens the store in a PostgreSQL database, creating its tables when absent. It has no
    /// folder: documents live in the database, and `summary.csv` is `results export --format csv`.
    ///
    /// - Parameters:
    ///   - address: the database and login.
    ///   - reconnectFor: how long a call keeps trying while the server is unreachable.
    ///   - logger: where the store logs.
    /// - Returns: the store, its `database` a `PostgresBatchStore`.
    /// - Throws: `StoreError.unavailable` when the server cannot be reached, refuses the login, or
    ///   holds a newer schema.
    public static func openPostgres(
        address: PostgresAddress, reconnectFor: Duration = .seconds(60), logger: Logger
    ) async throws -> ResultStore {
        let database = try await PostgresBatchStore(address: address, reconnectFor: reconnectFor, logger: logger)
        return ResultStore(root: nil, database: database, location: address.description, logger: logger)
    }
}
