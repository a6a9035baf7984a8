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
            return
                "no pipeline named '\(name)' (available: \(available.joined(separator: ", ")); or give a path to a .yml file)"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        case .unknownKey(let path, let key): return "\(path): unknown key '\(key)'"
        case .invalidValue(let path, let key, let reason): return "\(path): '\(key)' \(reason)"
        case .modelMissing(let path): return "model file \(path) is missing: run Scripts/setup"
        case .modelChecksum(let path, let expected, let actual):
            return "model file \(path) has sha256 \(actual), but the pipeline pins \(expected): run Scripts/setup"
        }
    }
}
