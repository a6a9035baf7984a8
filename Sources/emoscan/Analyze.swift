import ArgumentParser
import Foundation
import Logging
import Model
import Pipeline
import Store

/// `emoscan analyze FILE...`: analyse files now and write their results.
struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse recordings or images and write their results.",
        discussion: """
            Any format FFmpeg reads works: video (mp4, mov, mkv, avi, mpg, webm, ...), audio (wav, \
            flac, mp3, m4a, ogg, opus, ...) and still images (jpg, png: one frame). A video's faces \
            and voice are analysed side by side and fused; an audio file gets a voice-only result; a \
            video with no audio stream or a silent one gets a face-only result with a warning.

            Each file gets Results/files/<name>-<hash>.json, an entry in the store's index (see \
            'emoscan results') and a row in Results/summary.csv \
            (columns: \(ResultEntry.columns.joined(separator: ","))). A file that cannot be \
            analysed gets a row with status 'failed' and the reason; the others go on. The default \
            pipeline also names the spoken language (--no-language: not).

            Examples:
              emoscan analyze interview.mp4
              emoscan analyze --max-frames 60 --store /data/results clips/*.mp4
              emoscan analyze --no-video calls/*.m4a
              emoscan analyze --json photo.jpg | jq .aggregate.face
            """
    )

    @Argument(help: ArgumentHelp("Files to analyse.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("Pipeline name (in Pipelines/) or path to a .yml file.", valueName: "name|path"))
    var pipeline = "default"

    @Option(
        help: ArgumentHelp(
            "Frames to sample per file, spread evenly over its duration (default: the pipeline's, 21).",
            valueName: "n"))
    var maxFrames: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds of speech to classify per file, in segments spread evenly over it (default: the "
                + "pipeline's, 60 in the default pipeline: Whisper's share of a long recording's time).",
            valueName: "seconds"))
    var maxSpeechSeconds: Double?

    @Flag(help: "Skip the audio: faces only (a file without video then fails).")
    var noAudio = false

    @Flag(help: "Skip the video: voice only (a file without audio then fails).")
    var noVideo = false

    @Flag(help: "Do not identify the spoken language (a pipeline with a whisper: section does by default).")
    var noLanguage = false

    @Option(help: ArgumentHelp("Files analysed at once (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "OpenCV's own worker threads (-1: OpenCV's default, one per core). emoscan already runs "
                + "files and their face and voice branches side by side, so more only competes with them.",
            valueName: "n"))
    var opencvThreads = 1

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print each file's JSON document (one per line) instead of the human summary.")
    var json = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be at least 1") }
        if let maxSpeechSeconds, !(maxSpeechSeconds >= 1) {
            throw ValidationError("--max-speech-seconds must be at least 1")
        }
        if noAudio && noVideo { throw ValidationError("--no-audio and --no-video leave nothing to analyse") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let logger = output.logger()
        let analyzers: [FileAnalyzer]
        do {
            let resolved = try PipelineLibrary.load(pipeline) { definition in
                if let maxFrames { definition.sampling.maxFrames = maxFrames }
                if let maxSpeechSeconds { definition.sampling.maxSpeechSeconds = maxSpeechSeconds }
                if noAudio { definition.modalities.voice = false }
                if noVideo { definition.modalities.face = false }
                if noLanguage { definition.whisper?.identifyLanguage = false }
            }
            analyzers = try FileAnalyzer.pool(
                resolved, count: min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, files.count),
                opencvThreads: opencvThreads, logger: logger)
        } catch {
            Console.error("\(error)")
            throw ExitCode(Emoscan.usageErrorCode)
        }
        let store = try await storeOptions.open(logger: logger)

        var failed = 0
        var storeFailed = false
        var position = 0
        for await result in Self.analyze(files, with: analyzers) {
            position += 1
            if result.status == .failed {
                failed += 1
                Console.error(result.error ?? "\(result.file.path): failed")
            }
            do {
                try await store.save(result)
                if json {
                    Console.print(String(decoding: try ResultStore.encode(result, pretty: false), as: UTF8.self))
                } else if !output.quiet {
                    Console.print(Console.line(for: result, position: position, of: files.count))
                }
            } catch {
                failed += 1
                storeFailed = storeFailed || error is StoreError
                Console.error("\(result.file.path): result not saved: \(error)")
            }
        }
        do {
            try await store.writeSummary()
        } catch {
            Console.error("summary.csv not written: \(error)")
        }
        if !output.quiet && !json {
            Console.print(
                "\(files.count) file\(files.count == 1 ? "" : "s"): \(files.count - failed) ok, \(failed) failed."
                    + " \(store.whereSummaryIs)")
        }
        if storeFailed { throw ExitCode(Emoscan.storeErrorCode) }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Results of `files` as they finish, each analysed by whichever analyzer is free: as many
    /// files at once as there are analyzers. Handed on at once rather than put back in input
    /// order, which would hold every later result while one long recording is still running.
    private static func analyze(_ files: [String], with analyzers: [FileAnalyzer]) -> AsyncStream<FileResult> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                await forEachConcurrently(
                    files, workers: analyzers, { file, analyzer in await analyzer.analyze(path: file) }
                ) {
                    continuation.yield($1)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
