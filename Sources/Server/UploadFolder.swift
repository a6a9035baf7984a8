import Foundation
import Media

/// The uploads folder: each recording kept once, named by its content's SHA-256 alone (FFmpeg
/// finds the format from the bytes), never by the client's name; a file the workers read like
/// any queued file.
struct UploadFolder: Sendable {
    let root: URL

    /// Probes `file` and moves it to its content-hash name; the same content uploaded before is kept once.
    ///
    /// - Returns: the kept file's path, its digest, size and modification time.
    /// - Throws: `Problem` 415 when FFmpeg finds no recording in it (the temporary file is removed), 400 when it is empty.
    func keep(_ file: ReceivedFile) throws -> (path: String, sha256: String, stamp: FileStamp) {
        let sha256 = file.finish()
        do {
            _ = try MediaFile(path: file.temporary.path)
        } catch let error as MediaError {
            file.discard()
            if case .emptyFile = error { throw Problem(.badRequest, "the upload is empty: send the recording's bytes") }
            throw Problem(
                .unsupportedMediaType,
                "\(file.clientName ?? "the upload") is not a recording FFmpeg can read (\(error.reason)): "
                    + "send a video, audio or image file")
        } catch {
            file.discard()
            throw error
        }
        let target = root.appendingPathComponent(sha256)
        if FileManager.default.fileExists(atPath: target.path) {
            file.discard()
        } else if rename(file.temporary.path, target.path) != 0 {
            file.discard()
            throw Problem(.init(code: 507), "the upload could not be kept: \(String(cString: strerror(errno)))")
        }
        guard let stamp = FileStamp(path: target.path) else {
            throw Problem(.internalServerError, "the upload vanished from \(root.path) as it was kept")
        }
        return (target.path, sha256, stamp)
    }
}
