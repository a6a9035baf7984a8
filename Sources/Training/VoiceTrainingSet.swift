import Evaluation
import Foundation
import Model
import Pipeline
import Store
import Voice

/// The samples `emoscan train voice` learns from: each labelled file's speech segments, cut as
/// the pipeline cuts them for analysis, with a feature set (`SegmentFeatures`) computed on each.
public struct VoiceTrainingSet: Sendable {
    /// The classes of emoscan's own voice model: RAVDESS's eight, in RAVDESS's order.
    public static let labels = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]

    /// A file to learn from: its path, its label in the model's words, and who speaks.
    public struct Item: Sendable {
        public var path: String
        public var label: String
        /// Unique across corpora (`ravdess:05`); a labelled store file is its own speaker.
        public var speaker: String
        public var corpus: String

        public init(path: String, label: String, speaker: String, corpus: String) {
            self.path = path
            self.label = label
            self.speaker = speaker
            self.corpus = corpus
        }
    }

    public var samples: [VoiceTrainer.Sample] = []
    /// Files in which the segmenter found no speech, or that could not be read, with why.
    public var skipped: [(path: String, reason: String)] = []

    public init() {}

    /// The items of a corpus listing whose labels map onto the model's, and the mapping's notes.
    ///
    /// - Parameter listing: The corpus's labelled files.
    /// - Returns: The items, each speaker prefixed by the corpus (`ravdess:05`; the file's path when the corpus names
    ///   none), and the strict label map used, whose notes say which labels were excluded.
    public static func items(from listing: CorpusListing) -> (items: [Item], map: LabelMap) {
        let map = LabelMap(corpus: listing.corpus, modelLabels: labels, strict: true)
        let items = listing.files.compactMap { file -> Item? in
            guard let label = map.map(file.label) else { return nil }
            let corpus = listing.corpus.rawValue
            return Item(
                path: file.path, label: label, speaker: "\(corpus):\(file.speaker ?? file.path)", corpus: corpus)
        }
        return (items, map)
    }

    /// The items of a store's human labels whose emotion the model has; each labelled file is its own speaker.
    ///
    /// - Parameter labels: The store's human labels.
    /// - Returns: One item per label the model has (mapped strictly), of the corpus `labels`.
    public static func items(from labels: [HumanLabel]) -> [Item] {
        labels.compactMap { label in
            let map = LabelMap(corpusLabels: [label.emotion], modelLabels: Self.labels, strict: true)
            return map.map(label.emotion).map {
                Item(path: label.file, label: $0, speaker: "labels:\(label.file)", corpus: "labels")
            }
        }
    }

    /// Features for every item, `workers` files at a time; `progress` gets the count done.
    ///
    /// - Parameters:
    ///   - items: The files to learn from.
    ///   - activity: How speech is cut into segments: the pipeline's `voice` settings.
    ///   - features: The extractor; audio is read at its sample rate.
    ///   - workers: Files processed at once; fewer than one counts as one.
    ///   - progress: Called on the caller's task after each file, in finishing order, with the count done so far.
    /// - Returns: The samples, in the order of `items`, and the files that gave none (no speech, or an error), with
    ///   why.
    public static func build(
        _ items: [Item], activity: VoiceActivityOptions, features: any SegmentFeatures, workers: Int,
        progress: (Int) -> Void = { _ in }
    ) async -> VoiceTrainingSet {
        var set = VoiceTrainingSet()
        var results = [Result<[VoiceTrainer.Sample], Error>?](repeating: nil, count: items.count)
        var done = 0
        await forEachConcurrently(
            items, workers: Array(repeating: features, count: max(1, workers)),
            { item, extractor in
                Result { try samples(of: item, extractor: extractor, activity: activity) }
            },
            finished: { index, result in
                results[index] = result
                done += 1
                progress(done)
            })
        // In input order, so the same files always give the same training set.
        for index in items.indices {
            switch results[index] {
            case .success(let samples) where !samples.isEmpty: set.samples += samples
            case .success: set.skipped.append((items[index].path, "no speech found"))
            case .failure(let error): set.skipped.append((items[index].path, "\(error)"))
            case nil: break
            }
        }
        return set
    }

    private static func samples(
        of item: Item, extractor: any SegmentFeatures, activity: VoiceActivityOptions
    ) throws -> [VoiceTrainer.Sample] {
        guard let label = labels.firstIndex(of: item.label) else { return [] }
        let sampleRate = extractor.sampleRate
        return try VoiceStage.speech(in: item.path, activity: activity, sampleRate: sampleRate).map { audio in
            VoiceTrainer.Sample(
                features: try extractor.features(of: audio.samples), label: label, speaker: item.speaker,
                corpus: item.corpus, file: item.path, seconds: Double(audio.samples.count) / Double(sampleRate))
        }
    }
}
