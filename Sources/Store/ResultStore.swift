import Foundation
import Logging
import Media
import Pipeline
import SwiftCSV

/// Where results go: a folder (default `Results/`) holding one JSON document per file and
/// pipeline under `files/`, and `summary.csv` with one row per file (its latest result).
///
/// Every write is atomic, and updates of `summary.csv` are serialised across processes by a lock
/// file, so concurrent runs and interrupted ones never leave a torn or half-merged file.
public struct ResultStore: Sendable {
    public let root: URL
    private let logger: Logger

    public init(root: URL, logger: Logger) {
        self.root = root
        self.logger = logger
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

    /// Writes `result`'s document and updates its row in `summary.csv`; returns the document's URL.
    @discardableResult
    public func save(_ result: FileResult) throws -> URL {
        let url = documentURL(for: result)
        try AtomicFile.write(try Self.encode(result), to: url)
        try updateSummary(with: SummaryRow(result, documentPath: url.path))
        logger.debug("result saved", metadata: ["document": "\(url.path)"])
        return url
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

    private func updateSummary(with row: SummaryRow) throws {
        try withFileLock(root.appendingPathComponent(".summary.lock")) {
            var rows = try summaryRows()
            if let existing = rows.firstIndex(where: { $0.file == row.file }) {
                rows[existing] = row
            } else {
                rows.append(row)
            }
            let text = ([SummaryRow.columns.joined(separator: ",")] + rows.map(\.csvLine)).joined(separator: "\n") + "\n"
            try AtomicFile.write(Data(text.utf8), to: summaryURL)
        }
    }
}
