import CFFmpeg
import Foundation

/// SHA-256 from libavutil, which emoscan links anyway: no crypto package for two digests.
public enum SHA256 {
    /// Hex digest of `data`.
    ///
    /// - Parameter data: the bytes to digest.
    /// - Returns: the digest as 64 lowercase hex digits.
    public static func hex(of data: Data) -> String {
        let hasher = Hasher256()
        data.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    /// Hex digest of the file at `path`, read in 1 MiB chunks so huge recordings are never held in memory.
    ///
    /// - Parameter path: the file; an empty one is digested, a FIFO or device refused unopened.
    /// - Returns: the digest as 64 lowercase hex digits.
    /// - Throws: `MediaError` from `FileStamp.check` (missing, not a regular file, ...), or `.unreadable` when opening
    ///   or reading fails.
    public static func hex(ofFileAt path: String) throws -> String {
        _ = try FileStamp.check(path, allowingEmpty: true)  // a FIFO would block the open
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let hasher = Hasher256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            if count == 0 { return hasher.finalize() }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        }
    }

    /// A digest fed piece by piece, as bytes arrive (an upload streamed to disk). A class so
    /// that `deinit` frees the context also when reading throws half-way; not thread-safe.
    public final class Hasher256 {
        private let context: OpaquePointer = av_sha_alloc()

        public init() { av_sha_init(context, 256) }

        deinit { av_free(UnsafeMutableRawPointer(context)) }

        /// Adds `bytes` to the digest.
        public func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress else { return }
            av_sha_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }

        /// The digest of every byte added, as 64 lowercase hex digits; the hasher is spent.
        public func finalize() -> String {
            var digest = [UInt8](repeating: 0, count: 32)
            av_sha_final(context, &digest)
            return digest.map { String(format: "%02x", $0) }.joined()
        }
    }
}
