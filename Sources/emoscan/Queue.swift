import ArgumentParser
import Batch
import Foundation
import Media
import Pipeline
import Store

/// `emoscan queue`: what the workers of `emoscan run` will do.
struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue files for 'emoscan run', retry the failed ones, or clear the queue.",
        subcommands: [Add.self, RetryFailed.self, Clear.self]
    )
}

extension Queue {
    /// `emoscan queue add PATH...`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue media files, and the media files in folders, for analysis.",
            discussion: """
                Media files are recognised by their extension (video, audio and image formats FFmpeg \
                reads); a file with an unknown extension or none is opened to see whether it holds \
                audio or video. Hidden files and folders are left out of folder listings.

                Queueing is idempotent: a file whose content (sha256) is already queued, running, \
                done or failed with the same pipeline is skipped, wherever it lies, so a cron job can \
                queue the same folder every hour. --force queues such files again. A file already seen \
                with the same path, size and modification time is not read again.

                A file modified within the last --settle seconds (30 s by default) is left out as still \
                being written (a copy or recording in progress) and counted as such; queue the folder \
                again later to take it.

                Globs are shell patterns: one without '/' matches the file's name ('*.mp4'), one with \
                '/' matches the path below the folder given ('2026-*/*.mov').

                Examples:
                  emoscan queue add /data/interviews --recursive
                  emoscan queue add /data/calls --recursive --include '*.wav' --exclude 'test-*'
                  emoscan queue add urgent.mp4 --priority 10
                """
        )

        @Argument(help: ArgumentHelp("Files and folders to queue.", valueName: "path"))
        var paths: [String]

        @Flag(name: .shortAndLong, help: "Look in subfolders too.")
        var recursive = false

        @Option(help: ArgumentHelp("Pipeline name (in Pipelines/) or path to a .yml file.", valueName: "name|path"))
        var pipeline = "default"

        @Option(help: ArgumentHelp("Queue only files that match (repeatable).", valueName: "glob"))
        var include: [String] = []

        @Option(help: ArgumentHelp("Leave out files that match (repeatable).", valueName: "glob"))
        var exclude: [String] = []

        @Option(help: ArgumentHelp("Higher runs first; equal priorities run in the order queued.", valueName: "n"))
        var priority = 0

        @Flag(help: "Queue files again even when the same content is queued, done or failed with this pipeline.")
        var force = false

        @Option(
            help: ArgumentHelp(
                "Leave out files modified less than this long ago: still being written (default 30s; 0 takes all).",
                valueName: "time"))
        var settle = DurationArgument(seconds: 30)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let logger = output.logger()
            let resolved: ResolvedPipeline
            do {
                resolved = try PipelineLibrary.load(pipeline)
            } catch {
                Console.error("\(error)")
                throw ExitCode(Emoscan.usageErrorCode)
            }
            let store = try await storeOptions.open(logger: logger)
            var media: [String] = []
            var unreadable: [String] = []
            let found = MediaDiscovery(
                recursive: recursive, include: include, exclude: exclude,
                settle: settle.seconds
            ).find(paths) { found in
                switch found {
                case .media(let path): media.append(path)
                case .skipped(let path, .missing): unreadable.append("\(path): no such file or folder")
                case .skipped(let path, .symlinkLoop): unreadable.append("\(path): symlink loop")
                case .skipped(let path, .unreadable): unreadable.append("\(path): not readable")
                case .skipped: break
                }
            }
            let progress = Console.isInteractive && !output.quiet ? ProgressLine() : nil
            let enqueuer = Enqueuer(
                database: store.database, pipeline: try PipelineLibrary.reference(for: pipeline),
                pipelineHash: resolved.hash,
                priority: priority, force: force)
            let tally: Enqueuer.Tally
            do {
                tally = try await enqueuer.add(media) { done in
                    progress?.show("reading \(done)/\(media.count)")
                }
            } catch {
                progress?.clear()
                throw Console.storeFailure(error)
            }
            progress?.clear()
            unreadable += tally.unreadable.map { "\($0): not readable" }
            unreadable.forEach(Console.error)
            if !output.quiet {
                Console.print(Self.report(tally, found))
            }
            if !unreadable.isEmpty { throw ExitCode(1) }
        }

        /// `added 12, skipped 5 (already done 3, not media 2)`.
        static func report(_ tally: Enqueuer.Tally, _ found: MediaDiscovery.Summary) -> String {
            var reasons: [String] = []
            for state in JobState.allCases {
                if let n = tally.alreadyInStore[state] { reasons.append("already \(state.rawValue) \(n)") }
            }
            if tally.sameContentElsewhere > 0 {
                reasons.append("same content as another queued file \(tally.sameContentElsewhere)")
            }
            for reason in MediaDiscovery.SkipReason.allCases {
                if let n = found.skipped[reason] { reasons.append("\(reason) \(n)") }
            }
            if !tally.unreadable.isEmpty { reasons.append("unreadable \(tally.unreadable.count)") }
            var line = "added \(tally.added)"
            if tally.requeued > 0 { line += ", queued again \(tally.requeued)" }
            line += ", skipped \(tally.skipped + found.skippedCount)"
            if !reasons.isEmpty { line += " (" + reasons.joined(separator: ", ") + ")" }
            return line
        }
    }

    /// `emoscan queue retry-failed`.
    struct RetryFailed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue every failed job again, with its attempts reset.",
            discussion: "Use it after fixing what made files fail (a missing mount, a full disk, a pipeline)."
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try await storeOptions.open(logger: output.logger())
            let count = try await Console.storeCall { try await store.database.retryFailed() }
            if !output.quiet { Console.print("queued again \(count) failed job\(count == 1 ? "" : "s")") }
        }
    }

    /// `emoscan queue clear`.
    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the queued and failed jobs.",
            discussion: """
                Running jobs finish; done jobs stay, so that queueing the same files again still skips \
                them; results are kept.
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try await storeOptions.open(logger: output.logger())
            let count = try await Console.storeCall { try await store.database.clearQueue() }
            if !output.quiet { Console.print("removed \(count) job\(count == 1 ? "" : "s")") }
        }
    }
}
