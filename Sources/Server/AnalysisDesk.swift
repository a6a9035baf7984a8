import Foundation
import Logging
import Media
import Model
import Store

/// Where analyses are asked for and looked up, for `/v1/analyses` and the seeds' aliases alike:
/// a recording (an upload kept in the uploads folder, or a file under an allowed root) is
/// probed, then queued for the workers, here or on any machine of the store.
struct AnalysisDesk: Sendable {
    let store: ResultStore
    let configuration: ServerConfiguration
    let uploads: UploadFolder
    let finished = FinishedAnalyses()

    /// A request's options: its pipeline and the queue's priority.
    struct Options: Sendable {
        var pipeline: PipelineChoice
        var priority = 0
    }

    /// Queues a kept upload.
    ///
    /// - Returns: the job (the earlier one, when this content was queued with this pipeline before), and its result
    ///   when it has one.
    /// - Throws: `Problem`; `StoreError` when the store fails.
    func submit(upload file: ReceivedFile, options: Options) async throws -> Analysis {
        let kept = try uploads.keep(file)
        return try await submit(path: kept.path, sha256: kept.sha256, stamp: kept.stamp, options: options)
    }

    /// Queues a file on this machine, which must lie under an allowed root once symlinks are resolved.
    ///
    /// - Throws: `Problem` 403 outside the roots, 400 or 404 for a file that cannot be read, 415 for one that is no
    ///   recording; `StoreError` when the store fails.
    func submit(path: String, options: Options) async throws -> Analysis {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        let allowed = configuration.allowedRoots.contains { root in
            let base = root.resolvingSymlinksInPath().standardizedFileURL.path
            return resolved == base || resolved.hasPrefix(base.hasSuffix("/") ? base : base + "/")
        }
        guard path.hasPrefix("/") else {
            throw Problem(.badRequest, "give the file's absolute path (got '\(path)')")
        }
        guard allowed else {
            throw Problem(
                .forbidden,
                configuration.allowedRoots.isEmpty
                    ? "this server analyses no files by path (start it with --allow-root DIR): upload the file instead"
                    : "\(path) is not under a folder this server may read ("
                        + configuration.allowedRoots.map(\.path).joined(separator: ", ") + "): upload it instead")
        }
        let stamp: FileStamp
        let sha256: String
        do {
            stamp = try FileStamp.check(resolved)
            _ = try MediaFile(path: resolved)
            sha256 =
                try await store.database.knownDigest(
                    path: resolved, sizeBytes: stamp.sizeBytes, modified: stamp.modified)
                ?? SHA256.hex(ofFileAt: resolved)
        } catch let error as MediaError {
            switch error {
            case .notFound: throw Problem(.notFound, "\(path): no such file")
            case .cannotOpen, .missingIndex:
                throw Problem(.unsupportedMediaType, "\(path) is not a recording FFmpeg can read (\(error.reason))")
            default: throw Problem(.badRequest, "\(path): \(error.reason)")
            }
        }
        return try await submit(path: resolved, sha256: sha256, stamp: stamp, options: options)
    }

    private func submit(path: String, sha256: String, stamp: FileStamp, options: Options) async throws -> Analysis {
        let pipeline = try options.pipeline.resolve(variants: uploads.root.appendingPathComponent(".pipelines"))
        let request = JobRequest(
            path: path, sha256: sha256, sizeBytes: stamp.sizeBytes, modified: stamp.modified,
            pipeline: pipeline.reference, pipelineHash: pipeline.hash, priority: options.priority)
        _ = try await store.database.enqueue([request], force: false)
        guard
            let job = try await store.database.jobs(JobQuery(sha256: sha256, pipelineHash: pipeline.hash, limit: 1))
                .first
        else {
            throw Problem(.conflict, "the job was removed as it was queued: send the request again")
        }
        return try await analysis(of: job)
    }

    /// The analysis `id`, with its result when finished; nil when there is no such job. A
    /// finished one may come from `finished`, up to its lifetime old.
    func analysis(_ id: Int64) async throws -> Analysis? {
        if let kept = finished.analysis(id) { return kept }
        guard let job = try await store.database.jobs(JobQuery(id: id, limit: 1)).first else { return nil }
        let analysis = try await analysis(of: job)
        finished.keep(analysis)
        return analysis
    }

    /// Waits for the analysis `id` to finish, for up to `seconds`; looks every 100 ms.
    ///
    /// - Returns: the analysis as it is when it finished or the time ran out; nil when the job is gone.
    func wait(for id: Int64, upTo seconds: TimeInterval) async throws -> Analysis? {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while true {
            guard let analysis = try await analysis(id) else { return nil }
            if analysis.isFinished || ContinuousClock.now >= deadline { return analysis }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// `job` with its result, when finished and when its file's latest result is this
    /// pipeline's (a later analysis of the same file with another pipeline replaces it).
    func analysis(of job: Job) async throws -> Analysis {
        guard job.state == .done || job.state == .failed,
            let stored = try await store.database.result(of: job.path), stored.entry.pipelineHash == job.pipelineHash
        else { return Analysis(job: job) }
        return Analysis(job: job, result: stored)
    }
}
