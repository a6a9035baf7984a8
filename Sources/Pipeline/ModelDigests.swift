import Foundation
import Media

/// The sha256 of model files, read once per process while a file's size and modification time
/// stay the same: Whisper's 133 MB take about half a second to hash, and every pipeline a
/// process resolves (each test, each server request's pipeline) checks it.
enum ModelDigests {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var known: [String: (stamp: FileStamp, digest: String)] = [:]

    /// The digest of the file at `path`, from memory when it is unchanged since it was hashed.
    ///
    /// - Parameter path: the model file.
    /// - Returns: its sha256 in lowercase hex.
    /// - Throws: `MediaError` when the file is missing or unreadable.
    static func sha256(ofFileAt path: String) throws -> String {
        let stamp = try FileStamp.check(path, allowingEmpty: true)
        if let entry = lock.withLock({ known[path] }), entry.stamp == stamp { return entry.digest }
        let digest = try SHA256.hex(ofFileAt: path)
        lock.withLock { known[path] = (stamp, digest) }
        return digest
    }
}
