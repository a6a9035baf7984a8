import ArgumentParser
import Batch
import Dispatch
import Foundation
import Logging
import Pipeline
import Store

/// `emoscan run`: the queue's workers.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse the queued files: the workers of a batch.",
        discussion: """
            Each worker claims a job, analyses its file as 'emoscan analyze' would, writes the \
            result document and records it in the store, then claims the next. Several 'run' \
            processes (a cron job every few minutes, or one per machine on a shared store) may work \
            on one queue: no file is analysed twice.

            A claim is a lease, renewed while the worker lives: the job of a worker that dies \
            (kill -9, a crash, a reboot) returns to the queue when its lease runs out, or at once \
            when a later 'run' on the same machine sees its process is gone. A file that analyses \
            to 'failed' (corrupt, no audio or video) fails at once with its reason; a file that \
            cannot be read, or whose result cannot be written, is retried after 30 s, then 60 s, \
            and fails after its third attempt. 'emoscan queue retry-failed' queues failed jobs again.

            On several machines, give every 'run' the same PostgreSQL store (--store \
            postgres://user@host/db, or EMOSCAN_STORE) and the files at the same paths: claims, \
            leases and results are then the database's, idle workers wake when a job is queued, and \
            a server restart is waited out. EMOSCAN_HOST_ID names the machine where host names \
            repeat (containers).

            Ctrl-C (SIGINT) stops claiming and finishes the files in hand; a second Ctrl-C, or \
            SIGTERM, puts them back in the queue and exits at once. Either way 'run' again resumes.

            On a terminal a progress line shows done/total, rate, ETA and the file in hand; \
            otherwise each file is a log line on stderr (--log-format json for one JSON object per \
            line). A folder store's summary.csv is rewritten every 30 s and at the end.

            Examples:
              emoscan run --workers 2 --until-empty
              */10 * * * *  emoscan run --until-empty --max-time 9m --log-format json >> /var/log/emoscan.log 2>&1
              EMOSCAN_STORE=postgres://emoscan@db.internal/emoscan emoscan run --workers 2
            """
    )

    @Option(help: ArgumentHelp("Files analysed at once (default: one per core).", valueName: "n"))
    var workers: Int?

    @Flag(help: "Exit when nothing is queued or running, instead of waiting for new jobs.")
    var untilEmpty = false

    @Option(help: ArgumentHelp("Claim at most this many jobs, then exit.", valueName: "n"))
    var maxJobs: Int?

    @Option(
        help: ArgumentHelp(
            "Claim no new job after this long, then exit when the files in hand are done.",
            valueName: "duration"))
    var maxTime: DurationArgument?

    @Option(help: ArgumentHelp("OpenCV's own worker threads (-1: OpenCV's default).", valueName: "n"))
    var opencvThreads = 1

    @Option(
        help: ArgumentHelp(
            "Seconds a claim holds without renewal: how soon a dead worker's job is taken up "
                + "by another machine.", valueName: "seconds"))
    var lease: Double = 60

    @Option(
        help: ArgumentHelp(
            "Seconds before the first retry of a file that could not be read or saved; "
                + "doubled for each later one.", valueName: "seconds"))
    var retryDelay: Double = 30

    @Option(help: ArgumentHelp("Attempts before such a file is marked failed.", valueName: "n"))
    var maxAttempts = 3

    @Option(
        help: ArgumentHelp(
            "A file that changed since it was queued and is younger than this, or that changes while "
                + "it is analysed, is still being written: it goes back to the queue for this long, "
                + "without counting an attempt (default 30s).", valueName: "time"))
    var settle = DurationArgument(seconds: 30)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let maxJobs, maxJobs < 1 { throw ValidationError("--max-jobs must be at least 1") }
        if lease < 0.1 { throw ValidationError("--lease must be at least 0.1 s") }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
    }

    func run() async throws {
        let interactive = Console.isInteractive && !output.quiet
        // Without a terminal, each file is an info line; on one, the progress line says it.
        let logger = output.logger(level: interactive ? .warning : .info)
        let store = try await storeOptions.open(logger: logger)

        var options = BatchRunner.Options()
        options.workers = workers ?? ProcessInfo.processInfo.activeProcessorCount
        options.untilEmpty = untilEmpty
        options.maxJobs = maxJobs
        options.maxTime = maxTime.map { .milliseconds(Int64($0.seconds * 1000)) }
        options.lease = lease
        options.retry = RetryPolicy(maxAttempts: maxAttempts, firstDelay: retryDelay)
        options.settle = settle.seconds
        let runner = BatchRunner(store: store, options: options, logger: logger) { [opencvThreads] pipeline in
            try FileAnalyzer.pool(
                try PipelineLibrary.load(pipeline), count: 1, opencvThreads: opencvThreads, logger: logger)[0]
        }
        let signals = SignalHandling(runner: runner, progress: interactive ? ProgressLine() : nil)
        signals.install()

        let reporter = RunReporter(
            database: store.database, progress: signals.progress, logger: logger, quiet: output.quiet)
        let started = ContinuousClock.now
        let summary = await runner.run(onEvent: reporter.handle)
        reporter.finish()

        if let error = summary.storeError {
            Console.error("\(error)")
            _ = try? await store.database.release(runner.worker)
            throw ExitCode(Emoscan.storeErrorCode)
        }
        let elapsed = ProgressLine.duration(Double((ContinuousClock.now - started).components.seconds))
        if !output.quiet {
            Console.print(
                "run: \(summary.done) done, \(summary.failed) failed in \(elapsed) (\(summary.ending.rawValue))."
                    + " \(store.whereSummaryIs)")
        }
        if summary.ending == .stopped { throw ExitCode(130) }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

// MARK: - Reporting

/// Shows a run's events: a progress line on a terminal, log lines otherwise.
private final class RunReporter: @unchecked Sendable {
    private let database: any BatchStore
    private let progress: ProgressLine?
    private let logger: Logger
    private let quiet: Bool
    private let lock = NSLock()
    private var finished = 0
    private var inHand: [Int64: String] = [:]
    /// Set by `finish`: a redraw still reading the counts then draws nothing.
    private var ended = false

    init(database: any BatchStore, progress: ProgressLine?, logger: Logger, quiet: Bool) {
        self.database = database
        self.progress = progress
        self.logger = logger
        self.quiet = quiet
    }

    func handle(_ event: BatchRunner.Event) {
        switch event {
        case .claimed(let job):
            lock.withLock { inHand[job.id] = job.path }
            logger.debug(
                "claimed", metadata: ["file": "\(job.path)", "job": "\(job.id)", "attempt": "\(job.attempts)"])
        case .finished(let job, let result, let document):
            let count = lock.withLock {
                inHand[job.id] = nil
                finished += 1
                return finished
            }
            var metadata: Logger.Metadata = [
                "file": "\(job.path)", "status": "\(result.status.rawValue)",
                "document": "\(document?.path ?? "in the database")", "finished": "\(count)",
            ]
            if let emotion = result.aggregate.fused.emotion { metadata["emotion"] = "\(emotion)" }
            if let confidence = result.aggregate.fused.confidence {
                metadata["confidence"] = "\(String(format: "%.3f", confidence))"
            }
            if result.status == .failed {
                metadata["error"] = "\(result.error ?? "")"
                report("failed", line: result.error ?? "\(job.path): failed", metadata: metadata)
            } else {
                logger.info("analysed", metadata: metadata)
            }
        case .givenBack(let job, let reason, let state):
            lock.withLock { inHand[job.id] = nil }
            let what = state == .failed ? "failed" : "will be retried"
            report(
                state == .failed ? "failed" : "will be retried", line: "\(job.path): \(reason) (\(what))",
                metadata: ["file": "\(job.path)", "error": "\(reason)", "attempt": "\(job.attempts)"])
        case .leaseLost(let job):
            lock.withLock { inHand[job.id] = nil }
            logger.warning(
                "lease lost: another worker took the job; this result was not recorded",
                metadata: ["file": "\(job.path)"])
        case .warning(let text):
            logger.warning("\(text)")
        }
        redraw()
    }

    func finish() {
        lock.withLock {
            ended = true
            progress?.clear()
        }
    }

    /// A failure: a line above the progress bar on a terminal, else an error log line.
    private func report(_ message: String, line: String, metadata: Logger.Metadata) {
        if let progress {
            progress.print("emoscan: " + line)
        } else {
            logger.error("\(message)", metadata: metadata)
        }
    }

    /// Redraws the progress line from the store's counts, read off the worker's path.
    private func redraw() {
        guard progress != nil else { return }
        Task { [self] in
            guard let counts = try? await database.counts() else { return }
            show(counts)
        }
    }

    private func show(_ counts: QueueCounts) {
        guard let progress else { return }
        lock.withLock {
            guard !ended else { return }
            var line = "[\(finished)/\(finished + counts.remaining)]"
            if let rate = counts.perMinute { line += String(format: " %.1f files/min", rate) }
            if let eta = counts.etaSeconds, counts.remaining > 0 { line += " ETA " + ProgressLine.duration(eta) }
            if let current = inHand.values.sorted().first {
                line += "  " + URL(fileURLWithPath: current).lastPathComponent
            }
            progress.show(line)
        }
    }
}

// MARK: - Signals

/// SIGINT once: stop claiming, finish the files in hand. SIGINT twice, or SIGTERM: put the files
/// in hand back in the queue and exit at once (130 or 143).
private final class SignalHandling: @unchecked Sendable {
    let runner: BatchRunner
    let progress: ProgressLine?
    private var sources: [DispatchSourceSignal] = []

    init(runner: BatchRunner, progress: ProgressLine?) {
        self.runner = runner
        self.progress = progress
    }

    func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in handle(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    private func handle(_ signalNumber: Int32) {
        if signalNumber == SIGINT, !runner.stopRequest.isRequested {
            runner.stopRequest.request()
            let message =
                "emoscan: stopping after the files in hand (Ctrl-C again to put them back in the queue and stop now)"
            if let progress {
                progress.print(message)
            } else {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            return
        }
        progress?.clear()
        let released = Console.blocking { [runner] in (try? await runner.store.database.release(runner.worker)) ?? 0 }
        FileHandle.standardError.write(
            Data("emoscan: stopped; \(released) job\(released == 1 ? "" : "s") put back in the queue\n".utf8))
        exit(128 + signalNumber)
    }
}
