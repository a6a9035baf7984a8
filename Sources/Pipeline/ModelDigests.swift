import Foundation
import Media

/// The sha256 of model files, hashed once while a file's size and modification time stay the
/// same: Whisper's 133 MB take about half a second of CPU to hash, and every pipeline a process
/// resolves (each test, each server request's pipeline) checks it, as does every `emoscan`
/// process an analyst or a cron job starts for one file.
///
/// Digests are kept in memory for the process and on disk for the next ones (one small file per
/// model in `$XDG_CACHE_HOME/emoscan/model-digests`, else `~/.cache/…`), as git's index trusts a
/// file whose stat data is unchanged. Replacing a model (a new conversion, a copied file) changes
/// its time and so is hashed again; a change that keeps both size and time would not be.
enum ModelDigests {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var known: [String: (stamp: FileStamp, digest: String)] = [:]

    /// The digest of the file at `path`, from memory or the disk cache when it is unchanged since it was hashed.
    ///
    /// - Parameters:
    ///   - path: the model file.
    ///   - cache: the folder of digests kept between processes; nil: none.
    /// - Returns: its sha256 in lowercase hex.
    /// - Throws: `MediaError` when the file is missing or unreadable.
    static func sha256(ofFileAt path: String, cache: URL? = defaultCache) throws -> String {
        let stamp = try FileStamp.check(path, allowingEmpty: true)
        if let entry = lock.withLock({ known[path] }), entry.stamp == stamp { return entry.digest }
        let digest: String
        if let cache, let kept = kept(for: path, stamp: stamp, in: cache) {
            digest = kept
        } else {
            digest = try SHA256.hex(ofFileAt: path)
            if let cache { keep(digest, for: path, stamp: stamp, in: cache) }
        }
        lock.withLock { known[path] = (stamp, digest) }
        return digest
    }

    /// `$XDG_CACHE_HOME/emoscan/model-digests`, else `$HOME/.cache/emoscan/model-digests`; nil without either.
    static var defaultCache: URL? {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? environment["HOME"].flatMap {
                $0.isEmpty ? nil : URL(fileURLWithPath: $0).appendingPathComponent(".cache")
            }
        return base?.appendingPathComponent("emoscan/model-digests")
    }

    /// An entry is one line: the digest, the size in bytes and the modification time.
    private static func line(_ digest: String, _ stamp: FileStamp) -> String {
        "\(digest) \(stamp.sizeBytes) \(stamp.modified)\n"
    }

    private static func entry(for path: String, in cache: URL) -> URL {
        cache.appendingPathComponent(SHA256.hex(of: Data(path.utf8)))
    }

    /// The digest `cache` holds for `path` at `stamp`; nil when it holds none or one for another stamp.
    static func kept(for path: String, stamp: FileStamp, in cache: URL) -> String? {
        guard let text = try? String(contentsOf: entry(for: path, in: cache), encoding: .utf8),
            let digest = text.split(separator: " ").first.map(String.init),
            digest.count == 64, text == line(digest, stamp)
        else { return nil }
        return digest
    }

    /// Writes atomically, so a reader sees a whole entry or none; a cache that cannot be written
    /// (a read-only home) only costs the next process a hash.
    static func keep(_ digest: String, for path: String, stamp: FileStamp, in cache: URL) {
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try? Data(line(digest, stamp).utf8).write(to: entry(for: path, in: cache), options: .atomic)
    }
}
