import Foundation
import Logging
import Media
import Store

/// `emoscan queue add`'s work once the files are found: digest each file's content (streamed,
/// never held) and queue it with a pipeline, skipping content already queued or done with that
/// pipeline.
///
/// A file whose path, size and modification time match a job already in the store reuses that
/// job's digest instead of reading the file again, so queueing a big directory a second time
/// costs a `stat` per file.
public struct Enqueuer: Sendable {
    /// What became of each file, by outcome.
    public struct Tally: Sendable, Equatable {
        public var added = 0
        public var requeued = 0
        /// Skipped because the same content is already in the store with the same pipeline, by its state.
        public var alreadyInStore: [JobState: Int] = [:]
        /// Skipped because the same content was met under another path.
        public var sameContentElsewhere = 0
        /// Could not be read to digest.
        public var unreadable: [String] = []

        public init() {}

        public var skipped: Int { alreadyInStore.values.reduce(0, +) + sameContentElsewhere + unreadable.count }
    }

    public let database: any BatchStore
    /// The pipeline's reference as workers will load it: a name, or an absolute path.
    public let pipeline: String
    public let pipelineHash: String
    public let priority: Int
    public let force: Bool
    /// Files per store transaction: few enough that progress moves, enough to make commits cheap.
    public var chunkSize = 64

    public init(
        database: any BatchStore, pipeline: String, pipelineHash: String, priority: Int = 0, force: Bool = false
    ) {
        self.database = database
        self.pipeline = pipeline
        self.pipelineHash = pipelineHash
        self.priority = priority
        self.force = force
    }

    /// Queues `paths` (absolute paths of media files); `progress` is called with the count handled
    /// so far after each chunk.
    ///
    /// - Parameters:
    ///   - paths: absolute paths of the media files, queued in this order, `chunkSize` to a transaction.
    ///   - progress: called after each chunk with how many files have been handled so far.
    /// - Returns: what became of the files, by outcome; a file that cannot be read is listed in `unreadable`.
    /// - Throws: `StoreError` when the store cannot be written; files already handled stay queued.
    public func add(_ paths: [String], progress: (Int) -> Void = { _ in }) async throws -> Tally {
        var tally = Tally()
        var handled = 0
        for start in stride(from: 0, to: paths.count, by: chunkSize) {
            var requests: [JobRequest] = []
            for path in paths[start..<min(start + chunkSize, paths.count)] {
                if let request = try await request(for: path) {
                    requests.append(request)
                } else {
                    tally.unreadable.append(path)
                }
            }
            for (request, outcome) in zip(requests, try await database.enqueue(requests, force: force)) {
                switch outcome {
                case .added: tally.added += 1
                case .requeued: tally.requeued += 1
                case .skipped(let state, let path) where path == request.path:
                    tally.alreadyInStore[state, default: 0] += 1
                case .skipped: tally.sameContentElsewhere += 1
                }
            }
            handled = min(start + chunkSize, paths.count)
            progress(handled)
        }
        return tally
    }

    /// The request for the file at `path`; nil when it cannot be read. Throws only the store's errors.
    private func request(for path: String) async throws -> JobRequest? {
        guard let stamp = FileStamp(path: path) else { return nil }
        guard
            let digest = try await database.knownDigest(
                path: path, sizeBytes: stamp.sizeBytes, modified: stamp.modified)
                ?? (try? SHA256.hex(ofFileAt: path))
        else { return nil }
        return JobRequest(
            path: path, sha256: digest, sizeBytes: stamp.sizeBytes, modified: stamp.modified, pipeline: pipeline,
            pipelineHash: pipelineHash, priority: priority)
    }
}
