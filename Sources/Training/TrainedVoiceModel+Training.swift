import Evaluation
import Model
import Voice

extension TrainedVoiceModel {
    /// emoscan's voice-model file for a classifier that `trainer` fits on every sample, with the
    /// record of how it was made.
    ///
    /// - Parameters:
    ///   - trainer: The labels, classifier kind and seed to train with.
    ///   - samples: Every sample to learn from (corpora and human corrections).
    ///   - featureSet: The feature set the samples hold.
    ///   - extractor: What computed them: its sample rate and feature names go into the file.
    ///   - whisperLayer: The encoder layer a Whisper set pools; nil for the other sets.
    ///   - whisperPaddedSeconds: What a Whisper set pads segments to; nil when it does not pad.
    ///   - temperature: The calibration fitted on the cross-validation, or nil for an uncalibrated model.
    ///   - segmentation: How the speech was cut into the samples' segments.
    ///   - crossValidation: The speaker-grouped scores, when they were measured.
    ///   - corpora: The corpora the samples came from, for the licence.
    ///   - command: The command line that made the file.
    /// - Throws: `OpenCVError` when the classifier cannot be trained or written.
    public init(
        trainedBy trainer: VoiceTrainer, on samples: [VoiceTrainer.Sample],
        featureSet: VoiceFeatureSet, extractor: any SegmentFeatures, whisperLayer: Int?,
        whisperPaddedSeconds: Double? = nil, temperature: Double?,
        segmentation: VoiceActivityOptions, crossValidation: CrossValidationSummary?, corpora: [Corpus],
        command: String
    ) throws {
        let (classifier, standardizer) = try trainer.fit(samples)
        var counts: [String: Counts] = [:]
        for (corpus, samples) in Dictionary(grouping: samples, by: \.corpus) {
            counts[corpus] = Counts(
                files: Set(samples.map(\.file)).count, segments: samples.count,
                speakers: Set(samples.map(\.speaker)).count)
        }
        self.init(
            labels: trainer.labels, sampleRate: extractor.sampleRate, features: featureSet,
            featureNames: extractor.featureNames,
            classifier: trainer.classifier, standardizer: standardizer, model: try classifier.serialized(),
            training: Training(
                command: command, corpora: counts, segmentation: segmentation,
                crossValidation: crossValidation, seed: trainer.seed,
                licence: TrainingLicence.text(for: corpora)),
            whisperLayer: whisperLayer, whisperPaddedSeconds: whisperPaddedSeconds, temperature: temperature)
    }
}
