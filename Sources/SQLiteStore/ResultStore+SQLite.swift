import Foundation
import Logging
import Store

extension ResultStore {
    /// The SQLite database's file name in a results folder.
    public static let databaseName = "emoscan.sqlite"

    /// Opens the store in `root` with its embedded SQLite index, creating both when absent. A
    /// folder written before the index existed has its `summary.csv` rows taken into the index.
    ///
    /// - Parameters:
    ///   - root: the results folder.
    ///   - lockTimeout: how long a write waits for another process before `StoreError.locked`.
    ///   - readOnly: for commands that only read: an existing, up-to-date index is opened
    ///     without ever taking the write lock. A store that must first be created, migrated or
    ///     filled from `summary.csv` is opened for writing all the same.
    ///   - logger: where the store logs.
    /// - Returns: the store, its `database` a `SQLiteBatchStore`.
    /// - Throws: `StoreError` when the folder or database cannot be used, or stays locked for
    ///   `lockTimeout` seconds.
    public static func openSQLite(
        root: URL, lockTimeout: TimeInterval = 30, readOnly: Bool = false,
        logger: Logger
    ) async throws -> ResultStore {
        let path = root.appendingPathComponent(databaseName).path
        let oldSummary = root.appendingPathComponent("summary.csv").path
        if readOnly, FileManager.default.fileExists(atPath: path),
            let database = try? SQLiteBatchStore(path: path, lockTimeout: lockTimeout, readOnly: true),
            try await database.resultCount() > 0 || !FileManager.default.fileExists(atPath: oldSummary)
        {
            return ResultStore(root: root, database: database, logger: logger)
        }
        let database = try SQLiteBatchStore(path: path, lockTimeout: lockTimeout)
        let store = ResultStore(root: root, database: database, logger: logger)
        if try await database.resultCount() == 0, FileManager.default.fileExists(atPath: oldSummary) {
            let entries = try store.summaryEntries()
            for entry in entries { try await database.record(entry, document: nil) }
            logger.info("summary.csv taken into the index", metadata: ["rows": "\(entries.count)"])
        }
        return store
    }
}
