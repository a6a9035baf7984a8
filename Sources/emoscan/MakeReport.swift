import ArgumentParser
import Foundation
import Model
import Report
import Store

/// `emoscan report`: results as pages people read.
struct MakeReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write HTML (and PDF) reports of results: per file, or for a whole batch.",
        discussion: """
            A file's report is one self-contained HTML page (no script, nothing fetched: it reads \
            offline and from e-mail): the file's facts, the pipeline and its models, the answer \
            (fused, face, voice) and how it was fused, the emotions over time (each sampled frame's \
            face, the frames without a face and why, the voice's segments), their spread, and the \
            warnings. A batch report is one page: the emotions found and their spread, the \
            confidence, the failures by reason, and every file in a table (failures first, then \
            the least confident) linking to its own report.

            Pages go to --out (default Reports/): batch.html, and files/<name>-<hash>.html. --pdf \
            prints each page to PDF beside it with headless Chromium (Debian's chromium; \
            Scripts/setup --with-pdf installs it).

            Examples:
              emoscan report interviews/07.mp4
              emoscan report 12 --pdf                      # analysis (job) 12
              emoscan report Results/files/07-ab12cd34ef-1234abcd.json
              emoscan report --batch --since 24h --out /srv/www/emoscan
            """
    )

    @Argument(help: ArgumentHelp("Analysed files, job ids, or result documents (.json).", valueName: "file|id"))
    var targets: [String] = []

    @Flag(help: "One page for the store's results (with --since and --status), and each file's report.")
    var batch = false

    @Option(
        help: ArgumentHelp(
            "With --batch: only results since then (an ISO 8601 time, or 24h, 7d).", valueName: "time"))
    var since: SinceArgument?

    @Option(help: ArgumentHelp("With --batch: only results with this status.", valueName: "ok|failed"))
    var status: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Where the pages go (default Reports/).", valueName: "dir"))
    var folder = "Reports"

    @Flag(help: "Print each page to PDF as well, with headless Chromium.")
    var pdf = false

    @Option(name: .customLong("store"), help: StoreOptions.storeHelp)
    var store: String?

    @Option(help: StoreOptions.lockTimeoutHelp)
    var lockTimeout: Double = 30

    func validate() throws {
        if batch, !targets.isEmpty { throw ValidationError("give files or ids, or --batch, not both") }
        if !batch, targets.isEmpty { throw ValidationError("give the files, ids or documents to report, or --batch") }
        if !batch, since != nil || status != nil { throw ValidationError("--since and --status go with --batch") }
        if let status, !["ok", "failed"].contains(status) { throw ValidationError("--status is ok or failed") }
    }

    func run() async throws {
        let printer = try pdf ? makePrinter() : nil
        let output = ReportFolder(root: URL(fileURLWithPath: folder))
        var pages: [URL] = []
        if batch {
            let store = try await StoreOptions.open(store: store, lockTimeout: lockTimeout, readOnly: true)
            let entries = try await Console.storeCall { try await store.database.results(since: since?.date) }
                .filter { status == nil || $0.status.rawValue == status }
            var rows: [BatchReport.Row] = []
            // A page of documents per read of the store.
            for start in stride(from: 0, to: entries.count, by: 200) {
                let page = Array(entries[start..<min(start + 200, entries.count)])
                let documents = try await Console.storeCall { try await store.documents(for: page, pretty: false) }
                for (entry, document) in zip(page, documents) {
                    guard let document, let result = try? ResultStore.decode(document) else {
                        rows.append(
                            BatchReport.Row(
                                file: entry.file, failed: entry.status == .failed, error: entry.error,
                                analyzedAt: entry.analyzedAt))
                        continue
                    }
                    let relative = ReportFolder.relativePath(of: result.file.path)
                    try write(FileReport(result).html, to: relative, in: output, printer: printer)
                    rows.append(BatchReport.Row(result, report: relative))
                }
            }
            var title = "\(entries.count) result\(entries.count == 1 ? "" : "s") in \(store.location)"
            if let since { title += " since \(since.date.formatted(.iso8601))" }
            if let status { title += ", \(status) only" }
            pages.append(
                try write(BatchReport(rows: rows, title: title).html, to: "batch.html", in: output, printer: printer))
        } else {
            for target in targets {
                let result = try await self.result(for: target)
                pages.append(
                    try write(
                        FileReport(result).html, to: ReportFolder.relativePath(of: result.file.path), in: output,
                        printer: printer))
            }
        }
        for page in pages { Console.print(page.path) }
    }

    /// Writes the page, and its PDF when asked; returns the page (or the PDF's) URL.
    private func write(_ html: String, to relative: String, in output: ReportFolder, printer: PDFPrinter?) throws -> URL
    {
        let page = try output.write(html, to: relative)
        guard let printer else { return page }
        let pdf = page.deletingPathExtension().appendingPathExtension("pdf")
        do {
            try printer.print(html: page, to: pdf)
        } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
        return pdf
    }

    private func makePrinter() throws -> PDFPrinter {
        do {
            return try PDFPrinter()
        } catch {
            Console.error("\(error)")
            throw ExitCode(Emoscan.usageErrorCode)
        }
    }

    /// The result a target names: a result document, a job id, or an analysed file.
    private func result(for target: String) async throws -> FileResult {
        if target.hasSuffix(".json"), FileManager.default.fileExists(atPath: target) {
            guard let data = FileManager.default.contents(atPath: target), let result = try? ResultStore.decode(data)
            else {
                Console.error("\(target): not an emoscan result document")
                throw ExitCode(1)
            }
            return result
        }
        let store = try await StoreOptions.open(store: store, lockTimeout: lockTimeout, readOnly: true)
        var path = URL(fileURLWithPath: target).standardizedFileURL.path
        if let id = Int64(target), !FileManager.default.fileExists(atPath: target) {
            guard
                let job = try await Console.storeCall({ try await store.database.jobs(JobQuery(id: id, limit: 1)) })
                    .first
            else {
                Console.error("no analysis \(id) in \(store.location)")
                throw ExitCode(1)
            }
            path = job.path
        }
        guard let stored = try await Console.storeCall({ try await store.database.result(of: path) }) else {
            Console.error("\(target): no result in \(store.location) (emoscan analyze or queue it first)")
            throw ExitCode(1)
        }
        guard let document = stored.document, let result = try? ResultStore.decode(document) else {
            Console.error("\(target): its result has no document to report (\(stored.entry.error ?? "failed"))")
            throw ExitCode(1)
        }
        return result
    }
}
