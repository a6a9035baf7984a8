import Foundation
import Media

/// One file of a request, as it arrives: written to a temporary file in the uploads folder and
/// digested on the way, so that a recording of any size is never held in memory.
final class ReceivedFile {
    /// The temporary file; `UploadFolder.keep` moves it to its content-hash name.
    let temporary: URL
    /// The name the client gave it, for messages only.
    let clientName: String?
    private(set) var sizeBytes: Int64 = 0
    private let hasher = SHA256.Hasher256()
    private let descriptor: Int32

    /// - Throws: `Problem` (507) when the uploads folder cannot be written.
    init(in folder: URL, clientName: String?) throws {
        temporary = folder.appendingPathComponent(".upload-\(UUID().uuidString)")
        self.clientName = clientName
        descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Problem(
                .init(code: 507),
                "the uploads folder \(folder.path) cannot be written: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    /// Appends `bytes` to the file and the digest.
    ///
    /// - Throws: `Problem` (507) when the disk is full or the write fails.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw Problem(.init(code: 507), "the upload could not be stored: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        sizeBytes += Int64(bytes.count)
    }

    /// The content's digest, once every byte is in; the file is flushed to disk first.
    func finish() -> String {
        fsync(descriptor)
        return hasher.finalize()
    }

    /// Removes the temporary file (a refused or cut-off upload).
    func discard() {
        unlink(temporary.path)
    }
}
