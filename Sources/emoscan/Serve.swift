import ArgumentParser
import Batch
import Foundation
import Logging
import Model
import Pipeline
import Server
import Store

/// `emoscan serve`: the HTTP API, with workers of its own on the store's queue.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API: upload a recording, poll for its result.",
        discussion: """
            A request queues the recording in the store, where the server's own workers (and any \
            'emoscan run' on the same store) analyse it; the answer is read back from the store. \
            Uploads are kept once, by content hash, in the uploads folder (the store's uploads/ by \
            default; give --uploads on a shared folder with a PostgreSQL store, so other machines' \
            workers read them).

            Without --token-file anyone who can reach the port may call it, so the server then \
            listens on loopback only. With one, every request but /health, /ready and \
            /openapi.yaml needs 'Authorization: Bearer <token>'.

            SIGTERM or Ctrl-C stops taking requests, puts the jobs in hand back in the queue and \
            exits 0. Each request is one log line on stderr (--log-format json for JSON).

            Endpoints: GET /openapi.yaml describes them all. Examples:
              emoscan serve --port 8080 --allow-root /data/interviews
              curl -T clip.mp4 localhost:8080/v1/analyses
              curl localhost:8080/v1/analyses/1
              curl -H 'Content-Type: application/json' -d '{"path": "/data/interviews/07.mp4"}' \\
                'localhost:8080/v1/analyses?wait=60'
            """
    )

    @Option(help: ArgumentHelp("Address to listen on (any other than loopback needs --token-file).", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Port to listen on (0: any free port, printed at start).", valueName: "port"))
    var port = 8080

    @Option(help: ArgumentHelp("Files analysed at once by this server (default: one per core).", valueName: "n"))
    var workers: Int?

    @Option(help: ArgumentHelp("A file of bearer tokens, one per line, that may call the API.", valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("The largest upload: bytes, or with kB, MB, GB.", valueName: "size"))
    var maxUpload = ByteSize(bytes: 2_000_000_000)

    @Option(
        name: .customLong("allow-root"),
        help: ArgumentHelp(
            "A folder whose files may be analysed by path (repeatable); symlinks out of it are refused.",
            valueName: "dir"))
    var allowedRoots: [String] = []

    @Option(help: ArgumentHelp("Where uploads are kept (default: the store folder's uploads/).", valueName: "dir"))
    var uploads: String?

    @Option(help: ArgumentHelp("The pipeline of a request that names none.", valueName: "name"))
    var pipeline = "default"

    @Option(help: ArgumentHelp("The one web origin browsers may call the API from (CORS).", valueName: "origin"))
    var cors: String?

    @Option(help: ArgumentHelp("Uploads received at once; more wait for a slot.", valueName: "n"))
    var maxConcurrentUploads = 16

    @Option(help: ArgumentHelp("Seconds a claim holds without renewal (as for 'run').", valueName: "seconds"))
    var lease: Double = 60

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if maxConcurrentUploads < 1 { throw ValidationError("--max-concurrent-uploads must be at least 1") }
        if tokenFile == nil, !ServerConfiguration.isLoopback(host) {
            throw ValidationError(
                "--host \(host) would let anyone on the network call the API: give --token-file, or keep the default 127.0.0.1"
            )
        }
        for root in allowedRoots where !FileManager.default.fileExists(atPath: root) {
            throw ValidationError("--allow-root \(root): no such folder")
        }
    }

    func run() async throws {
        let logger = output.logger(level: .info)
        let store = try await storeOptions.open(logger: logger)
        guard
            let uploadsFolder = uploads.map({ URL(fileURLWithPath: $0) })
                ?? store.root?.appendingPathComponent("uploads")
        else {
            throw ValidationError(
                "a database store has no folder for uploads: give --uploads DIR, on a folder every worker machine sees")
        }
        var configuration = ServerConfiguration(uploads: uploadsFolder.standardizedFileURL)
        configuration.host = host
        configuration.port = port
        configuration.tokens = try tokenFile.map(Self.tokens(in:)) ?? []
        configuration.maxUploadBytes = maxUpload.bytes
        configuration.allowedRoots = allowedRoots.map { URL(fileURLWithPath: $0).standardizedFileURL }
        configuration.defaultPipeline = pipeline
        configuration.corsOrigin = cors
        configuration.maxConcurrentUploads = maxConcurrentUploads

        var options = BatchRunner.Options()
        options.workers = workers ?? ProcessInfo.processInfo.activeProcessorCount
        options.lease = lease
        options.niceness = 19  // the analysis yields the cores to requests
        let runner = BatchRunner(store: store, options: options, logger: logger) { pipeline in
            try FileAnalyzer.pool(try PipelineLibrary.load(pipeline), count: 1, opencvThreads: 1, logger: logger)[0]
        }
        let server = APIServer(configuration: configuration, store: store, runner: runner, logger: logger)
        if configuration.tokens.isEmpty {
            logger.notice("no --token-file: any program on this machine may call the API (listening on loopback only)")
        }
        do {
            try await server.run(
                loadModels: { [pipeline] in
                    _ = try FileAnalyzer.pool(
                        try PipelineLibrary.load(pipeline), count: 1, opencvThreads: 1, logger: logger)
                },
                onListening: { port in
                    Console.print("emoscan serve: listening on http://\(host):\(port) (store: \(store.location))")
                })
        } catch let error as PipelineError {
            Console.error("pipeline \(pipeline): \(error)")
            throw ExitCode(Emoscan.usageErrorCode)
        } catch let error as StoreError {
            Console.error("\(error)")
            throw ExitCode(Emoscan.storeErrorCode)
        }
    }

    /// The tokens of `path`: one per line; blank lines and lines starting with # are left out.
    static func tokens(in path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--token-file \(path): cannot be read")
        }
        let tokens = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !tokens.isEmpty else { throw ValidationError("--token-file \(path): holds no token") }
        return tokens
    }
}

/// A size in bytes, as `--max-upload 2GB` gives it (decimal units: kB, MB, GB, TB).
struct ByteSize: ExpressibleByArgument {
    let bytes: Int64

    init(bytes: Int64) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("B", 1)]
        let (number, scale) =
            units.first { text.hasSuffix($0.0) }.map { (String(text.dropLast($0.0.count)), $0.1) }
            ?? (text, 1)
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value >= 1, value * scale < 9e18 else {
            return nil
        }
        bytes = Int64(value * scale)
    }

    static var defaultValueDescription: String { "e.g. 500MB, 2GB" }
    var defaultValueDescription: String { "\(bytes) bytes" }
}
