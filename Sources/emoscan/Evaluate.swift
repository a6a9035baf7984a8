import ArgumentParser
import Evaluation
import Foundation
import Model
import Pipeline
import Store

/// `emoscan evaluate DIR...`: score the models on a labelled corpus.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score the models on a labelled corpus: accuracy, macro-F1, per-class table, confusion matrix.",
        discussion: """
            Reads each file's acted label from the corpus's naming scheme (RAVDESS 03-01-06-01-02-01-12.wav, \
            TESS OAF_back_fear.wav, EmoDB 03a01Fa.wav, CK+ and FER2013 one folder per label, FER+ the \
            majority of label.csv's ten votes), runs the \
            files through the pipeline as 'analyze' does (face crops straight into the face model, \
            without detection) and compares its answers with the labels.

            Models are scored in their own labels: the corpus's labels are mapped onto them \
            (fearful → fear, happiness → happy, calm → neutral when the model has no calm, and the \
            other way round), and files whose label the model cannot say (contempt, boredom; angry \
            for a voice model without it) are excluded and counted. The mapping is printed first. \
            A file without an answer (no face found, no speech, unreadable) counts as wrong, in the \
            confusion matrix's 'none' column.

            Default modality: face for face crops (fer2013, ferplus, ckplus), voice for audio (tess, emodb, \
            RAVDESS audio-only), fused for RAVDESS videos.

            Examples:
              emoscan evaluate ../shared/data/fer2013
              emoscan evaluate ../shared/data/ravdess_speech \\
                  --modality voice --report voice.json
              emoscan evaluate ../shared/data/ravdess_av --modality face --jobs 2
              emoscan evaluate --dataset emodb recordings/emodb --strict-labels
              emoscan evaluate --labelled --store /data/results      # the store's results against 'emoscan label'

            Exit codes: 0 evaluated (files without an answer do not fail the run); 1 the report \
            could not be written; 2 usage error (unknown dataset, nothing labelled found, a modality \
            the files cannot have, an invalid pipeline).
            """
    )

    /// `--dataset`: a corpus, or `auto` to tell it from the file names.
    enum Dataset: String, ExpressibleByArgument, CaseIterable {
        case auto, ravdess, tess, emodb, ckplus, fer2013, ferplus
    }

    @Argument(help: ArgumentHelp("Folders of a labelled corpus (walked recursively), or its files.", valueName: "dir"))
    var paths: [String] = []

    @Flag(
        help: ArgumentHelp(
            "Instead of a corpus, score the results already in the store against the labels people "
                + "gave with 'emoscan label' (default modality: fused)."))
    var labelled = false

    @Option(
        help: ArgumentHelp(
            "Which corpus's naming scheme gives the labels (auto: tell it from the file and folder names).",
            valueName: "name"))
    var dataset = Dataset.auto

    @Option(
        help: ArgumentHelp(
            "Which answer to score (default: face for face crops, voice for audio, fused for videos).",
            valueName: "face|voice|fused"))
    var modality: Modality?

    @Option(help: ArgumentHelp("Pipeline name (in Pipelines/) or path to a .yml file.", valueName: "name|path"))
    var pipeline = "default"

    @Option(
        help: ArgumentHelp(
            "Also write the report as JSON to this file (atomically), with one row per file.",
            valueName: "file"))
    var report: String?

    @Option(help: ArgumentHelp("Files analysed at once (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Flag(help: "Map only labels that name the same emotion: calm and neutral are then not held to each other.")
    var strictLabels = false

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if labelled == !paths.isEmpty { throw ValidationError("give corpus folders, or --labelled, not both") }
    }

    func run() async throws {
        if labelled { return try await scoreLabelled() }
        let logger = output.logger()
        let corpus = try chooseCorpus()
        let listing = corpus.files(in: paths)
        guard !listing.files.isEmpty else {
            throw usageError(
                "no \(corpus.rawValue) files in \(paths.joined(separator: ", "))"
                    + (listing.unlabelled.isEmpty
                        ? "" : " (\(listing.unlabelled.count) media files not named in its scheme)"))
        }
        let modality = self.modality ?? Modality.preferred(for: listing.files)
        if let problem = modality.problem(with: Set(listing.files.map(\.media))) {
            throw usageError("\(corpus.rawValue) --modality \(modality.rawValue): \(problem)")
        }

        let evaluator: Evaluator
        do {
            let resolved = try Evaluator.pipeline(pipeline, for: modality)
            let workers = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, listing.files.count)
            evaluator = try Evaluator(pipeline: resolved, modality: modality, workers: workers, logger: logger)
        } catch {
            throw usageError("\(error)")
        }
        let labelMap = LabelMap(corpus: corpus, modelLabels: evaluator.labels, strict: strictLabels)
        let scored = listing.files.filter { labelMap.map($0.label) != nil }.count
        guard scored > 0 else {
            throw usageError(
                "none of the \(listing.files.count) \(corpus.rawValue) files has a label that "
                    + evaluator.models.map(\.name).joined(separator: " + ") + " can say:\n  "
                    + labelMap.notes.joined(separator: "\n  "))
        }

        if !output.quiet {
            Console.print(
                "\(corpus.rawValue): \(scored) of \(listing.files.count) files scored, modality \(modality.rawValue), "
                    + "pipeline \(evaluator.pipeline.definition.name)")
            Console.print("labels (\(corpus.rawValue) → \(evaluator.models.map(\.name).joined(separator: " + "))):")
            for note in labelMap.notes { Console.print("  " + note) }
            Console.print("")
        }
        let progressLine = Console.isInteractive && !output.quiet ? ProgressLine() : nil
        let started = Date()
        let result = await evaluator.evaluate(listing, labelMap: labelMap) { done, total, prediction in
            guard let progressLine else { return }
            let rate = Double(done) / max(Date().timeIntervalSince(started), 0.001)
            let eta = ProgressLine.duration(Double(total - done) / rate)
            progressLine.show(
                "[\(done)/\(total)] ETA \(eta)  \(URL(fileURLWithPath: prediction.path).lastPathComponent)")
        }
        progressLine?.clear()
        try show(result)
    }

    /// `--labelled`: the store's latest result for each labelled file, against its label, in the
    /// labels of the model that gives the scored answer (the face model's for face and fused).
    private func scoreLabelled() async throws {
        let store = try await storeOptions.open(readOnly: true, logger: output.logger())
        let (labels, rows) = try await Console.storeCall {
            (try await store.database.labels(), try await store.database.results(since: nil))
        }
        guard !labels.isEmpty else {
            throw usageError("no labelled files in \(store.location): label them with 'emoscan label'")
        }
        let modality = self.modality ?? .fused
        let definition: PipelineDefinition
        do {
            definition = try PipelineLibrary.load(pipeline).definition
        } catch {
            throw usageError("\(error)")
        }
        let modelLabels = modality == .voice ? definition.voiceModel.labels : definition.faceModel.labels
        let scoring = LabelledScoring(
            labels: labels, entries: rows, modality: modality, modelLabels: modelLabels,
            strict: strictLabels)
        var result = scoring.report
        result.dataset = "labels in \(store.location)"
        if !output.quiet {
            Console.print(
                "\(scoring.scored) of \(labels.count) labelled files scored against the store's \(modality.rawValue) "
                    + "answers (a file without one counts as 'none')")
            for note in scoring.labelMap.notes { Console.print("  " + note) }
            Console.print("")
        }
        try show(result)
    }

    /// Prints the report and writes it to `--report`.
    private func show(_ result: ClassificationReport) throws {
        if !output.quiet { Console.print(result.text) }
        guard let report else { return }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try AtomicFile.write(try encoder.encode(result) + Data("\n".utf8), to: URL(fileURLWithPath: report))
        } catch {
            Console.error("report not written: \(error)")
            throw ExitCode(1)
        }
        if !output.quiet { Console.print("\nReport: \(report)") }
    }

    /// The corpus named by `--dataset`, or the one every path's file names point to.
    private func chooseCorpus() throws -> Corpus {
        if let named = Corpus(rawValue: dataset.rawValue) { return named }
        let found = paths.map { ($0, Corpus.detect(path: $0)) }
        if let unknown = found.first(where: { $0.1 == nil }) {
            throw usageError(
                "\(unknown.0): no file named in a known corpus's scheme; name it with --dataset "
                    + Corpus.allCases.map(\.rawValue).joined(separator: "|"))
        }
        let corpora = Set(found.compactMap(\.1))
        guard corpora.count == 1, let corpus = corpora.first else {
            throw usageError(
                "the folders hold different corpora ("
                    + found.map { "\($0.0): \($0.1!.rawValue)" }.joined(separator: ", ") + "): evaluate one at a time")
        }
        return corpus
    }

    /// Reports `message` and gives the exit code for a usage error (2).
    private func usageError(_ message: String) -> ExitCode {
        Console.error(message)
        return ExitCode(Emoscan.usageErrorCode)
    }
}

extension Modality: ExpressibleByArgument {}
