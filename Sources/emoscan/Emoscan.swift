import ArgumentParser
import Foundation
import Media

/// The `emoscan` command: subcommands for each thing an operator does.
struct Emoscan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emoscan",
        abstract: "Find the emotions people show in recordings, by face and by voice.",
        discussion: """
            emoscan decodes each file with FFmpeg. From the video it samples frames evenly by \
            timestamp, rejects frames that are too dark, too bright, too blurred or whose face is too \
            small, and classifies the faces that pass; from the audio it finds the speech and \
            classifies each segment. The two run side by side and are fused into one answer per file, \
            written as one JSON document plus a summary.csv row.

            One file or a few: 'emoscan analyze FILE...'. A batch: queue files, then run workers \
            (from cron if you like; several 'run' processes may share a store):
              emoscan queue add /data/interviews --recursive
              emoscan run --workers 2 --until-empty
              emoscan status
              emoscan results list --status failed

            How well the models do on a labelled corpus: 'emoscan evaluate DIR'.

            Exit codes (for scripts and cron):
              0    every file was analysed
              1    at least one file failed (its result says why; the rest are written)
              2    usage error: bad option, unknown or invalid pipeline, models not set up
              3    the results store is locked past --lock-timeout, or unavailable
              130  'run' stopped by SIGINT: the files in hand were finished, or put
                   back in the queue after a second SIGINT
              143  'run' stopped by SIGTERM: the files in hand were put back in the
                   queue ('run' again resumes either way)
            """,
        subcommands: [
            Analyze.self, Queue.self, Run.self, Status.self, Results.self, Evaluate.self, Train.self, Label.self,
            Serve.self, MakeReport.self,
        ]
    )

    /// Exit code for a command-line or pipeline error: ArgumentParser's default (64) is folded
    /// into the documented 2, so cron jobs have one code to act on.
    static let usageErrorCode: Int32 = 2

    /// Exit code for a results store that is locked past the timeout, or cannot be used.
    static let storeErrorCode: Int32 = 3
}

@main
enum Main {
    static func main() async {
        do {
            // Swift's own `CommandLine.arguments` turns a file name that is not UTF-8 into one that
            // names no file; `FileSystemPath` keeps its bytes.
            let arguments = (1..<Int(CommandLine.argc)).map {
                FileSystemPath.string(fromCString: CommandLine.unsafeArgv[$0]!)
            }
            var command = try Emoscan.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Emoscan.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((Emoscan.fullMessage(for: error) + "\n").utf8))
                exit(Emoscan.usageErrorCode)
            }
            Emoscan.exit(withError: error)
        }
    }
}
