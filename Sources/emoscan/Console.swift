import ArgumentParser
import Foundation
import Logging
import Media
import Model
import Pipeline
import Store

/// What the CLI shows people: summary lines on stdout, errors on stderr, logs through swift-log.
enum Console {
    static func print(_ line: String) {
        write(Data((line + "\n").utf8))
    }

    /// Writes `data` to stdout. A reader that went away (`emoscan results export | head`) ends the
    /// process quietly with 141, as SIGPIPE's default would (SwiftNIO's sockets need it ignored);
    /// any other failure (a full disk behind `>`) is said, with exit code 1.
    static func write(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            let reason = StoreError.words(for: error)
            if reason == String(cString: strerror(EPIPE)) { exit(128 + SIGPIPE) }
            Self.error("stdout: \(reason)")
            exit(1)
        }
    }

    /// `line` on stderr after `emoscan: `, with any control character in it (a file name's
    /// newline) escaped, so that one message stays one line.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("emoscan: " + FileSystemPath.displayed(line) + "\n").utf8))
    }

    /// Sets up swift-log for the process (text or JSON lines on stderr) and returns emoscan's logger.
    static func logger(level: Logger.Level, json: Bool, ffmpegWarnings: Bool) -> Logger {
        LoggingSystem.bootstrap { label in
            json
                ? JSONLogHandler(label: label, level: level) as any LogHandler
                : TextLogHandler(label: label, level: level)
        }
        if ffmpegWarnings { FFmpegLog.showWarnings() }
        return Logger(label: "emoscan")
    }

    /// The logger of a command without logging options of its own: errors only, as text.
    static var errorsOnly: Logger { logger(level: .error, json: false, ffmpegWarnings: false) }

    /// Reports a store that cannot be used and returns the exit code for it (3); any other error
    /// is passed on as it is.
    static func storeFailure(_ error: Error) -> Error {
        guard error is StoreError else { return error }
        Self.error("\(error)")
        return ExitCode(Emoscan.storeErrorCode)
    }

    /// Runs a store call, turning a `StoreError` into exit code 3.
    static func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw storeFailure(error)
        }
    }

    /// Waits on this (non-cooperative) thread for `body`: for a signal handler, which cannot suspend.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome<T>()
        Task {
            outcome.value = await body()
            done.signal()
        }
        done.wait()
        return outcome.value!
    }

    /// A value handed from a task to the thread that waits for it.
    private final class Outcome<T>: @unchecked Sendable {
        var value: T?
    }

    /// True when stderr is a terminal, where a live progress line is shown instead of log lines.
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    /// One line per file:
    /// `[2/14] ok  fused sad 0.52 (weighted)  face sad 0.48 21/21  voice calm 0.61 1 seg  clip.mp4`.
    static func line(for result: FileResult, position: Int, of total: Int) -> String {
        let counter = total > 1 ? "[\(position)/\(total)] " : ""
        let name = FileSystemPath.displayed(result.file.path)
        guard result.status == .ok else { return "\(counter)failed  \(name)" }
        func answer(_ emotion: String?, _ confidence: Double?, absent: String) -> String {
            guard let emotion, let confidence else { return absent.padding(toLength: 14, withPad: " ", startingAt: 0) }
            return emotion.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: " %.2f", confidence)
        }
        let aggregate = result.aggregate
        var parts = [
            "\(counter)ok ",
            "fused " + answer(aggregate.fused.emotion, aggregate.fused.confidence, absent: "-")
                + " " + "(\(aggregate.fused.method.rawValue))".padding(toLength: 12, withPad: " ", startingAt: 0),
        ]
        if let face = aggregate.face {
            parts.append(
                "face " + answer(face.emotion, face.confidence, absent: "no face")
                    + " \(face.framesAccepted)/\(face.framesSampled)")
        }
        if let voice = aggregate.voice {
            let absent = result.voice.status == .silent ? "silent" : "no speech"
            parts.append(
                "voice " + answer(voice.emotion, voice.confidence, absent: absent)
                    + (voice.segmentsSpeech > 0 ? " \(voice.segmentsSpeech) seg" : ""))
        }
        return (parts + [name]).joined(separator: "  ")
    }
}
