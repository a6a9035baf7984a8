import ArgumentParser
import Foundation
import Logging
import Pipeline
import PostgresStore
import SQLiteStore
import Store

// MARK: Store

/// `--store DIR|postgres://…`, on every command that reads or writes results.
struct StoreOptions: ParsableArguments {
    static let storeHelp = ArgumentHelp(
        "Results store: a folder (SQLite, one machine) or postgres://user@host:port/db (many machines; the password "
            + "from the URL, PGPASSWORD or ~/.pgpass; ?sslmode=require). Default: $EMOSCAN_STORE, else "
            + "$EMOSCAN_RESULTS, else Results/ in emoscan's folder.",
        valueName: "store")
    static let lockTimeoutHelp = ArgumentHelp(
        "Seconds to wait for another emoscan process's hold on the store before giving up with exit code 3.",
        valueName: "seconds")

    @Option(name: [.customLong("store"), .customLong("out")], help: storeHelp)
    var store: String?

    @Option(help: lockTimeoutHelp)
    var lockTimeout: Double = 30

    /// Opens the store (for reading only: `status`, `results`), or ends the command with exit
    /// code 3 and the reason.
    func open(readOnly: Bool = false, logger: Logger = Console.errorsOnly) async throws -> ResultStore {
        try await Self.open(store: store, lockTimeout: lockTimeout, readOnly: readOnly, logger: logger)
    }

    /// `open` for a command whose `--out` means something else (`train voice`), so it declares
    /// `--store` and `--lock-timeout` itself.
    static func open(
        store: String?, lockTimeout: Double, readOnly: Bool, logger: Logger = Console.errorsOnly
    )
        async throws -> ResultStore
    {
        let environment = ProcessInfo.processInfo.environment
        let chosen = store ?? environment["EMOSCAN_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            if let chosen, PostgresAddress.isAddress(chosen) {
                let address: PostgresAddress
                do {
                    address = try PostgresAddress(parsing: chosen)
                } catch {
                    throw ValidationError("--store: \(error)")
                }
                return try await ResultStore.openPostgres(address: address, logger: logger)
            }
            return try await ResultStore.openSQLite(
                root: folder(chosen), lockTimeout: lockTimeout, readOnly: readOnly, logger: logger)
        } catch {
            throw Console.storeFailure(error)
        }
    }

    private static func folder(_ store: String?) -> URL {
        if let store { return URL(fileURLWithPath: store) }
        if let configured = ProcessInfo.processInfo.environment["EMOSCAN_RESULTS"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        return PipelineLibrary.home.appendingPathComponent("Results")
    }
}

extension ResultStore {
    /// The end of a command's last line: where its results can be read.
    var whereSummaryIs: String {
        summaryURL.map { "Summary: \($0.path)" } ?? "Results in \(location): emoscan results export"
    }
}

// MARK: Output

/// `--quiet`, `--verbose` and `--log-format`, on every command that works for a while.
struct OutputOptions: ParsableArguments {
    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log each stage, and let FFmpeg's own warnings through.")
    var verbose = false

    @Option(help: ArgumentHelp("Log lines (on stderr) as text or as one JSON object per line.", valueName: "text|json"))
    var logFormat = LogFormat.text

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other") }
    }

    /// The logger for a command whose normal level is `level`: lowered by `--verbose`, raised by `--quiet`.
    func logger(level: Logger.Level = .error) -> Logger {
        Console.logger(
            level: verbose ? .debug : quiet ? .error : level, json: logFormat == .json, ffmpegWarnings: verbose)
    }
}

// MARK: Time

/// A length of time on the command line: `90s`, `30m`, `2h`, `1d`, `1h30m`; a bare number is seconds.
struct DurationArgument: ExpressibleByArgument {
    let seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    init?(argument: String) {
        if let plain = Double(argument), plain >= 0 {
            seconds = plain
            return
        }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var total = 0.0, number = ""
        for character in argument {
            if character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number) {
                total += value * unit
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty, !argument.isEmpty else { return nil }
        seconds = total
    }

    static var defaultValueDescription: String { "e.g. 90s, 30m, 2h, 1h30m" }
}

/// A point in time on the command line: an ISO 8601 date or date-time, or a length of time ago (`24h`).
struct SinceArgument: ExpressibleByArgument {
    let date: Date

    init?(argument: String) {
        if let ago = DurationArgument(argument: argument), Double(argument) == nil {
            date = Date().addingTimeInterval(-ago.seconds)
        } else if let instant = try? Date(argument, strategy: .iso8601) {
            date = instant
        } else if let day = try? Date(argument, strategy: Date.ISO8601FormatStyle().year().month().day()) {
            date = day
        } else {
            return nil
        }
    }
}
