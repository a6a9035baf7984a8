import Foundation

/// Why the store cannot be used: the CLI's exit code 3.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Another process held the store's write lock for longer than the timeout.
    case locked(path: String, seconds: Double)
    /// The store cannot be opened or written (missing folder, permissions, full disk, not a database).
    case unavailable(path: String, reason: String)

    /// What is wrong, without the path.
    public var reason: String {
        switch self {
        case .locked(_, let seconds):
            return "store is locked by another process (waited \(String(format: "%g", seconds)) s)"
        case .unavailable(_, let reason): return reason
        }
    }

    public var description: String {
        switch self {
        case .locked(let path, let seconds):
            return "\(path): store is locked by another process (waited \(String(format: "%g", seconds)) s)"
        case .unavailable(let path, let reason): return "\(path): store unavailable: \(reason)"
        }
    }

    /// `error` as one line a person can act on: Foundation's file errors carry the system's
    /// reason (`No space left on device`) under a dump of their user info, which is all that is kept.
    ///
    /// - Parameter error: any error.
    /// - Returns: a `StoreError`'s description; the system's reason for a POSIX error or a Foundation file error that
    ///   carries or implies one; otherwise the error as `"\(error)"` prints it.
    public static func words(for error: Error) -> String {
        if let error = error as? StoreError { return error.description }
        if let error = error as? POSIXError { return String(cString: strerror(error.code.rawValue)) }
        let nsError = error as NSError
        // On Linux the underlying error is a Swift error in the user info, not an NSError.
        let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        for candidate in [underlying, nsError].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
            case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
            case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
            case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
            default: break
            }
        }
        return "\(error)"
    }
}
