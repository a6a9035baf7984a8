import CFFmpeg
import Foundation

/// SHA-256 from libavutil, which emoscan links anyway: no crypto package for two digests.
public enum SHA256 {
    /// Hex digest of `data`.
    public static func hex(of data: Data) -> String {
        let hasher = Hasher256()
        data.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }

    /// Hex digest of the file at `path`, read in 1 MiB chunks so huge recordings are never held in memory.
    public static func hex(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw MediaError.notFound(path: path) }
        defer { try? handle.close() }
        let hasher = Hasher256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    private struct Hasher256 {
        private let context: OpaquePointer = av_sha_alloc()

        init() { av_sha_init(context, 256) }

        func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress else { return }
            av_sha_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }

        func finalize() -> String {
            var digest = [UInt8](repeating: 0, count: 32)
            av_sha_final(context, &digest)
            av_free(UnsafeMutableRawPointer(context))
            return digest.map { String(format: "%02x", $0) }.joined()
        }
    }
}
