import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `stat(2)` says of an input file: its size and modification time, and that it is a file
/// emoscan may open at all.
///
/// While size and time are unchanged, a content digest read before still holds, so neither
/// `queue add` nor a worker reads the whole file again for it; when they change during an
/// analysis, the file was still being written.
public struct FileStamp: Equatable, Sendable {
    public var sizeBytes: Int64
    /// Seconds since 1970.
    public var modified: Double

    public init(sizeBytes: Int64, modified: Double) {
        self.sizeBytes = sizeBytes
        self.modified = modified
    }

    /// The stamp of the file at `path` (symlinks followed), or the `MediaError` that says why it
    /// cannot be analysed: missing, a symlink loop, permission denied, not a regular file (a FIFO
    /// would block the open, a device never end), or empty (unless `allowingEmpty`). Opens nothing.
    ///
    /// - Parameters:
    ///   - path: the file's path (non-UTF-8 bytes escaped as `FileSystemPath` carries them).
    ///   - allowingEmpty: accept a zero-byte file instead of throwing `.emptyFile`.
    /// - Returns: the file's size and modification time.
    /// - Throws: `MediaError`: `.notFound`, `.symlinkLoop`, `.permissionDenied`, `.unreadable` (another `stat(2)`
    ///   failure), `.notRegularFile` or `.emptyFile`.
    public static func check(_ path: String, allowingEmpty: Bool = false) throws -> FileStamp {
        var status = stat()
        let statResult = FileSystemPath.withCString(path) { stat($0, &status) }
        guard statResult == 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw MediaError.notFound(path: path)
            case ELOOP: throw MediaError.symlinkLoop(path: path)
            case EACCES, EPERM: throw MediaError.permissionDenied(path: path)
            default: throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw MediaError.notRegularFile(path: path, kind: Self.kindName(status.st_mode))
        }
        guard FileSystemPath.withCString(path, { access($0, R_OK) }) == 0 else {
            throw MediaError.permissionDenied(path: path)
        }
        guard status.st_size > 0 || allowingEmpty else { throw MediaError.emptyFile(path: path) }
        return FileStamp(
            sizeBytes: Int64(status.st_size),
            modified: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) * 1e-9)
    }

    /// The stamp of the regular, readable file at `path` (empty or not); nil when there is none.
    ///
    /// - Parameter path: the file's path.
    public init?(path: String) {
        guard let stamp = try? Self.check(path, allowingEmpty: true) else { return nil }
        self = stamp
    }

    private static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a directory"
        default: return "not a regular file"
        }
    }
}
