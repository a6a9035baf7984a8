import Foundation
import Media
import Vision
import Voice
import Yams

/// A named pipeline, as written in a `Pipelines/*.yml` file: which modalities to run, how to
/// sample and filter frames, how to find speech, which models to run and how to fuse them.
public struct PipelineDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var modalities: Modalities
    public var sampling: Sampling
    public var filters: Filters
    public var detector: Detector
    public var faceModel: FaceModel
    public var voice: Voice
    public var voiceModel: VoiceModel
    public var fusion: Fusion

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, modalities, sampling, filters, detector
        case faceModel
        case voice
        case voiceModel
        case fusion
    }

    /// Which branches run (`--no-video`, `--no-audio` turn one off).
    public struct Modalities: Codable, Sendable, Equatable {
        public var face: Bool
        public var voice: Bool

        enum CodingKeys: String, CodingKey, CaseIterable {
            case face, voice
        }
    }

    public struct Sampling: Codable, Sendable, Equatable {
        public var maxFrames: Int
        public var maxWidth: Int
        public var decoderThreads: Int
        /// Frames of more pixels are refused before they are decoded, so one absurd image cannot
        /// take a worker's memory.
        public var maxPixels: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxFrames
            case maxWidth
            case decoderThreads
            case maxPixels
        }
    }

    public struct Filters: Codable, Sendable, Equatable {
        public var minBrightness: Double
        public var maxBrightness: Double
        public var minSharpness: Double
        public var minFaceSize: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case minBrightness
            case maxBrightness
            case minSharpness
            case minFaceSize
        }
    }

    public struct Detector: Codable, Sendable, Equatable {
        public var cascade: String
        public var detectionWidth: Int
        public var scaleFactor: Double
        public var minNeighbors: Int
        public var minSize: Int
        public var fullSearchEvery: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case cascade
            case detectionWidth
            case scaleFactor
            case minNeighbors
            case minSize
            case fullSearchEvery
        }
    }

    public struct FaceModel: Codable, Sendable, Equatable {
        public var name: String
        public var source: String
        public var path: String
        public var sha256: String
        public var inputSize: Int
        public var cropMargin: Int
        public var labels: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case source
            case path
            case sha256
            case inputSize
            case cropMargin
            case labels
        }
    }

    /// Voice-activity detection and segmenting (see `VoiceActivityOptions`).
    public struct Voice: Codable, Sendable, Equatable {
        public var silenceBelowDb: Double
        public var rangeDb: Double
        public var aboveFloorDb: Double
        public var mergeGapSeconds: Double
        public var minSpeechSeconds: Double
        public var paddingSeconds: Double
        public var minDipFraction: Double
        public var maxSegmentSeconds: Double

        enum CodingKeys: String, CodingKey, CaseIterable {
            case silenceBelowDb
            case rangeDb
            case aboveFloorDb
            case mergeGapSeconds
            case minSpeechSeconds
            case paddingSeconds
            case minDipFraction
            case maxSegmentSeconds
        }
    }

    public struct VoiceModel: Codable, Sendable, Equatable {
        public var name: String
        public var source: String
        public var path: String
        public var sha256: String
        /// The rate the model's features are computed at; audio is resampled to it.
        public var sampleRate: Int
        /// Which feature vector the model takes (`librosa181`).
        public var features: String
        public var labels: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case source
            case path
            case sha256
            case sampleRate
            case features
            case labels
        }
    }

    /// How face and voice answers become one (see `Fusion`).
    public struct Fusion: Codable, Sendable, Equatable {
        public var faceWeight: Double
        public var voiceWeight: Double
        /// A modality whose confidence is below this is left out, and the other answers alone.
        public var minConfidence: Double
        /// Voice label → face label. Voice labels not listed take no part in fusion.
        public var voiceToFace: [String: String]

        public init(faceWeight: Double, voiceWeight: Double, minConfidence: Double, voiceToFace: [String: String]) {
            self.faceWeight = faceWeight
            self.voiceWeight = voiceWeight
            self.minConfidence = minConfidence
            self.voiceToFace = voiceToFace
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case faceWeight
            case voiceWeight
            case minConfidence
            case voiceToFace
        }
    }

    /// Every key a pipeline file may hold, by section ("" is the top level), from the coding keys
    /// themselves. A key not listed is an error: a misspelt threshold must not silently fall back.
    ///
    /// Files spell keys in snake_case (`max_frames`); the coding keys are the Swift names
    /// (`maxFrames`), so that a result document holding these settings, written with
    /// `.convertToSnakeCase`, decodes back with `.convertFromSnakeCase` (which turns `max_frames`
    /// into `maxFrames` before matching, and so never matches a key spelt `max_frames`).
    static let knownKeys: [String: Set<String>] = [
        "": names(CodingKeys.self),
        "sampling": names(Sampling.CodingKeys.self),
        "filters": names(Filters.CodingKeys.self),
        "detector": names(Detector.CodingKeys.self),
        "modalities": names(Modalities.CodingKeys.self),
        snakeCase(CodingKeys.faceModel.stringValue): names(FaceModel.CodingKeys.self),
        "voice": names(Voice.CodingKeys.self),
        snakeCase(CodingKeys.voiceModel.stringValue): names(VoiceModel.CodingKeys.self),
        "fusion": names(Fusion.CodingKeys.self),
    ]

    /// Settings whose value is a mapping of labels, whose keys are data, not setting names.
    static let labelMappings: Set<String> = ["fusion.voice_to_face"]

    private static func names<Key: CodingKey & CaseIterable>(_: Key.Type) -> Set<String> {
        Set(Key.allCases.map { snakeCase($0.stringValue) })
    }

    /// `maxFrames` → `max_frames`: how a file spells a coding key.
    static func snakeCase(_ key: String) -> String {
        key.reduce(into: "") { $0 += $1.isUppercase ? "_" + $1.lowercased() : String($1) }
    }

    /// `max_frames` → `maxFrames`: the coding key a file's key stands for.
    static func camelCase(_ key: String) -> String {
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        return words.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }
            .joined()
    }
}

/// Why a pipeline could not be used; each case names the file and key at fault.
public enum PipelineError: Error, CustomStringConvertible, Equatable, Sendable {
    case notFound(String, available: [String])
    case unreadable(path: String, reason: String)
    case unknownKey(path: String, key: String)
    case invalidValue(path: String, key: String, reason: String)
    case modelMissing(path: String)
    case modelChecksum(path: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case .notFound(let name, let available):
            return "no pipeline named '\(name)' (available: \(available.joined(separator: ", ")); or give a path to a .yml file)"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        case .unknownKey(let path, let key): return "\(path): unknown key '\(key)'"
        case .invalidValue(let path, let key, let reason): return "\(path): '\(key)' \(reason)"
        case .modelMissing(let path): return "model file \(path) is missing: run Scripts/setup"
        case .modelChecksum(let path, let expected, let actual):
            return "model file \(path) has sha256 \(actual), but the pipeline pins \(expected): run Scripts/setup"
        }
    }
}

// MARK: Loading

extension PipelineDefinition {
    /// Parses and checks a pipeline file.
    public static func load(path: String) throws -> PipelineDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PipelineError.unreadable(path: path, reason: "cannot read the file")
        }
        return try parse(text, path: path)
    }

    /// Parses and checks pipeline YAML; `path` only names the source in errors.
    public static func parse(_ text: String, path: String) throws -> PipelineDefinition {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw PipelineError.unreadable(path: path, reason: "the file is empty")
            }
            node = composed
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.unreadable(path: path, reason: "not valid YAML (\(error))")
        }
        try rejectUnknownKeys(node, section: "", path: path)
        let definition: PipelineDefinition
        do {
            definition = try YAMLDecoder().decode(PipelineDefinition.self, from: try Yams.serialize(node: camelCased(node)))
        } catch let DecodingError.keyNotFound(key, context) {
            throw PipelineError.invalidValue(path: path, key: dotted(context.codingPath + [key]), reason: "is missing")
        } catch let DecodingError.typeMismatch(type, context) {
            throw PipelineError.invalidValue(path: path, key: dotted(context.codingPath), reason: "must be \(typeName(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw PipelineError.invalidValue(path: path, key: dotted(context.codingPath), reason: "must be \(typeName(type))")
        } catch let DecodingError.dataCorrupted(context) {
            throw PipelineError.invalidValue(path: path, key: dotted(context.codingPath), reason: context.debugDescription)
        } catch {
            throw PipelineError.unreadable(path: path, reason: "\(error)")
        }
        try definition.validate(path: path)
        return definition
    }

    /// How speech is found and cut into segments: what analysis classifies and training learns from.
    public var voiceActivityOptions: VoiceActivityOptions {
        VoiceActivityOptions(silenceBelowDB: voice.silenceBelowDb, rangeDB: voice.rangeDb, aboveFloorDB: voice.aboveFloorDb,
                             mergeGapSeconds: voice.mergeGapSeconds, minSpeechSeconds: voice.minSpeechSeconds,
                             paddingSeconds: voice.paddingSeconds, minDipFraction: voice.minDipFraction,
                             maxSegmentSeconds: voice.maxSegmentSeconds)
    }

    /// Range checks that types alone cannot express.
    public func validate(path: String) throws {
        func check(_ ok: Bool, _ key: String, _ reason: String) throws {
            if !ok { throw PipelineError.invalidValue(path: path, key: key, reason: reason) }
        }
        try check(sampling.maxFrames >= 1, "sampling.max_frames", "must be at least 1")
        try check(sampling.maxWidth >= 16, "sampling.max_width", "must be at least 16")
        try check(sampling.decoderThreads >= 0, "sampling.decoder_threads", "must be 0 (automatic) or more")
        try check(sampling.maxPixels >= 256, "sampling.max_pixels", "must be at least 256")
        try check((0...255).contains(filters.minBrightness), "filters.min_brightness", "must be within 0...255")
        try check((0...255).contains(filters.maxBrightness) && filters.maxBrightness > filters.minBrightness,
                  "filters.max_brightness", "must be within 0...255 and above min_brightness")
        try check(filters.minSharpness >= 0, "filters.min_sharpness", "must be 0 or more")
        try check(filters.minFaceSize >= 0, "filters.min_face_size", "must be 0 or more")
        try check(detector.detectionWidth >= 64, "detector.detection_width", "must be at least 64")
        try check(detector.scaleFactor > 1, "detector.scale_factor", "must be above 1")
        try check(detector.minNeighbors >= 0, "detector.min_neighbors", "must be 0 or more")
        try check(detector.minSize >= 1, "detector.min_size", "must be at least 1")
        try check(detector.fullSearchEvery >= 1, "detector.full_search_every", "must be at least 1 (1: every frame searched whole)")
        try check(faceModel.inputSize >= 8, "face_model.input_size", "must be at least 8")
        try check(faceModel.cropMargin >= 0, "face_model.crop_margin", "must be 0 or more")
        try check(faceModel.labels.count >= 2 && Set(faceModel.labels).count == faceModel.labels.count,
                  "face_model.labels", "must name at least two distinct classes")
        try check(faceModel.sha256.count == 64 && faceModel.sha256.allSatisfy(\.isHexDigit),
                  "face_model.sha256", "must be 64 hex digits")
        // Labels key dictionaries in result documents, whose keys the snake_case coding would rewrite.
        let simpleLabel = { (label: String) in !label.isEmpty && label.allSatisfy { $0.isLowercase && $0.isASCII } }
        try check(faceModel.labels.allSatisfy(simpleLabel), "face_model.labels", "must be lowercase words (a-z)")
        try check(voiceModel.labels.allSatisfy(simpleLabel), "voice_model.labels", "must be lowercase words (a-z)")
        try check(modalities.face || modalities.voice, "modalities", "must turn on face, voice or both")
        try check(voice.rangeDb > 0, "voice.range_db", "must be above 0")
        try check(voice.aboveFloorDb >= 0, "voice.above_floor_db", "must be 0 or more")
        try check(voice.mergeGapSeconds >= 0, "voice.merge_gap_seconds", "must be 0 or more")
        try check(voice.minSpeechSeconds >= 0, "voice.min_speech_seconds", "must be 0 or more")
        try check(voice.paddingSeconds >= 0, "voice.padding_seconds", "must be 0 or more")
        try check((0...1).contains(voice.minDipFraction), "voice.min_dip_fraction", "must be within 0...1")
        try check(voice.maxSegmentSeconds >= 0.5, "voice.max_segment_seconds", "must be at least 0.5")
        try check((8000...192_000).contains(voiceModel.sampleRate), "voice_model.sample_rate", "must be within 8000...192000")
        try check(voiceModel.labels.count >= 2 && Set(voiceModel.labels).count == voiceModel.labels.count,
                  "voice_model.labels", "must name at least two distinct classes")
        try check(voiceModel.sha256.count == 64 && voiceModel.sha256.allSatisfy(\.isHexDigit),
                  "voice_model.sha256", "must be 64 hex digits")
        try check(fusion.faceWeight >= 0 && fusion.voiceWeight >= 0 && fusion.faceWeight + fusion.voiceWeight > 0,
                  "fusion", "face_weight and voice_weight must be 0 or more, and not both 0")
        try check((0...1).contains(fusion.minConfidence), "fusion.min_confidence", "must be within 0...1")
        for (voiceLabel, faceLabel) in fusion.voiceToFace {
            try check(faceModel.labels.contains(faceLabel), "fusion.voice_to_face.\(voiceLabel)",
                      "maps to '\(faceLabel)', which is not one of face_model.labels")
        }
    }

    private static func rejectUnknownKeys(_ node: Node, section: String, path: String) throws {
        guard let mapping = node.mapping else {
            if section.isEmpty { throw PipelineError.unreadable(path: path, reason: "expected a mapping of sections") }
            return
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            let qualified = section.isEmpty ? key : "\(section).\(key)"
            guard knownKeys[section]?.contains(key) == true else {
                throw PipelineError.unknownKey(path: path, key: qualified)
            }
            if section.isEmpty, knownKeys[key] != nil {
                guard value.mapping != nil else {
                    throw PipelineError.invalidValue(path: path, key: key, reason: "must be a mapping of settings")
                }
                try rejectUnknownKeys(value, section: key, path: path)
            }
        }
    }

    /// `node` with every setting's key spelt as its coding key; the keys of label mappings
    /// (`fusion.voice_to_face`) are labels and stay as written.
    private static func camelCased(_ node: Node, at path: String = "") -> Node {
        guard let mapping = node.mapping, !labelMappings.contains(path) else { return node }
        let pairs = mapping.map { key, value in
            let name = key.string ?? ""
            return (key.string.map { Node(camelCase($0)) } ?? key,
                    camelCased(value, at: path.isEmpty ? name : "\(path).\(name)"))
        }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style))
    }

    /// A coding path as the file spells it: `sampling.max_frames`.
    private static func dotted(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }.joined(separator: ".")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is String.Type: return "text"
        default: return "a \(type)"
        }
    }
}
