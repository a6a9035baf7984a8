import ArgumentParser
import CVSupport
import Evaluation
import Foundation
import Media
import Model
import Pipeline
import Store
import Training
import Voice

/// `emoscan train`: models emoscan makes itself.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train emoscan's own models on labelled recordings.",
        subcommands: [TrainVoice.self]
    )
}

/// `emoscan train voice DIR... --out MODEL`.
struct TrainVoice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voice",
        abstract: "Train a voice-emotion model (8 RAVDESS classes) on labelled speech, cross-validated over speakers.",
        discussion: """
            Each folder is a labelled corpus (RAVDESS, TESS or EmoDB, told apart by their file \
            names). Every file's speech is cut into segments exactly as analysis cuts it (the \
            pipeline's voice settings), and each segment becomes one sample of --features: emotion \
            (pitch, jitter, shimmer, HNR, loudness, spectral balance, MFCC statistics), whisper \
            (Whisper base's encoder states at --whisper-layer, mean and standard deviation over \
            the segment), or both. Labels are \
            mapped onto neutral, calm, happy, sad, angry, fearful, disgust, surprised; a label with \
            no counterpart (EmoDB's boredom) is left out, and the mapping is printed.

            Cross-validation is over speakers: each corpus's speakers are dealt into --folds groups, \
            and each group is scored by a model trained on all the others, so no test speaker is \
            ever in training. A file is scored by the duration-weighted mean of its segments' scores, \
            as analysis does. The final model is then trained on everything and written as one JSON \
            file (classifier, standardisation, feature names, labels, how it was made); the same \
            command on the same files writes the same bytes.

            Examples (the first two make the default and the acoustic pipeline's models):
              emoscan train voice ../shared/data/ravdess_speech ../shared/data/tess ../shared/data/emodb \\
                  ../shared/data/emodb_rest --features whisper+emotion --whisper-layer 4 --hidden-units 32 \\
                  --calibrate --out Models/emoscan_voice8_whisper.json
              emoscan train voice ../shared/data/ravdess_speech ../shared/data/tess ../shared/data/emodb \\
                  --out Models/emoscan_voice8.json
              emoscan train voice data/ravdess --classifier svm --grid --out /tmp/svm.json
              emoscan train voice data/ravdess --include-labels --out /tmp/with-corrections.json
              emoscan train voice ../shared/data/emodb --features whisper --whisper-layer 4 --out /tmp/w.json
            """
    )

    @Argument(help: ArgumentHelp("Labelled corpus folders.", valueName: "dir"))
    var folders: [String]

    @Option(help: ArgumentHelp("Where to write the model (.json).", valueName: "file"))
    var out: String

    @Option(
        help: ArgumentHelp(
            "softmax (emoscan's perceptron ensemble), svm (RBF kernel), rtrees (random forest) or mlp (OpenCV's perceptron).",
            valueName: "kind"))
    var classifier = StatisticalClassifier.Kind.softmax

    @Flag(help: "Search the SVM's C and gamma (OpenCV trainAuto, 5 internal folds of the training speakers).")
    var grid = false

    @Option(
        help: ArgumentHelp(
            "Hidden units of each softmax perceptron (64; fewer make a smaller file for long feature vectors).",
            valueName: "n"))
    var hiddenUnits = SoftmaxPerceptron.Settings().hiddenUnits

    @Option(help: ArgumentHelp("Cross-validation folds over speakers (0: none).", valueName: "n"))
    var folds = 5

    @Option(help: ArgumentHelp("Seed of OpenCV's random generator.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Sample rate the model works at (16000 for the Whisper sets).", valueName: "hz"))
    var sampleRate = 16000

    @Option(
        help: ArgumentHelp(
            "emotion (118 acoustic features), whisper (Whisper base's encoder states, pooled) or whisper+emotion.",
            valueName: "set"))
    var features = VoiceFeatureSet.emotion

    @Option(
        help: ArgumentHelp(
            "The encoder layer the Whisper sets pool: 1 to 6 (a block's states) or 7 (the final output).",
            valueName: "n"))
    var whisperLayer = 4

    @Option(
        help: ArgumentHelp(
            "Pad each segment with silence to this before Whisper encodes it (30: Whisper's window; 0: as it is). "
                + "Only the segment's own frames are pooled; the padding costs up to 30 s / segment length the CPU.",
            valueName: "seconds"))
    var whisperPaddedTo: Double = 0

    @Option(
        help: ArgumentHelp("The converted Whisper model (default: Models/whisper_base.safetensors).", valueName: "file")
    )
    var whisper: String?

    @Flag(
        help:
            "Fit a temperature on the cross-validation's held-out files that calibrates the file probabilities, and store it in the model."
    )
    var calibrate = false

    @Flag(
        help: "Also train on the files labelled with 'emoscan label' in the store (never scored in cross-validation).")
    var includeLabels = false

    @Option(help: ArgumentHelp("Pipeline whose voice settings cut the speech segments.", valueName: "name|path"))
    var pipeline = "default"

    @Option(help: ArgumentHelp("Files read at once (default: one per core).", valueName: "n"))
    var jobs: Int?

    // Not StoreOptions: its `--out` alias would clash with the model's `--out`.
    @Option(help: StoreOptions.storeHelp)
    var store: String?

    @Option(help: StoreOptions.lockTimeoutHelp)
    var lockTimeout: Double = 30

    func validate() throws {
        if folds == 1 || folds < 0 { throw ValidationError("--folds must be 0 (none) or at least 2") }
        if features == .librosa181 {
            throw ValidationError("--features librosa181 is the ONNX model's; train emotion or whisper")
        }
        if features.usesWhisper && sampleRate != WhisperLogMel.sampleRate {
            throw ValidationError("Whisper hears 16 kHz: use --sample-rate 16000 with --features \(features.rawValue)")
        }
        if !(1...WhisperEncoder.blockCount + 1).contains(whisperLayer) {
            throw ValidationError("--whisper-layer must be 1 to \(WhisperEncoder.blockCount + 1)")
        }
        if calibrate && folds < 2 {
            throw ValidationError("--calibrate fits on the cross-validation: give --folds 2 or more")
        }
        if !(0...WhisperFeatures.maxPaddedSeconds).contains(whisperPaddedTo) {
            throw ValidationError("--whisper-padded-to must be 0 to \(Int(WhisperFeatures.maxPaddedSeconds)) seconds")
        }
        if hiddenUnits < 1 { throw ValidationError("--hidden-units must be at least 1") }
        if grid && classifier != .svm {
            throw ValidationError("--grid searches the SVM's parameters: use it with --classifier svm")
        }
    }

    func run() async throws {
        let definition: PipelineDefinition
        var corpora: [(corpus: Corpus, items: [VoiceTrainingSet.Item])] = []
        let extractor: any SegmentFeatures
        do {
            // Only the voice settings count: the pipeline's models need not exist, as this may be making one.
            definition = try PipelineDefinition.load(path: try PipelineLibrary.path(for: pipeline))
            for folder in folders {
                guard let corpus = Corpus.detect(path: folder), [.ravdess, .tess, .emodb].contains(corpus) else {
                    throw ValidationError("\(folder): not a RAVDESS, TESS or EmoDB folder (told by its file names)")
                }
                let (items, map) = VoiceTrainingSet.items(from: corpus.files(in: [folder]))
                Console.print("\(corpus.rawValue): \(items.count) files; " + map.notes.joined(separator: ", "))
                corpora.append((corpus, items))
            }
            let path = whisper ?? PipelineLibrary.home.appendingPathComponent("Models/whisper_base.safetensors").path
            let encoder = features.usesWhisper ? try WhisperEncoder(weights: WhisperWeights.shared(path: path)) : nil
            // validate() has checked the set, rate and layer, so there is always one.
            extractor = features.extractor(
                sampleRate: sampleRate, whisper: encoder, layer: whisperLayer, paddedSeconds: whisperPaddedTo)!
        } catch let error as ValidationError {
            throw error
        } catch {
            Console.error("\(error)")
            throw ExitCode(Emoscan.usageErrorCode)
        }
        OpenCVThreads.set(1)
        BLAS.setThreads(1)
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let activity = definition.voice

        let items = corpora.flatMap(\.items)
        let progress = Console.isInteractive ? ProgressLine() : nil
        let set = await VoiceTrainingSet.build(items, activity: activity, features: extractor, workers: workers) {
            done in
            progress?.show("features \(done)/\(items.count)")
        }
        progress?.clear()
        for (path, reason) in set.skipped { Console.error("\(path): left out: \(reason)") }
        let corrections =
            includeLabels ? try await labelledSamples(activity: activity, features: extractor, workers: workers) : []

        var perceptron = SoftmaxPerceptron.Settings()
        perceptron.hiddenUnits = hiddenUnits
        let trainer = VoiceTrainer(
            labels: VoiceTrainingSet.labels, classifier: classifier, grid: grid, perceptron: perceptron, seed: seed)
        var summary: TrainedVoiceModel.CrossValidationSummary?
        var calibration: VoiceTrainer.Calibration?
        if folds >= 2 {
            let validation = try trainer.crossValidate(set.samples, folds: folds, trainingOnly: corrections)
            // A corpus given in two folders (emodb, emodb_rest) is one corpus.
            report(
                validation, corpora: corpora.map(\.corpus).reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
            calibration = calibrate ? validation.calibration() : nil
            if let calibration {
                Console.print(
                    String(
                        format: "calibration: temperature %.3f; expected calibration error %.3f -> %.3f "
                            + "(10 bins, on the held-out files it was fitted on)", calibration.temperature,
                        calibration.before, calibration.after))
            }
            summary = validation.summary(corpora: corpora.map(\.corpus.rawValue), calibration: calibration)
        }
        let trained = try TrainedVoiceModel(
            trainedBy: trainer, on: set.samples + corrections, featureSet: features, extractor: extractor,
            whisperLayer: features.usesWhisper ? whisperLayer : nil,
            whisperPaddedSeconds: features.usesWhisper && whisperPaddedTo > 0 ? whisperPaddedTo : nil,
            temperature: calibration?.temperature,
            segmentation: activity,
            crossValidation: summary, corpora: corpora.map(\.corpus),
            command: (["emoscan"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        let data = try trained.encoded()
        try AtomicFile.write(data, to: URL(fileURLWithPath: out))
        Console.print("wrote \(out) (\(data.count / 1024) KiB, sha256 \(SHA256.hex(of: data)))")
    }

    /// Samples of the store's human-labelled files whose label the model has.
    private func labelledSamples(
        activity: VoiceActivityOptions, features: any SegmentFeatures, workers: Int
    ) async throws -> [VoiceTrainer.Sample] {
        let store = try await StoreOptions.open(store: self.store, lockTimeout: lockTimeout, readOnly: true)
        let labels = try await Console.storeCall { try await store.database.labels() }
        let items = VoiceTrainingSet.items(from: labels)
        let set = await VoiceTrainingSet.build(items, activity: activity, features: features, workers: workers)
        for (path, reason) in set.skipped { Console.error("\(path): labelled file left out: \(reason)") }
        Console.print(
            "labels: \(items.count) of \(labels.count) labelled files have a label the model has; \(set.samples.count) segments"
        )
        return set.samples
    }

    /// Prints the folds and per-corpus accuracies.
    private func report(_ validation: VoiceTrainer.CrossValidation, corpora: [Corpus]) {
        for (index, fold) in validation.folds.enumerated() {
            Console.print(
                String(
                    format: "fold %d: %d/%d = %.3f  (%@)", index + 1, fold.correct, fold.files, fold.accuracy,
                    fold.speakers.joined(separator: " ")))
        }
        Console.print(String(format: "mean of folds: %.3f", validation.meanAccuracy))
        for corpus in corpora {
            let (correct, files) = validation.accuracy(corpus: corpus.rawValue)
            guard files > 0 else { continue }
            Console.print(
                String(
                    format: "%@: %d/%d = %.3f, speaker-independent", corpus.rawValue, correct, files,
                    Double(correct) / Double(files)))
        }
    }
}

extension StatisticalClassifier.Kind: ExpressibleByArgument {}
extension VoiceFeatureSet: ExpressibleByArgument {}
