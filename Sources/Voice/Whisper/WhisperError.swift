/// Why Whisper's weights cannot be used.
public enum WhisperError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or mapped.
    case unreadable(path: String, reason: String)
    /// The file is not emoscan's converted Whisper (`Scripts/models/whisper_to_safetensors.py`).
    case notAWhisperFile(path: String, reason: String)
    /// A tensor the engine needs is absent or has another shape or type than Whisper base's.
    case badTensor(path: String, name: String, reason: String)
    /// Audio longer than the encoder's 30 s window.
    case tooLong(seconds: Double)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read the Whisper model: \(reason)"
        case .notAWhisperFile(let path, let reason):
            return "\(path): not emoscan's Whisper model (Scripts/models/fetch-models whisper makes it): \(reason)"
        case .badTensor(let path, let name, let reason): return "\(path): tensor \(name): \(reason)"
        case .tooLong(let seconds):
            return String(format: "%.1f s of audio is longer than Whisper's 30 s window", seconds)
        }
    }
}
