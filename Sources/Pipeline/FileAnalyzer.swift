import AsyncAlgorithms
import Foundation
import Logging
import Media
import Vision

/// Analyses one file with one pipeline: the single function behind `emoscan analyze` and
/// every later way of running emoscan.
///
/// Loads the models once; `analyze` may then be called for any number of files. It never
/// throws for a bad file: the result says `failed` and why, so a batch always goes on.
public struct FileAnalyzer: Sendable {
    public let pipeline: ResolvedPipeline
    private let faces: FaceStage
    private let logger: Logger

    public init(pipeline: ResolvedPipeline, logger: Logger) throws {
        self.pipeline = pipeline
        self.logger = logger
        faces = FaceStage(filters: pipeline.definition.filters,
                          detector: try FaceDetector(options: pipeline.detectorOptions),
                          classifier: try FaceClassifier(spec: pipeline.faceModelSpec))
    }

    /// The result for the file at `path`.
    public func analyze(path: String) async -> FileResult {
        let clock = ContinuousClock()
        let started = clock.now
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var logger = self.logger
        logger[metadataKey: "file"] = "\(absolute)"

        async let digest = try? SHA256.hex(ofFileAt: absolute)
        var result = FileResult(
            status: .ok, error: nil,
            file: FileFacts(path: absolute, sizeBytes: Self.size(of: absolute), sha256: nil, container: nil,
                            durationSeconds: nil, streams: [], video: nil),
            pipeline: PipelineStamp(name: pipeline.definition.name, hash: pipeline.hash, settings: pipeline.definition),
            models: models, frames: [], aggregate: Aggregate(face: FaceAggregate(rows: [], labels: labels)),
            sampling: nil, timings: Timings(), warnings: [], analyzedAt: "")
        do {
            let (rows, video, visionSeconds) = try await runVideoBranch(path: absolute)
            result.frames = rows
            result.file.container = video.info.container
            result.file.durationSeconds = video.info.durationSeconds
            result.file.streams = video.info.streams
            result.file.video = video.info.video
            result.sampling = video.stats
            result.warnings += video.warnings
            result.timings.decodeSeconds = video.seconds
            result.timings.visionSeconds = visionSeconds
            result.aggregate.face = FaceAggregate(rows: rows, labels: labels)
            if result.aggregate.face.emotion == nil { result.warnings.append(Self.noFaceWarning(rows)) }
        } catch {
            result.status = .failed
            result.error = "\(error)"
            logger.warning("analysis failed", metadata: ["error": "\(error)"])
        }
        result.file.sha256 = await digest
        result.timings.totalSeconds = Self.seconds(clock.now - started)
        result.analyzedAt = Date().formatted(.iso8601)
        return result
    }

    // MARK: Video branch

    /// What decoding produced besides the frames themselves.
    private struct VideoOutcome: Sendable {
        var info: MediaInfo
        var stats: SamplingStats
        var warnings: [String]
        var seconds: Double
    }

    /// Decodes in one task and runs the face stage in another, joined by a channel that holds no
    /// frames of its own: the decoder waits while the classifier is busy, so memory stays flat.
    private func runVideoBranch(path: String) async throws -> ([FrameRow], VideoOutcome, Double) {
        let frames = AsyncThrowingChannel<SampledFrame, Error>()
        let options = pipeline.samplingOptions
        async let decoded = Self.decode(path: path, options: options, into: frames)

        let clock = ContinuousClock()
        var visionTime = Duration.zero
        var rows: [FrameRow] = []
        for try await frame in frames {
            let started = clock.now
            rows.append(try faces.process(frame))
            visionTime += clock.now - started
        }
        return (rows, try await decoded, Self.seconds(visionTime))
    }

    private static func decode(path: String, options: SamplingOptions,
                               into channel: AsyncThrowingChannel<SampledFrame, Error>) async throws -> VideoOutcome {
        let clock = ContinuousClock()
        var decodeTime = Duration.zero
        do {
            var started = clock.now
            let file = try MediaFile(path: path)
            let sampler = try FrameSampler(file: file, options: options)
            while !Task.isCancelled, let frame = try sampler.next() {
                decodeTime += clock.now - started
                await channel.send(frame)
                started = clock.now
            }
            decodeTime += clock.now - started
            channel.finish()
            return VideoOutcome(info: file.info, stats: sampler.stats, warnings: sampler.warnings,
                                seconds: seconds(decodeTime))
        } catch {
            channel.fail(error)
            throw error
        }
    }

    // MARK: Helpers

    private var labels: [String] { pipeline.definition.faceModel.labels }

    private var models: [ModelStamp] {
        let model = pipeline.definition.faceModel
        return [
            ModelStamp(role: "face_detector", name: "haarcascade_frontalface_default",
                       source: "OpenCV 4.6 (Debian opencv-data)", sha256: pipeline.cascadeSHA256, labels: ["face"]),
            ModelStamp(role: "face_emotion", name: model.name, source: model.source, sha256: model.sha256,
                       labels: model.labels),
        ]
    }

    private static func noFaceWarning(_ rows: [FrameRow]) -> String {
        let reasons = Dictionary(grouping: rows.compactMap(\.reason), by: \.rawValue)
            .map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
        return "no face accepted in \(rows.count) sampled frames" + (reasons.isEmpty ? "" : " (\(reasons))")
    }

    private static func size(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
