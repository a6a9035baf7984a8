import Batch
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Pipeline
import ServiceLifecycle
import Store

/// `emoscan serve`: the HTTP API and the server's own workers on one store, run until SIGTERM
/// or SIGINT. A request queues a job; the workers (these, or `emoscan run` on any machine of the
/// store) analyse it; the answer is read back from the store. Nothing of a job lives only in
/// this process, so a restart loses nothing.
public struct APIServer: Sendable {
    public let configuration: ServerConfiguration
    public let store: ResultStore
    public let runner: BatchRunner
    public let metrics = ServerMetrics()
    private let logger: Logger

    /// - Parameters:
    ///   - configuration: where to listen and what to accept.
    ///   - store: the queue and results.
    ///   - runner: the workers (`untilEmpty` off), on `store`.
    ///   - logger: one line per request and per finished file.
    public init(configuration: ServerConfiguration, store: ResultStore, runner: BatchRunner, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.runner = runner
        self.logger = logger
    }

    /// The router with every route and middleware: what `run` serves.
    ///
    /// - Returns: the router, its middleware in order: request log, CORS, problems, tokens.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger, metrics: metrics))
        if let origin = configuration.corsOrigin {
            router.add(
                middleware: CORSMiddleware(
                    allowOrigin: .custom(origin), allowHeaders: [.accept, .authorization, .contentType, .origin],
                    allowMethods: [.get, .post, .delete, .options]))
        }
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: BearerTokenMiddleware(tokens: configuration.tokens))
        let desk = AnalysisDesk(
            store: store, configuration: configuration, uploads: UploadFolder(root: configuration.uploads))
        let receiver = UploadReceiver(
            folder: configuration.uploads, maxBytes: configuration.maxUploadBytes, timeout: configuration.uploadTimeout,
            metrics: metrics)
        let analyses = AnalysisRoutes(
            desk: desk, receiver: receiver, slots: UploadSlots(configuration.maxConcurrentUploads),
            configuration: configuration)
        analyses.add(to: router)
        ResultRoutes(desk: desk).add(to: router)
        ReportRoutes(desk: desk).add(to: router)
        CatalogRoutes().add(to: router)
        HealthRoutes(store: store, metrics: metrics).add(to: router)
        SeedRoutes(analyses: analyses).add(to: router)
        return router
    }

    /// Serves until SIGTERM or SIGINT, then stops taking requests, puts the workers' jobs back in
    /// the queue and returns.
    ///
    /// - Parameters:
    ///   - loadModels: loads the default pipeline's models before the server listens, so that `/ready` never answers
    ///     before them; a missing model fails the start.
    ///   - onListening: called with the port once the server listens (the one chosen, for port 0).
    /// - Throws: when the address cannot be bound, the models do not load, or the store fails.
    public func run(
        loadModels: @escaping @Sendable () throws -> Void, onListening: @escaping @Sendable (Int) -> Void
    ) async throws {
        try loadModels()
        let metrics = metrics
        let logger = logger
        let workers = WorkerService(runner: runner, logger: logger) { event in
            switch event {
            case .claimed(let job):
                logger.debug(
                    "claimed", metadata: ["file": "\(job.path)", "job": "\(job.id)", "attempt": "\(job.attempts)"])
            case .finished(let job, let result, _):
                metrics.finished(result)
                var metadata: Logger.Metadata = [
                    "file": "\(job.path)", "job": "\(job.id)", "status": "\(result.status)",
                ]
                if let emotion = result.aggregate.fused.emotion { metadata["emotion"] = "\(emotion)" }
                if let error = result.error { metadata["error"] = "\(error)" }
                logger.info("analysed", metadata: metadata)
            case .givenBack(let job, let reason, let state):
                logger.warning(
                    "not analysed",
                    metadata: ["file": "\(job.path)", "error": "\(reason)", "state": "\(state.rawValue)"])
            case .leaseLost(let job):
                logger.warning("lease lost: another worker took the job", metadata: ["file": "\(job.path)"])
            case .warning(let text):
                logger.warning("\(text)")
            }
        }
        let application = Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "emoscan"),
            services: [workers],
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
