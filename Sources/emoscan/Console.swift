import Foundation
import Logging
import Media
import Pipeline

/// What the CLI shows people: summary lines on stdout, errors on stderr, logs through swift-log.
enum Console {
    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("emoscan: " + line + "\n").utf8))
    }

    static func logger(verbose: Bool) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .error
            return handler
        }
        if verbose { FFmpegLog.showWarnings() }
        return Logger(label: "emoscan")
    }

    /// `--out`, else `$EMOSCAN_RESULTS`, else `Results/` beside `Pipelines/` in emoscan's folder.
    static func resultsFolder(_ option: String?) -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let configured = ProcessInfo.processInfo.environment["EMOSCAN_RESULTS"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        return PipelineLibrary.home.appendingPathComponent("Results")
    }

    /// One line per file: `[2/14] ok      happy     0.62  18/21 frames  clip.mp4`.
    static func line(for result: FileResult, position: Int, of total: Int, document: URL) -> String {
        let counter = total > 1 ? "[\(position)/\(total)] " : ""
        let name = result.file.path
        guard result.status == .ok else { return "\(counter)failed  \(name)" }
        let face = result.aggregate.face
        let emotion = face.emotion ?? "no face"
        let confidence = face.confidence.map { String(format: "%.2f", $0) } ?? "  - "
        return "\(counter)ok      \(emotion.padding(toLength: 9, withPad: " ", startingAt: 0)) \(confidence)"
            + "  \(face.framesAccepted)/\(face.framesSampled) frames  \(name)"
    }
}
