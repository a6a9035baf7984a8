import Foundation
import Logging
import Media
import Model
import Pipeline
import Vision

/// Which of the pipeline's answers is scored.
public enum Modality: String, CaseIterable, Sendable {
    /// The face model: on face crops directly, on recordings through the video branch (`aggregate.face`).
    case face
    /// The voice model through the voice branch (`aggregate.voice`), in the voice model's own labels.
    case voice
    /// Both branches fused (`aggregate.fused`), in the face model's labels.
    case fused

    /// What is scored unless told otherwise: faces for face crops, the fused answer for recordings
    /// with video, the voice for audio.
    ///
    /// - Parameter files: the labelled files to be scored.
    /// - Returns: `face` when any is a face crop, else `fused` when any has video, else `voice` (for no files too).
    public static func preferred(for files: [LabelledFile]) -> Modality {
        let media = Set(files.map(\.media))
        if media.contains(.faceCrop) { return .face }
        return media.contains(.video) ? .fused : .voice
    }

    /// Why this modality cannot be scored on files of these kinds; nil when it can.
    ///
    /// - Parameter media: the kinds of the files to be scored.
    /// - Returns: a sentence saying what is wrong and which `--modality` to use instead; nil when this one can be
    ///   scored.
    public func problem(with media: Set<Corpus.MediaKind>) -> String? {
        switch self {
        case .face where media.contains(.audio):
            return "audio recordings have no faces: use --modality voice or fused"
        case .voice where media.contains(.faceCrop), .fused where media.contains(.faceCrop):
            return "face crops have no voice: use --modality face"
        default:
            return nil
        }
    }
}

/// One file's answer: a model label, or nil and why there is none.
public struct Prediction: Sendable {
    public var path: String
    public var label: String?
    /// `no face`, `no speech`, `silent`, `no audio`, `failed: <error>`; nil when there is a label.
    public var reason: String?
    /// The model's confidence in `label`; nil when there is none.
    public var confidence: Double?
}

/// Runs a corpus's files through emoscan and scores the answers of one modality.
///
/// Recordings go through `FileAnalyzer`, the function behind `emoscan analyze`, so the figures
/// are what users get (sampling, quality filters, speech segmenting and fusion included). Face
/// crops (FER2013, CK+) are classified as they are, without detection: the Haar cascade often
/// misses faces cropped that tight, and these sets measure the classifier. As `analyze` does,
/// each worker has its own analyzer and networks, and the workers take files as they free up.
public struct Evaluator: Sendable {
    public let modality: Modality
    public let pipeline: ResolvedPipeline
    private let workers: [Worker]

    private struct Worker: Sendable {
        let analyzer: FileAnalyzer
        /// For face crops (`face` only).
        let crops: FaceClassifier?
    }

    /// The pipeline `nameOrPath` with exactly the branches `modality` needs turned on, so that a
    /// voice evaluation neither spends time on faces nor needs the face model, and the other way round.
    ///
    /// - Parameters:
    ///   - nameOrPath: a pipeline name in `Pipelines/`, or a path to a `.yml` file.
    ///   - modality: what will be scored: `face` turns the voice branch off, `voice` the face branch, `fused` neither.
    /// - Returns: the resolved pipeline, with only those branches on.
    /// - Throws: `PipelineError` when the pipeline cannot be found, read or resolved (a model of a branch that runs is
    ///   missing or has another digest); `MediaError` when a model or the cascade cannot be read to digest it.
    public static func pipeline(_ nameOrPath: String, for modality: Modality) throws -> ResolvedPipeline {
        try PipelineLibrary.load(nameOrPath) { definition in
            definition.modalities.face = modality != .voice
            definition.modalities.voice = modality != .face
        }
    }

    /// Loads the models for `workers` files at a time.
    ///
    /// Like `FileAnalyzer.pool`, it sets OpenCV's own thread pool to one thread, for the whole process.
    ///
    /// - Parameters:
    ///   - pipeline: the pipeline to run, as `pipeline(_:for:)` made it.
    ///   - modality: which answer is scored; `face` also loads a face model per worker for ready-made crops.
    ///   - workers: files analysed at once (at least one), each worker with its own analyzer and networks.
    ///   - logger: where the analyzers log.
    /// - Throws: `OpenCVError` when the cascade or a network cannot be loaded; `VoiceModelError`, `DecodingError` or
    ///   Foundation's read error when a trained voice model cannot be used.
    public init(pipeline: ResolvedPipeline, modality: Modality, workers: Int, logger: Logger) throws {
        self.pipeline = pipeline
        self.modality = modality
        self.workers = try FileAnalyzer.pool(pipeline, count: workers, logger: logger).map { analyzer in
            Worker(
                analyzer: analyzer, crops: modality == .face ? try FaceClassifier(spec: pipeline.faceModelSpec) : nil)
        }
    }

    /// The labels answers come in: the voice model's for `voice`, the face model's otherwise
    /// (fusion maps the voice into them).
    public var labels: [String] {
        modality == .voice ? pipeline.definition.voiceModel.labels : pipeline.definition.faceModel.labels
    }

    /// The models whose answers are scored.
    public var models: [ModelStamp] {
        pipeline.models.filter { $0.role.hasSuffix("_emotion") }
    }

    // MARK: Evaluating

    /// Scores the listing's files whose labels `labelMap` can map; the others are counted in
    /// `excluded`. `progress` hears of each file as it finishes (files done, files to do).
    ///
    /// - Parameters:
    ///   - listing: the corpus's files, labelled in the corpus's words.
    ///   - labelMap: how those labels become the model's; a file whose label it excludes is counted, not scored.
    ///   - progress: called on the caller's task as each scored file finishes, in finishing order, with the files
    ///     done so far, the files to score in all, and the file's prediction.
    /// - Returns: the report: the scores, what was evaluated, the mapping's notes, the excluded and unlabelled counts,
    ///   and one row per scored file.
    public func evaluate(
        _ listing: CorpusListing, labelMap: LabelMap,
        progress: (_ done: Int, _ total: Int, Prediction) -> Void = { _, _, _ in }
    ) async
        -> ClassificationReport
    {
        var excluded: [String: Int] = [:]
        var scored: [(file: LabelledFile, truth: String)] = []
        for file in listing.files {
            if let truth = labelMap.map(file.label) {
                scored.append((file, truth))
            } else {
                excluded[file.label, default: 0] += 1
            }
        }
        let predictions = await predict(scored.map(\.file), progress: progress)

        var report = ClassificationReport(
            truth: scored.map(\.truth), predicted: predictions.map(\.label), labels: labels,
            confidences: predictions.map(\.confidence))
        report.dataset = listing.corpus.rawValue
        report.modality = modality.rawValue
        report.pipeline = ClassificationReport.PipelineInfo(name: pipeline.definition.name, hash: pipeline.hash)
        report.models = models
        report.mapping = labelMap.notes
        report.excluded = excluded
        report.unlabelled = listing.unlabelled.count
        report.leftOut = listing.leftOut
        for prediction in predictions where prediction.label == nil {
            let reason = prediction.reason?.split(separator: ":").first.map(String.init) ?? "unknown"
            report.noPredictionReasons[reason, default: 0] += 1
        }
        report.files = zip(scored, predictions).map { item, prediction in
            ClassificationReport.FileRow(
                path: item.file.path, speaker: item.file.speaker, label: item.file.label,
                truth: item.truth,
                predicted: prediction.label ?? ClassificationReport.noPredictionLabel,
                reason: prediction.reason, confidence: prediction.confidence)
        }
        return report
    }

    /// Each file's answer, in the order of `files`; as many files at once as there are workers.
    ///
    /// - Parameters:
    ///   - files: the files to answer for.
    ///   - progress: called on the caller's task as each file finishes, in finishing order, with the files done so
    ///     far, `files.count`, and the file's prediction.
    /// - Returns: one prediction per file, in the order of `files`; a file without an answer has a nil label and the
    ///   reason.
    public func predict(
        _ files: [LabelledFile],
        progress: (_ done: Int, _ total: Int, Prediction) -> Void = { _, _, _ in }
    ) async -> [Prediction] {
        var predictions = [Prediction?](repeating: nil, count: files.count)
        var done = 0
        await forEachConcurrently(
            files, workers: workers, { file, worker in await predict(file, with: worker) },
            finished: { index, prediction in
                predictions[index] = prediction
                done += 1
                progress(done, files.count, prediction)
            })
        return predictions.map { $0! }
    }

    private func predict(_ file: LabelledFile, with worker: Worker) async -> Prediction {
        if file.media == .faceCrop, let crops = worker.crops {
            return Self.classify(crop: file.path, with: crops)
        }
        let result = await worker.analyzer.analyze(path: file.path)
        let (label, reason, confidence) = Self.answer(of: result, for: modality)
        return Prediction(path: file.path, label: label, reason: reason, confidence: confidence)
    }

    /// The face model's top label for a ready-made crop.
    private static func classify(crop path: String, with classifier: FaceClassifier) -> Prediction {
        do {
            let probabilities = try classifier.classify(crop: try FaceCrop.load(path: path))
            // Ties go to the earlier label, as in the aggregates.
            guard let best = TopLabel.index(of: probabilities.map(Double.init)) else {
                return Prediction(path: path, label: nil, reason: "failed: the face model gave no output")
            }
            return Prediction(
                path: path, label: classifier.spec.labels[best], reason: nil, confidence: Double(probabilities[best]))
        } catch {
            return Prediction(path: path, label: nil, reason: "failed: \(error)")
        }
    }

    /// The modality's answer in `result`, or why it has none.
    static func answer(
        of result: FileResult, for modality: Modality
    ) -> (label: String?, reason: String?, confidence: Double?) {
        guard result.status == .ok else { return (nil, "failed: \(result.error ?? "unknown error")", nil) }
        let aggregate = result.aggregate
        switch modality {
        case .face:
            if let emotion = aggregate.face?.emotion { return (emotion, nil, aggregate.face?.confidence) }
            return (nil, aggregate.face == nil ? "no video" : "no face", nil)
        case .voice:
            if let emotion = aggregate.voice?.emotion { return (emotion, nil, aggregate.voice?.confidence) }
            return (nil, voiceGap(result.voice), nil)
        case .fused:
            if let emotion = aggregate.fused.emotion { return (emotion, nil, aggregate.fused.confidence) }
            return (nil, "no face and \(voiceGap(result.voice))", nil)
        }
    }

    /// Why the voice branch gave no answer, in a few words.
    private static func voiceGap(_ report: VoiceReport) -> String {
        switch report.status {
        case .silent: return "silent"
        case .tooShort: return "audio too short"
        case .noAudio: return "no audio"
        case .disabled: return "voice off"
        case .failed: return "failed: \(report.error ?? "audio unreadable")"
        case .speech, .noSpeech: return "no speech"
        }
    }
}
