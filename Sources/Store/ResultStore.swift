import Foundation
import Logging
import Media
import Model
import SwiftCSV

/// Where results go: the queue and index of results with every result document (`database`, a
/// `BatchStore`), and, for a store on one machine, a folder (default `Results/`) with the
/// documents as files under `files/` and `summary.csv`, the index as a table: one row per file,
/// its latest result. A store shared by many machines (PostgreSQL) has no folder: its documents
/// and summary are read from the database (`results show`, `results export`).
///
/// Every write is atomic. `summary.csv` is rewritten whole from the index (`writeSummary`), under
/// a lock file, so concurrent runs and interrupted ones never leave a torn or half-merged file;
/// the index, not the CSV, is the record.
public struct ResultStore: Sendable {
    /// The results folder; nil for a database shared by many machines.
    public let root: URL?
    /// The queue, the index of results and the human labels.
    public let database: any BatchStore
    /// Where the store is, for people: the folder's path, or the database's address without its password.
    public let location: String
    private let logger: Logger

    /// - Parameters:
    ///   - root: the results folder, for documents and `summary.csv`; nil for none.
    ///   - database: the driver that keeps the queue and the index.
    ///   - location: the store's place for messages; the folder's path when nil.
    ///   - logger: where writes are logged (at debug).
    public init(root: URL?, database: any BatchStore, location: String? = nil, logger: Logger) {
        self.root = root
        self.database = database
        self.location = location ?? root?.path ?? "?"
        self.logger = logger
    }

    /// `summary.csv` in the folder; nil without one.
    public var summaryURL: URL? { root?.appendingPathComponent("summary.csv") }

    /// The document's path for `result`: named after the file, with a hash of its full path
    /// (two `clip.mp4` in different folders must not collide) and of the pipeline.
    ///
    /// - Parameter result: the result whose file path and pipeline hash name the document.
    /// - Returns: `files/<name>-<path hash>-<pipeline hash>.json` under `root`: the file's name without its extension,
    ///   at most 80 characters, those other than letters, digits and `-_.` replaced by `_`; then 10 and 8 hex digits.
    ///   Nil when the store has no folder.
    public func documentURL(for result: FileResult) -> URL? {
        guard let root else { return nil }
        let stem = URL(fileURLWithPath: result.file.path).deletingPathExtension().lastPathComponent
        let safeStem = String(stem.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(80))
        let pathHash = SHA256.hex(of: Data(result.file.path.utf8)).prefix(10)
        return root.appendingPathComponent("files")
            .appendingPathComponent("\(safeStem)-\(pathHash)-\(result.pipeline.hash.prefix(8)).json")
    }

    /// Writes `result`'s document (atomically) into the folder, when the store has one.
    ///
    /// - Parameters:
    ///   - result: the result, whose document goes to `documentURL(for:)`.
    ///   - document: the document's JSON, as `encode` gives it.
    /// - Returns: the document's URL; nil when the store has no folder.
    /// - Throws: `StoreError.unavailable` when it cannot be written (a full disk, a read-only folder).
    public func writeDocument(_ result: FileResult, document: Data) throws -> URL? {
        guard let url = documentURL(for: result) else { return nil }
        try AtomicFile.write(document, to: url)
        logger.debug("result saved", metadata: ["document": "\(url.path)"])
        return url
    }

    /// Writes `result`'s document and records it, with the document, in the index.
    /// `summary.csv` follows at the next `writeSummary`.
    ///
    /// - Parameter result: the result to write and record.
    /// - Returns: the document's URL; nil when the store has no folder.
    /// - Throws: `StoreError` when the document or the index cannot be written.
    @discardableResult
    public func save(_ result: FileResult) async throws -> URL? {
        let document = try Self.encode(result)
        let url = try writeDocument(result, document: document)
        try await database.record(ResultEntry(result, document: url?.path), document: document)
        return url
    }

    /// The documents of `entries`' files, in one read of the index: the index's copy, else (a
    /// result recorded before the index kept documents) the file an entry names.
    ///
    /// - Parameters:
    ///   - entries: files' latest results, as `database.results` lists them.
    ///   - pretty: indented over several lines, for people; false for one line (JSON Lines).
    /// - Returns: each entry's document, in order; nil for one that has none (a job that failed before analysis).
    /// - Throws: `StoreError` when the index cannot be read.
    public func documents(for entries: [ResultEntry], pretty: Bool) async throws -> [Data?] {
        let stored = try await database.documents(of: entries.map(\.file))
        return try entries.map { entry in
            if let data = stored[entry.file] {
                // A database may normalise a document's spacing and key order; show it as files are written.
                guard pretty, let object = try? JSONSerialization.jsonObject(with: data) else {
                    return JSONText.compact(data)
                }
                return try JSONSerialization.data(
                    withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            }
            guard let data = entry.document.flatMap({ FileManager.default.contents(atPath: $0) }) else { return nil }
            return pretty ? data : JSONText.compact(data)
        }
    }

    /// What an export writes for each of `entries`, in order: the file's result document, or,
    /// for a file that failed before any analysis (missing from disk), its summary fields as JSON.
    ///
    /// - Parameters:
    ///   - entries: files' latest results, as `database.results` lists them.
    ///   - pretty: indented over several lines, for people; false for one line (JSON Lines).
    /// - Returns: one JSON document per entry.
    /// - Throws: `StoreError` when the index cannot be read.
    public func exportDocuments(for entries: [ResultEntry], pretty: Bool) async throws -> [Data] {
        try zip(entries, try await documents(for: entries, pretty: pretty)).map { entry, document in
            if let document { return document }
            let fields = Dictionary(uniqueKeysWithValues: zip(ResultEntry.columns, entry.fields)).filter {
                !$0.value.isEmpty
            }
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if pretty { options.insert(.prettyPrinted) }
            return try JSONSerialization.data(withJSONObject: fields, options: options)
        }
    }

    /// Rewrites `summary.csv` from the index, when the store has a folder. Writers take turns
    /// under a lock file, and each reads the index inside it, so the last file written is never
    /// older than one written before it.
    ///
    /// - Throws: `StoreError` when the index cannot be read or the file written.
    public func writeSummary() async throws {
        guard let root, let summaryURL else { return }
        try await withFileLock(root.appendingPathComponent(".summary.lock")) {
            try AtomicFile.write(Data(ResultEntry.csv(try await database.results(since: nil)).utf8), to: summaryURL)
        }
    }

    /// The entries of `summary.csv`, in file order (empty when there is none yet): how a folder
    /// written before the index existed is taken into it.
    ///
    /// - Returns: one entry per row, in file order; empty when there is no `summary.csv`.
    /// - Throws: SwiftCSV's error when the file is not CSV.
    public func summaryEntries() throws -> [ResultEntry] {
        guard let summaryURL, FileManager.default.fileExists(atPath: summaryURL.path) else { return [] }
        let csv = try CSV<Named>(url: summaryURL, delimiter: .comma, encoding: .utf8)
        return csv.rows.map { ResultEntry(fields: $0) }
    }

    /// The document's JSON: keys sorted (diffable) and snake_case; pretty-printed for files,
    /// compact (one line) for streaming to other tools.
    ///
    /// - Parameters:
    ///   - result: the result to encode.
    ///   - pretty: indent over several lines, for files; false for one line.
    /// - Returns: the JSON, non-finite numbers written as the strings `inf`, `-inf` and `nan`.
    /// - Throws: `EncodingError`, which a well-formed result never gives.
    public static func encode(_ result: FileResult, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(result)
    }

    /// A result document read back, as `encode` wrote it (or as a database normalised it).
    ///
    /// - Parameter document: the document's JSON.
    /// - Returns: the result.
    /// - Throws: `DecodingError` when the JSON is not a result document.
    public static func decode(_ document: Data) throws -> FileResult {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(FileResult.self, from: document)
    }
}
