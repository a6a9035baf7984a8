import AsyncAlgorithms
import Foundation
import Logging
import Media
import Model
import Vision
import Voice

/// Analyses one file with one pipeline: the single function behind `emoscan analyze` and
/// every later way of running emoscan.
///
/// Loads the models once; `analyze` may then be called for any number of files. The video branch
/// (sample → filter → detect → classify) and the voice branch (levels → speech segments →
/// features → classify) run concurrently and meet in the aggregate and fusion. It never throws
/// for a bad file: the result says `failed` and why, so a batch always goes on; one branch
/// failing leaves the other's answer, with a warning.
public struct FileAnalyzer: Sendable {
    public let pipeline: ResolvedPipeline
    private let faces: FaceStage?
    private let voice: VoiceStage?
    private let fusion: Fusion
    private let logger: Logger

    /// Loads the face cascade and the models of the branches `pipeline` turns on, once for every file analysed after.
    ///
    /// - Parameters:
    ///   - pipeline: the resolved pipeline to run.
    ///   - logger: where analyses log; each file's lines carry its path as `file` metadata.
    /// - Throws: `OpenCVError` when the cascade or a network cannot be loaded; `VoiceModelError`, `DecodingError` or
    ///   Foundation's read error when a trained voice model cannot be used.
    public init(pipeline: ResolvedPipeline, logger: Logger) throws {
        self.pipeline = pipeline
        self.logger = logger
        let definition = pipeline.definition
        faces =
            definition.modalities.face
            ? FaceStage(
                filters: definition.filters, detector: try FaceDetectorFactory.detector(for: pipeline.detectorOptions),
                classifier: try FaceClassifier(spec: pipeline.faceModelSpec))
            : nil
        voice =
            definition.modalities.voice
            ? VoiceStage(
                activity: definition.voice,
                classifier: try VoiceClassifier(spec: pipeline.voiceModelSpec, whisper: pipeline.whisperSpec?.path),
                language: try pipeline.whisperSpec.flatMap { whisper in
                    whisper.identifyLanguage
                        ? try SpokenLanguage(
                            weights: WhisperWeights.shared(path: whisper.path), noSpeechAbove: whisper.noSpeechAbove)
                        : nil
                }, maxSpeechSeconds: definition.sampling.maxSpeechSeconds)
            : nil
        fusion = Fusion(settings: definition.fusion, labels: definition.faceModel.labels)
    }

    /// The result for the file at `path`. `knownSHA256`, when the caller has just read the
    /// file's digest (the queue did, to skip repeated work), saves reading the whole file again.
    ///
    /// - Parameters:
    ///   - path: the file; made absolute and standardized, the path the result names.
    ///   - knownSHA256: the file's digest when the caller has just read it; nil to read the file for it.
    /// - Returns: the result; its `status` is `failed`, and `error` says why, when the file cannot be opened, has no
    ///   stream a branch can use, or every branch that ran failed.
    public func analyze(path: String, knownSHA256: String? = nil) async -> FileResult {
        let clock = ContinuousClock()
        let started = clock.now
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var logger = self.logger
        logger[metadataKey: "file"] = "\(absolute)"

        // Checked before anything opens it: a FIFO would block the digest and FFmpeg forever.
        let before = Result { try FileStamp.check(absolute, allowingEmpty: true) }
        let readable = try? before.get()
        async let digest = readable == nil ? nil : knownSHA256 ?? (try? SHA256.hex(ofFileAt: absolute))
        var result = FileResult(
            status: .ok, error: nil,
            file: FileFacts(
                path: absolute, sizeBytes: readable.map { Int($0.sizeBytes) }, sha256: nil,
                container: nil, durationSeconds: nil, streams: [], video: nil, audio: nil),
            pipeline: PipelineStamp(name: pipeline.definition.name, hash: pipeline.hash, settings: pipeline.definition),
            models: pipeline.models, frames: [], voice: .absent(voice == nil ? .disabled : .noAudio),
            aggregate: Aggregate(face: nil, voice: nil, fused: fusion.fuse(face: nil, voice: nil)),
            sampling: nil, timings: Timings(), warnings: [], analyzedAt: "")
        do {
            let stamp = try before.get()
            let info = try MediaFile(path: absolute, maxPixels: pipeline.definition.sampling.maxPixels).info
            result.file.container = info.container
            result.file.durationSeconds = info.durationSeconds
            result.file.streams = info.streams
            result.file.video = info.video
            result.file.audio = info.audio
            try await runBranches(on: info, path: absolute, into: &result, logger: logger)
            if FileStamp(path: absolute) != stamp {
                result.warnings.append(
                    "the file changed while it was analysed (still being written?): "
                        + "the result is for the \(stamp.sizeBytes) bytes it held when analysis began")
            }
        } catch {
            result.status = .failed
            result.error = "\(error)"
            logger.warning("analysis failed", metadata: ["error": "\(error)"])
        }
        result.file.sha256 = await digest
        result.timings.totalSeconds = seconds(clock.now - started)
        result.analyzedAt = Date().formatted(.iso8601)
        return result
    }

    // MARK: Branches

    /// Runs the branches the file and pipeline call for, side by side, and fills in their answers;
    /// throws only when no branch could give one.
    private func runBranches(
        on info: MediaInfo, path: String, into result: inout FileResult, logger: Logger
    ) async throws {
        let runFace = faces != nil && info.video != nil
        let runVoice = voice != nil && info.audio != nil
        guard runFace || runVoice else {
            if faces != nil, voice == nil { throw MediaError.noVideoStream(path: path) }
            if voice != nil, faces == nil { throw MediaError.noAudioStream(path: path) }
            throw MediaError.cannotOpen(path: path, reason: "no video or audio stream")
        }
        async let videoOutcome = runFace ? Self.capture { try await runVideoBranch(faces!, path: path) } : nil
        async let voiceOutcome = runVoice ? Self.capture { try await voice!.run(path: path) } : nil
        let (video, audio) = await (videoOutcome, voiceOutcome)

        var errors: [String] = []
        switch video {
        case .success(let (rows, outcome, visionSeconds)):
            result.frames = rows
            result.sampling = outcome.stats
            result.warnings += outcome.warnings
            result.timings.decodeSeconds = outcome.seconds
            result.timings.visionSeconds = visionSeconds
            let face = FaceAggregate(rows: rows, labels: pipeline.definition.faceModel.labels)
            result.aggregate.face = face
            if face.emotion == nil { result.warnings.append(Self.noFaceWarning(rows)) }
        case .failure(let error):
            errors.append("\(error)")
            result.warnings.append("video: \(error)")
            logger.warning("video branch failed", metadata: ["error": "\(error)"])
        case nil:
            break
        }
        switch audio {
        case .success(let outcome):
            result.voice = outcome.report
            result.warnings += outcome.warnings
            result.timings.voiceSeconds = outcome.seconds
            result.aggregate.voice = VoiceAggregate(
                segments: outcome.report.segments,
                labels: pipeline.definition.voiceModel.labels, temperature: voice?.classifier.temperature ?? 1)
            result.aggregate.language = outcome.language
            if let warning = Self.noSpeechWarning(outcome.report, hasVideo: runFace) { result.warnings.append(warning) }
        case .failure(let error):
            errors.append("\(error)")
            result.voice = .absent(.failed, error: "\(error)")
            result.warnings.append("audio: \(error)")
            logger.warning("voice branch failed", metadata: ["error": "\(error)"])
        case nil:
            if voice != nil, info.video != nil, !info.isStillImage {
                result.warnings.append("no audio stream: face-only result")
            }
        }
        let branchesRun = (runFace ? 1 : 0) + (runVoice ? 1 : 0)
        if errors.count == branchesRun { throw AnalysisError(reasons: errors) }
        // Both branches see a cut-off file end; said once, with the longer of what they found.
        let truncations = [try? video?.get().1.truncation, try? audio?.get().truncation].compactMap { $0 ?? nil }
        if let truncation = truncations.max(by: { $0.contentSeconds < $1.contentSeconds }) {
            result.warnings.insert(truncation.description, at: 0)
            result.file.contentSeconds = truncation.contentSeconds
        } else if let content = result.sampling?.contentSeconds {
            result.file.contentSeconds = content
        }
        result.aggregate.fused = fusion.fuse(face: result.aggregate.face, voice: result.aggregate.voice)
    }

    /// Every branch that ran failed; the message is theirs (one line each).
    private struct AnalysisError: Error, CustomStringConvertible {
        let reasons: [String]
        var description: String { reasons.joined(separator: "; ") }
    }

    private static func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    // MARK: Video branch

    /// What decoding produced besides the frames themselves.
    private struct VideoOutcome: Sendable {
        var info: MediaInfo
        var stats: SamplingStats
        var truncation: Truncation?
        var warnings: [String]
        var seconds: Double
    }

    /// Decodes in one task and runs the face stage in another, joined by a channel that holds no
    /// frames of its own: the decoder waits while the classifier is busy, so memory stays flat.
    private func runVideoBranch(_ faces: FaceStage, path: String) async throws -> ([FrameRow], VideoOutcome, Double) {
        let frames = AsyncThrowingChannel<SampledFrame, Error>()
        let options = pipeline.definition.sampling
        async let decoded = Self.decode(path: path, options: options, into: frames)

        let clock = ContinuousClock()
        var visionTime = Duration.zero
        var rows: [FrameRow] = []
        for try await frame in frames {
            let started = clock.now
            rows.append(try faces.process(frame, previous: rows.last?.faces.map(\.box) ?? []))
            visionTime += clock.now - started
        }
        return (rows, try await decoded, seconds(visionTime))
    }

    private static func decode(
        path: String, options: SamplingOptions,
        into channel: AsyncThrowingChannel<SampledFrame, Error>
    ) async throws -> VideoOutcome {
        let clock = ContinuousClock()
        var decodeTime = Duration.zero
        do {
            var started = clock.now
            let file = try MediaFile(path: path, maxPixels: options.maxPixels)
            let sampler = try FrameSampler(file: file, options: options)
            while !Task.isCancelled, let frame = try sampler.next() {
                decodeTime += clock.now - started
                await channel.send(frame)
                started = clock.now
            }
            decodeTime += clock.now - started
            channel.finish()
            return VideoOutcome(
                info: file.info, stats: sampler.stats, truncation: sampler.truncation, warnings: sampler.warnings,
                seconds: Pipeline.seconds(decodeTime))
        } catch {
            channel.fail(error)
            throw error
        }
    }

    // MARK: Helpers

    private static func noFaceWarning(_ rows: [FrameRow]) -> String {
        let reasons = Dictionary(grouping: rows.compactMap(\.reason), by: \.rawValue)
            .map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
        return "no face accepted in \(rows.count) sampled frames" + (reasons.isEmpty ? "" : " (\(reasons))")
    }

    /// Why the voice gave no answer, said once; nil when it gave one.
    private static func noSpeechWarning(_ report: VoiceReport, hasVideo: Bool) -> String? {
        let consequence = hasVideo ? ": face-only result" : ""
        switch report.status {
        case .silent:
            return "audio is silent (loudest frames \(Int((report.loudDb ?? 0).rounded())) dBFS)" + consequence
        case .noSpeech:
            let others = report.segments.count
            return "no speech in the audio" + (others > 0 ? " (\(others) stretches of other sound)" : " (steady sound)")
                + consequence
        case .tooShort:
            return "audio too short to hold speech (\(String(format: "%.2f", report.audioSeconds ?? 0)) s)"
                + consequence
        default:
            return nil
        }
    }
}

/// A `Duration` in seconds.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
