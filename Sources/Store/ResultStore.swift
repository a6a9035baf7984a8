import Foundation
import Logging
import Media
import Pipeline
import SwiftCSV

/// Where results go: a folder (default `Results/`) holding one JSON document per file and
/// pipeline under `files/`, the queue and index of results (`emoscan.sqlite`, a `BatchStore`),
/// and `summary.csv`, the index as a table: one row per file, its latest result.
///
/// Every write is atomic. `summary.csv` is rewritten whole from the index (`writeSummary`), under
/// a lock file, so concurrent runs and interrupted ones never leave a torn or half-merged file;
/// the index, not the CSV, is the record.
public struct ResultStore: Sendable {
    public let root: URL
    /// The queue and the index of results.
    public let index: any BatchStore
    private let logger: Logger

    public static let databaseName = "emoscan.sqlite"

    public init(root: URL, index: any BatchStore, logger: Logger) {
        self.root = root
        self.index = index
        self.logger = logger
    }

    /// Opens the store in `root` with its embedded SQLite index, creating both when absent. A
    /// folder written before the index existed has its `summary.csv` rows taken into the index.
    ///
    /// - Parameter readOnly: for commands that only read: an existing, up-to-date index is opened
    ///   without ever taking the write lock. A store that must first be created, migrated or
    ///   filled from `summary.csv` is opened for writing all the same.
    /// - Throws: `StoreError` when the folder or database cannot be used, or stays locked for
    ///   `lockTimeout` seconds.
    public static func open(root: URL, lockTimeout: TimeInterval = 30, readOnly: Bool = false,
                            logger: Logger) throws -> ResultStore {
        let path = root.appendingPathComponent(databaseName).path
        let oldSummary = root.appendingPathComponent("summary.csv").path
        if readOnly, FileManager.default.fileExists(atPath: path),
           let index = try? SQLiteBatchStore(path: path, lockTimeout: lockTimeout, readOnly: true),
           try index.resultCount() > 0 || !FileManager.default.fileExists(atPath: oldSummary) {
            return ResultStore(root: root, index: index, logger: logger)
        }
        let index = try SQLiteBatchStore(path: path, lockTimeout: lockTimeout)
        let store = ResultStore(root: root, index: index, logger: logger)
        if try index.resultCount() == 0, FileManager.default.fileExists(atPath: oldSummary) {
            let rows = try store.summaryRows()
            try rows.forEach(index.record)
            logger.info("summary.csv taken into the index", metadata: ["rows": "\(rows.count)"])
        }
        return store
    }

    public var summaryURL: URL { root.appendingPathComponent("summary.csv") }

    /// The document's path for `result`: named after the file, with a hash of its full path
    /// (two `clip.mp4` in different folders must not collide) and of the pipeline.
    public func documentURL(for result: FileResult) -> URL {
        let stem = URL(fileURLWithPath: result.file.path).deletingPathExtension().lastPathComponent
        let safeStem = String(stem.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(80))
        let pathHash = SHA256.hex(of: Data(result.file.path.utf8)).prefix(10)
        return root.appendingPathComponent("files")
            .appendingPathComponent("\(safeStem)-\(pathHash)-\(result.pipeline.hash.prefix(8)).json")
    }

    /// Writes `result`'s document (atomically); returns its URL.
    public func writeDocument(_ result: FileResult) throws -> URL {
        let url = documentURL(for: result)
        try AtomicFile.write(try Self.encode(result), to: url)
        logger.debug("result saved", metadata: ["document": "\(url.path)"])
        return url
    }

    /// Writes `result`'s document and records it in the index; returns the document's URL.
    /// `summary.csv` follows at the next `writeSummary`.
    @discardableResult
    public func save(_ result: FileResult) throws -> URL {
        let url = try writeDocument(result)
        try index.record(SummaryRow(result, documentPath: url.path))
        return url
    }

    /// Rewrites `summary.csv` from the index. Writers take turns under a lock file, and each reads
    /// the index inside it, so the last file written is never older than one written before it.
    public func writeSummary() throws {
        try withFileLock(root.appendingPathComponent(".summary.lock")) {
            try AtomicFile.write(Data(SummaryRow.csv(try index.results(since: nil)).utf8), to: summaryURL)
        }
    }

    /// The rows of `summary.csv`, in file order (empty when there is none yet).
    public func summaryRows() throws -> [SummaryRow] {
        guard FileManager.default.fileExists(atPath: summaryURL.path) else { return [] }
        let csv = try CSV<Named>(url: summaryURL, delimiter: .comma, encoding: .utf8)
        return csv.rows.map { SummaryRow(values: $0) }
    }

    /// The document's JSON: keys sorted (diffable) and snake_case; pretty-printed for files,
    /// compact (one line) for streaming to other tools.
    public static func encode(_ result: FileResult, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(result)
    }
}
