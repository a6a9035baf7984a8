import ArgumentParser
import Foundation
import Model
import Store

/// `emoscan results`: read the store's results.
struct Results: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show or export the results in the store.",
        subcommands: [List.self, Show.self, Export.self]
    )
}

extension Results {
    /// `emoscan results list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per file: its latest result, and the reason when it failed.",
            discussion: """
                Columns: status, fused emotion and confidence, how it was fused, the file, and the \
                error of a failed file.

                Examples:
                  emoscan results list --status failed
                  emoscan results list --since 24h
                """
        )

        @Option(help: ArgumentHelp("Only files whose result has this status.", valueName: "ok|failed"))
        var status: String?

        @Option(
            help: ArgumentHelp(
                "Only results recorded since then: an ISO 8601 date or time, or a length of time ago (24h).",
                valueName: "time"))
        var since: SinceArgument?

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.open(readOnly: true)
            let rows = try await Console.storeCall { try await store.database.results(since: since?.date) }
                .filter { status == nil || $0.status.rawValue == status }
            for row in rows {
                let answer =
                    row.fusedEmotion.map { "\($0) \(ResultEntry.text(confidence: row.fusedConfidence))" } ?? "-"
                var fields = [
                    row.status.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0),
                    answer.padding(toLength: 16, withPad: " ", startingAt: 0),
                    (row.fusionMethod?.rawValue ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0),
                    row.file,
                ]
                if let error = row.error { fields.append(error) }
                Console.print(fields.joined(separator: "  "))
            }
        }
    }

    /// `emoscan results show FILE`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a file's latest result document (JSON).",
            discussion: "The file is named by its path, or by its name when only one file in the store has it."
        )

        @Argument(help: ArgumentHelp("The analysed file.", valueName: "file"))
        var file: String

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.open(readOnly: true)
            let rows = try await Console.storeCall { try await store.database.results(since: nil) }
            let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
            var matches = rows.filter { $0.file == absolute }
            if matches.isEmpty { matches = rows.filter { URL(fileURLWithPath: $0.file).lastPathComponent == file } }
            guard matches.count == 1, let row = matches.first else {
                Console.error(
                    matches.isEmpty
                        ? "\(file): no result in \(store.location)"
                        : "\(file): \(matches.count) files have that name; give its path:\n"
                            + matches.map(\.file).joined(separator: "\n"))
                throw ExitCode(1)
            }
            let documents = try await Console.storeCall {
                try await store.exportDocuments(for: [row], pretty: true)
            }
            Console.print(String(decoding: documents[0], as: UTF8.self))
        }
    }

    /// `emoscan results export`.
    struct Export: AsyncParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case csv, jsonl
        }

        static let configuration = CommandConfiguration(
            abstract: "Write every file's latest result as CSV or JSON Lines, to stdout or a file.",
            discussion: """
                csv: the columns of summary.csv, one row per file. jsonl: each file's result \
                document on one line (a file that failed before any analysis, such as one missing \
                from disk, gets its summary fields instead).

                Examples:
                  emoscan results export --format csv > results.csv
                  emoscan results export --format jsonl --since 2026-11-20 | jq -r .aggregate.fused.emotion
                """
        )

        @Option(help: ArgumentHelp("csv or jsonl.", valueName: "format"))
        var format = Format.csv

        @Option(
            help: ArgumentHelp(
                "Only results recorded since then: an ISO 8601 date or time, or a length of time ago (24h).",
                valueName: "time"))
        var since: SinceArgument?

        @Option(
            name: .shortAndLong,
            help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
        var output: String?

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.open(readOnly: true)
            let rows = try await Console.storeCall { try await store.database.results(since: since?.date) }
            let text: Data
            switch format {
            case .csv:
                text = Data(ResultEntry.csv(rows).utf8)
            case .jsonl:
                // A page of documents per read of the store, not a query per file.
                var lines = Data()
                for start in stride(from: 0, to: rows.count, by: 200) {
                    let page = Array(rows[start..<min(start + 200, rows.count)])
                    for document in try await Console.storeCall({
                        try await store.exportDocuments(for: page, pretty: false)
                    }) {
                        lines += document + Data("\n".utf8)
                    }
                }
                text = lines
            }
            if let output {
                try AtomicFile.write(text, to: URL(fileURLWithPath: output))
            } else {
                Console.write(text)
            }
        }
    }
}
