import Foundation
import TestSupport
import XCTest

/// What a finished `emoscan` process left: how it ended and everything it printed.
struct Run {
    /// The exit status, or the signal's number when `signalled`.
    var status: Int32
    /// True when a signal ended the process.
    var signalled = false
    var stdout: String
    var stderr: String

    /// The stderr lines that are JSON objects (`--log-format json`), in order; other lines are left out.
    var logLines: [LogLine] { LogLine.parse(stderr) }
}

/// One line of `--log-format json`.
struct LogLine {
    let fields: [String: Any]

    var message: String { fields["message"] as? String ?? "" }

    subscript(key: String) -> String? { fields[key] as? String }

    static func parse(_ text: String) -> [LogLine] {
        text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).map(LogLine.init(fields:))
        }
    }
}

/// The built `emoscan` binary run as a child process, the way an operator or a cron job runs it,
/// with `EMOSCAN_HOME` set to the repository so that it finds `Pipelines/` and `Models/`.
///
/// Both pipes are drained by threads of their own while it runs, so a chatty process never blocks
/// on a full pipe, and a test can wait for a line (`waitForLogLines`) and then signal the process.
final class EmoscanProcess: @unchecked Sendable {
    /// The `emoscan` executable that `swift build` made (debug), or `$EMOSCAN_BIN`.
    static var executable: URL {
        if let configured = ProcessInfo.processInfo.environment["EMOSCAN_BIN"] {
            return URL(fileURLWithPath: configured)
        }
        return RepoPaths.root.appendingPathComponent(".build/debug/emoscan")
    }

    /// Throws, for a test's `setUpWithError`, when the executable has not been built.
    static func requireBuilt() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw GeneratedMedia.Failure(
                description: "emoscan is not built at \(executable.path): run `swift build` first")
        }
    }

    let arguments: [String]
    /// Variables set for the process over the test's own.
    let environment: [String: String]
    private let process = Process()
    private let condition = NSCondition()
    private var output = Data()
    private var errors = Data()
    private var openStreams = 2

    init(_ arguments: [String], environment: [String: String] = [:]) {
        self.arguments = arguments
        self.environment = environment
    }

    var processIdentifier: Int32 { process.processIdentifier }

    func start() throws {
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment
            .merging(["EMOSCAN_HOME": RepoPaths.root.path]) { $1 }
            .merging(environment) { $1 }
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        drain(out.fileHandleForReading, isStderr: false)
        drain(err.fileHandleForReading, isStderr: true)
    }

    private func drain(_ handle: FileHandle, isStderr: Bool) {
        Thread { [self] in
            while true {
                let chunk = readAvailable(handle)
                let ended = chunk == nil
                condition.lock()
                if let chunk {
                    if isStderr { errors += chunk } else { output += chunk }
                } else {
                    openStreams -= 1
                }
                condition.broadcast()
                condition.unlock()
                if ended { return }
            }
        }.start()
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until `predicate` holds for the JSON log lines printed so far on stderr; false when
    /// the process closed stderr or `timeout` passed first.
    func waitForLogLines(timeout: TimeInterval, _ predicate: ([LogLine]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if predicate(LogLine.parse(String(decoding: errors, as: UTF8.self))) { return true }
            if openStreams == 0 || !condition.wait(until: deadline) { return false }
        }
    }

    /// Waits until `predicate` holds for what the process printed on stdout so far; nil when the
    /// process closed stdout or `timeout` passed first.
    func waitForOutput(timeout: TimeInterval, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            let text = String(decoding: output, as: UTF8.self)
            if predicate(text) { return text }
            if openStreams == 0 || !condition.wait(until: deadline) { return nil }
        }
    }

    /// Waits for the process to end (killing it after `timeout`, and throwing) and returns what it left.
    func wait(timeout: TimeInterval = 120) throws -> Run {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            send(SIGKILL)
            process.waitUntilExit()
            throw GeneratedMedia.Failure(
                description: "emoscan \(arguments.joined(separator: " ")) still ran after \(timeout) s: killed")
        }
        process.waitUntilExit()
        condition.lock()
        while openStreams > 0 { condition.wait() }
        let run = Run(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: errors, as: UTF8.self))
        condition.unlock()
        return run
    }

    /// Kills the process if it still runs (a test that failed half-way must not leave workers behind).
    func stop() {
        guard process.isRunning else { return }
        send(SIGKILL)
        process.waitUntilExit()
    }
}

extension XCTestCase {
    /// Runs `emoscan` with `arguments` (and `environment` over this process's) to the end.
    func emoscan(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try launch(arguments, environment: environment).wait()
    }

    /// Starts `emoscan` with `arguments` (and `environment` over this process's); it is killed at
    /// the end of the test if it still runs.
    func launch(_ arguments: [String], environment: [String: String] = [:]) throws -> EmoscanProcess {
        let process = EmoscanProcess(arguments, environment: environment)
        try process.start()
        addTeardownBlock { process.stop() }
        return process
    }

    /// `emoscan queue add ARGUMENTS --store STORE --settle 0` (the media were made a moment ago),
    /// which must succeed printing `expect`.
    func queue(_ arguments: [String], store: String, expect: String, line: UInt = #line) throws {
        let run = try emoscan(["queue", "add", "--store", store, "--settle", "0"] + arguments)
        XCTAssertEqual(run.status, 0, run.stderr, line: line)
        XCTAssertEqual(run.stdout, expect + "\n", line: line)
    }

    /// `emoscan status --json`, parsed.
    func status(_ store: String, line: UInt = #line) throws -> [String: Any] {
        let run = try emoscan(["status", "--store", store, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr, line: line)
        XCTAssertEqual(run.stdout.filter { $0 == "\n" }.count, 1, "one line: \(run.stdout)", line: line)
        return try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stdout, line: line)
    }

    /// The files a run's `--log-format json` lines say it analysed (status ok), in order.
    func analysed(_ run: Run) -> [String] {
        run.logLines.filter { $0.message == "analysed" }.compactMap { $0["file"] }
    }

    /// A temporary folder's path (not created), removed at the end of the test.
    func freshFolder() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-e2e-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}

/// The bytes that one read(2) of `handle` returns (waiting for some), or nil at the end of the
/// stream. Unlike `FileHandle.read(upToCount:)`, which on Linux waits for the whole count or the
/// end, it returns as soon as a line has been written.
func readAvailable(_ handle: FileHandle) -> Data? {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(handle.fileDescriptor, &buffer, buffer.count)
        if count > 0 { return Data(buffer[0..<count]) }
        if count < 0, errno == EINTR { continue }
        return nil
    }
}

// MARK: - The store's database, read as an operator would

extension XCTestCase {
    /// The `sqlite3` CLI's path, or nil when it is not installed.
    func sqlite3Path() -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { $0 + "/sqlite3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A read-only query on the store's database with the `sqlite3` CLI, or `XCTSkip` with `message`.
    func sqliteOrSkip(_ message: String) throws -> (String, String) throws -> String {
        guard sqlite3Path() != nil else { throw XCTSkip("sqlite3 is not installed: " + message) }
        return { store, query in try self.sqlite(store, query) }
    }

    /// `sqlite3 -readonly STORE/emoscan.sqlite QUERY`'s output, trimmed.
    func sqlite(_ store: String, _ query: String) throws -> String {
        try Tools.output("sqlite3", ["-readonly", store + "/emoscan.sqlite", query])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
