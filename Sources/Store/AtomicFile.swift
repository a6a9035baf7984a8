import Foundation

/// Whole-file writes that a reader never sees half done and a crash never leaves torn: the bytes
/// go to a temporary file in the same folder, are flushed to disk, then renamed over the target.
/// A write that fails (a full disk, a read-only folder) is a `StoreError.unavailable`: exit code 3.
public enum AtomicFile {
    /// Creates `folder` and its parents when missing, failing with the system's reason in one line.
    ///
    /// - Parameter folder: the folder to create.
    /// - Throws: `StoreError.unavailable` with the system's reason.
    public static func createFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unavailable(path: folder.path, reason: StoreError.words(for: error))
        }
    }

    /// Replaces `url`'s content with `data`, atomically. A device or a pipe (`-o /dev/stdout`,
    /// `/dev/null`) is written to as it is: renaming a file over it would replace the device.
    ///
    /// - Parameters:
    ///   - data: the file's new content.
    ///   - url: the file; its folder is created when missing.
    /// - Throws: `StoreError.unavailable` with the system's reason.
    public static func write(_ data: Data, to url: URL) throws {
        var status = stat()
        if stat(url.path, &status) == 0, ![S_IFREG, S_IFDIR].contains(status.st_mode & S_IFMT) {
            let descriptor = open(url.path, O_WRONLY)
            guard descriptor >= 0 else {
                throw StoreError.unavailable(path: url.path, reason: String(cString: strerror(errno)))
            }
            defer { close(descriptor) }
            if let failure = writeAll(data, to: descriptor) {
                throw StoreError.unavailable(path: url.path, reason: failure)
            }
            return
        }
        let folder = url.deletingLastPathComponent()
        try createFolder(folder)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.unavailable(path: url.path, reason: String(cString: strerror(errno)))
        }
        var failure = writeAll(data, to: descriptor)
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw StoreError.unavailable(path: url.path, reason: failure)
        }
    }

    /// Writes all of `data` to `descriptor`.
    ///
    /// - Returns: the system's reason when a write failed; nil when all was written.
    private static func writeAll(_ data: Data, to descriptor: Int32) -> String? {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }
}

/// An exclusive advisory lock on a file (flock), held while `body` runs: two emoscan processes
/// updating the same store take turns instead of losing each other's rows.
func withFileLock<T>(_ url: URL, _ body: () async throws -> T) async throws -> T {
    try AtomicFile.createFolder(url.deletingLastPathComponent())
    let descriptor = open(url.path, O_RDWR | O_CREAT, 0o644)
    guard descriptor >= 0 else {
        throw StoreError.unavailable(path: url.path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    while flock(descriptor, LOCK_EX) != 0 {
        guard errno == EINTR else {
            throw StoreError.unavailable(path: url.path, reason: String(cString: strerror(errno)))
        }
    }
    defer { flock(descriptor, LOCK_UN) }
    return try await body()
}
