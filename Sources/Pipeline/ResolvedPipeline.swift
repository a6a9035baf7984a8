import Foundation
import Media
import Vision
import Voice

/// A pipeline ready to run: its definition after command-line overrides, absolute paths, the
/// checked model digests and the hash that tags every result it produces.
public struct ResolvedPipeline: Sendable {
    public let definition: PipelineDefinition
    /// The model and cascade files, absolute.
    public let faceModelPath: String
    public let voiceModelPath: String
    public let cascadePath: String
    public let cascadeSHA256: String
    /// Hash of the resolved settings and model digests: results with different hashes came from
    /// different settings or models and must not be mixed.
    public let hash: String

    /// Resolves `definition` (read from `sourcePath`, which anchors relative paths) and checks its files.
    public init(_ definition: PipelineDefinition, sourcePath: String) throws {
        let base = URL(fileURLWithPath: sourcePath).deletingLastPathComponent()
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
        }
        try definition.validate(path: sourcePath)
        self.definition = definition
        faceModelPath = absolute(definition.faceModel.path)
        voiceModelPath = absolute(definition.voiceModel.path)
        cascadePath = absolute(definition.detector.cascade)

        // Only the models of the branches that run must be present.
        if definition.modalities.face { try Self.check(model: faceModelPath, sha256: definition.faceModel.sha256) }
        if definition.modalities.voice {
            try Self.check(model: voiceModelPath, sha256: definition.voiceModel.sha256)
            guard VoiceFeatureSet(rawValue: definition.voiceModel.features) != nil else {
                throw PipelineError.invalidValue(path: sourcePath, key: "voice_model.features", reason: "must be one of: "
                    + VoiceFeatureSet.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        guard FileManager.default.fileExists(atPath: cascadePath) else {
            throw PipelineError.invalidValue(path: sourcePath, key: "detector.cascade",
                                             reason: "names \(cascadePath), which is missing (install opencv-data: Scripts/setup)")
        }
        cascadeSHA256 = try SHA256.hex(ofFileAt: cascadePath)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase  // the keys as files spell them: hashes stay comparable
        var settings = definition
        // Where a model lies is not what it is: its digest goes into the hash, its path does not.
        settings.faceModel.path = ""
        settings.voiceModel.path = ""
        settings.detector.cascade = cascadeSHA256
        hash = SHA256.hex(of: try encoder.encode(settings))
    }

    private static func check(model path: String, sha256: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw PipelineError.modelMissing(path: path) }
        let digest = try SHA256.hex(ofFileAt: path)
        guard digest == sha256 else { throw PipelineError.modelChecksum(path: path, expected: sha256, actual: digest) }
    }

    public var samplingOptions: SamplingOptions {
        SamplingOptions(maxFrames: definition.sampling.maxFrames, maxWidth: definition.sampling.maxWidth,
                        decoderThreads: definition.sampling.decoderThreads, maxPixels: definition.sampling.maxPixels)
    }

    public var detectorOptions: FaceDetectorOptions {
        let d = definition.detector
        return FaceDetectorOptions(cascadePath: cascadePath, detectionWidth: d.detectionWidth, scaleFactor: d.scaleFactor,
                                   minNeighbors: d.minNeighbors, minSize: d.minSize,
                                   fullSearchEvery: d.fullSearchEvery)
    }

    /// Valid once the pipeline resolved (`voice_model.features` is checked then).
    public var voiceModelSpec: VoiceModelSpec {
        let m = definition.voiceModel
        return VoiceModelSpec(path: voiceModelPath, labels: m.labels, sampleRate: m.sampleRate,
                              features: VoiceFeatureSet(rawValue: m.features) ?? .librosa181)
    }

    public var faceModelSpec: FaceModelSpec {
        let m = definition.faceModel
        return FaceModelSpec(path: faceModelPath, labels: m.labels, inputSize: m.inputSize, cropMargin: m.cropMargin)
    }
}

// MARK: Finding pipelines

/// Where named pipelines live: `Pipelines/` in emoscan's home, which is `$EMOSCAN_HOME`, else
/// the nearest folder above the executable that holds `Pipelines/`, else the current directory.
public enum PipelineLibrary {
    public static var home: URL {
        if let configured = ProcessInfo.processInfo.environment["EMOSCAN_HOME"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Pipelines").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// The file for `nameOrPath`: a path when it has a slash or a .yml/.yaml ending, else a name in `Pipelines/`.
    public static func path(for nameOrPath: String) throws -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yml") || nameOrPath.hasSuffix(".yaml") {
            guard FileManager.default.fileExists(atPath: nameOrPath) else {
                throw PipelineError.unreadable(path: nameOrPath, reason: "no such file")
            }
            return nameOrPath
        }
        let folder = home.appendingPathComponent("Pipelines")
        let candidate = folder.appendingPathComponent("\(nameOrPath).yml").path
        guard FileManager.default.fileExists(atPath: candidate) else {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
            throw PipelineError.notFound(nameOrPath, available: names)
        }
        return candidate
    }

    /// Loads and resolves a pipeline by name or path, applying `overrides` to its definition first.
    public static func load(_ nameOrPath: String, overrides: (inout PipelineDefinition) -> Void = { _ in })
        throws -> ResolvedPipeline {
        let path = try path(for: nameOrPath)
        var definition = try PipelineDefinition.load(path: path)
        overrides(&definition)
        return try ResolvedPipeline(definition, sourcePath: path)
    }
}
