import Batch
import Foundation
import Logging
import ServiceLifecycle
import Store

/// The server's own workers: `BatchRunner` on the store's queue, as `emoscan run` runs it, as a
/// service beside the HTTP server. On a graceful shutdown (SIGTERM, SIGINT) it stops claiming and
/// puts the jobs in hand back in the queue, as `run` does on SIGTERM: they are redone from the
/// start by the next worker, and an analysis that finishes meanwhile is refused by the store.
public struct WorkerService: Service {
    public let runner: BatchRunner
    private let onEvent: @Sendable (BatchRunner.Event) -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - runner: the workers, with `untilEmpty` off: a server waits for work.
    ///   - logger: where each finished file and the stop are logged.
    ///   - onEvent: hears of every event (the metrics), from the workers' tasks.
    public init(runner: BatchRunner, logger: Logger, onEvent: @escaping @Sendable (BatchRunner.Event) -> Void) {
        self.runner = runner
        self.logger = logger
        self.onEvent = onEvent
    }

    public func run() async throws {
        let runner = runner, onEvent = onEvent
        // Whichever comes first: the run ends by itself (the store failed), or a shutdown is asked
        // for. The analysis in hand is not awaited: its job goes back to the queue.
        let (ends, end) = AsyncStream.makeStream(of: BatchRunner.Summary?.self)
        Task { end.yield(await runner.run(onEvent: onEvent)) }
        let shutdown = Task {
            try? await gracefulShutdown()
            end.yield(nil)
        }
        var iterator = ends.makeAsyncIterator()
        let summary = await iterator.next() ?? nil
        shutdown.cancel()
        if let error = summary?.storeError {
            logger.error("workers stopped: the store failed", metadata: ["error": "\(error)"])
            throw error
        }
        runner.stopRequest.request()
        let released = (try? await runner.store.database.release(runner.worker)) ?? 0
        logger.notice("workers stopped", metadata: ["jobs put back in the queue": "\(released)"])
    }
}
