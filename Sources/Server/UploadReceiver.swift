import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit

/// Reads a request's body into files in the uploads folder: a raw body (`curl -T clip.mp4`) is
/// one file; `multipart/form-data` gives a file per file part and the other parts as fields.
/// Bounded: the body's size (`413` past it, before a byte is read when `Content-Length` says so),
/// the time it may take (`408`), and the size of the fields.
struct UploadReceiver: Sendable {
    /// What a request sent: its files by form field (`file` for a raw body), and its other fields.
    struct Upload {
        var files: [String: ReceivedFile] = [:]
        var fields: [String: String] = [:]

        /// Removes every file not kept.
        func discard() {
            for file in files.values { file.discard() }
        }
    }

    let folder: URL
    let maxBytes: Int64
    let timeout: TimeInterval
    let metrics: ServerMetrics
    /// The most a form's fields (not its files) may hold, in bytes.
    static let maxFieldBytes = 64 * 1024
    /// Form fields whose part is a file even when the client gives no file name.
    static let fileFields: Set<String> = ["file", "image", "audio", "video"]

    /// Receives the body of `request`.
    ///
    /// - Throws: `Problem`: 413 past `maxBytes`, 408 past `timeout`, 400 for a body that is cut off or a form that
    ///   does not parse, 507 when the folder cannot be written. No file is left behind then.
    func receive(_ request: Request) async throws -> Upload {
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > maxBytes {
            throw tooLarge
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let contentType = request.headers[.contentType] ?? ""
        let form = MediaType(from: contentType)
        var upload = Upload()
        do {
            if let form, form.isType(.multipartForm) {
                guard let boundary = form.parameter?.value, form.parameter?.name == "boundary" else {
                    throw Problem(.badRequest, "multipart/form-data needs a boundary parameter in its Content-Type")
                }
                upload = try await receiveForm(request.body, boundary: boundary)
            } else {
                let file = try ReceivedFile(in: folder, clientName: Self.fileName(request))
                upload.files["file"] = file
                try await stream(request.body) { bytes in try file.append(bytes) }
            }
        } catch {
            upload.discard()
            throw error
        }
        return upload
    }

    private var tooLarge: Problem {
        Problem(
            .contentTooLarge,
            "the upload is larger than this server accepts (\(maxBytes) bytes, --max-upload): "
                + "give the file by path from an allowed folder, or ask for a larger limit")
    }

    /// Feeds the body to `consume` a buffer at a time, counting bytes against the limits.
    private func stream(_ body: RequestBody, _ consume: (UnsafeRawBufferPointer) throws -> Void) async throws {
        let started = ContinuousClock.now
        var total: Int64 = 0
        do {
            for try await buffer in body {
                total += Int64(buffer.readableBytes)
                metrics.received(bytes: buffer.readableBytes)
                if total > maxBytes { throw tooLarge }
                if ContinuousClock.now - started > .seconds(timeout) {
                    throw Problem(
                        .requestTimeout,
                        "the upload took longer than \(Int(timeout)) s: send it from closer, or by path")
                }
                try buffer.withUnsafeReadableBytes { try consume($0) }
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(.badRequest, "the upload was cut off after \(total) bytes (\(error)): send it again")
        }
    }

    /// A multipart form, parsed as it streams: file parts into files, the rest into fields.
    private func receiveForm(_ body: RequestBody, boundary: String) async throws -> Upload {
        let parser = MultipartParser(boundary: boundary)
        let state = FormState()
        var failure: Error?
        parser.onHeader = { name, value in state.headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            guard failure == nil else { return }
            do {
                try state.startPartIfNeeded(folder: folder)
                if let file = state.file {
                    try buffer.withUnsafeReadableBytes { try file.append($0) }
                } else {
                    state.value.append(contentsOf: buffer.readableBytesView)
                    state.fieldBytes += buffer.readableBytes
                    if state.fieldBytes > Self.maxFieldBytes {
                        throw Problem(
                            .contentTooLarge, "the form's fields hold more than \(Self.maxFieldBytes) bytes")
                    }
                }
            } catch {
                failure = error
            }
        }
        parser.onPartComplete = {
            guard failure == nil else { return }
            do {
                try state.startPartIfNeeded(folder: folder)
                state.finishPart()
            } catch {
                failure = error
            }
        }
        do {
            try await stream(body) { bytes in
                try parser.execute(ByteBuffer(bytes: bytes))
                if let failure { throw failure }
            }
        } catch {
            state.upload.discard()
            state.file?.discard()
            if error is Problem { throw error }
            throw Problem(.badRequest, "the multipart form does not parse: \(error)")
        }
        guard !state.upload.files.isEmpty || !state.upload.fields.isEmpty else {
            throw Problem(.badRequest, "the multipart form has no parts: send the recording as a 'file' part")
        }
        return state.upload
    }

    /// The client's name for a raw upload: `?filename=`, else `Content-Disposition`'s.
    private static func fileName(_ request: Request) -> String? {
        if let name = request.uri.queryParameters["filename"] { return String(name) }
        return request.headers[.contentDisposition].flatMap { dispositionParameter("filename", in: $0) }
    }

    /// A parameter of a `Content-Disposition` value (`form-data; name="file"; filename="a.mp4"`).
    static func dispositionParameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}

/// The part a multipart parse is in, and what it has gathered.
private final class FormState {
    var upload = UploadReceiver.Upload()
    var headers: [String: String] = [:]
    var file: ReceivedFile?
    var value: [UInt8] = []
    var fieldBytes = 0
    private var started = false
    private var name = ""

    /// Decides, at a part's first bytes (its headers are in by then), whether it is a file.
    func startPartIfNeeded(folder: URL) throws {
        guard !started else { return }
        started = true
        let disposition = headers["content-disposition"] ?? ""
        name = UploadReceiver.dispositionParameter("name", in: disposition) ?? "file"
        let fileName = UploadReceiver.dispositionParameter("filename", in: disposition)
        if fileName != nil || UploadReceiver.fileFields.contains(name) {
            file = try ReceivedFile(in: folder, clientName: fileName)
        }
    }

    func finishPart() {
        if let file {
            upload.files[name]?.discard()
            upload.files[name] = file
        } else {
            upload.fields[name] = String(decoding: value, as: UTF8.self)
        }
        headers = [:]
        file = nil
        value = []
        started = false
    }
}
