import CFFmpeg
import Foundation

/// Why a recording could not be read. Each case's description names the cause in words an
/// operator can act on; it is what a failed result's `error` field says.
public enum MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing is at the path (or a folder on the way is missing).
    case notFound(path: String)
    /// The path is a chain of symlinks that loops (or is too deep to follow).
    case symlinkLoop(path: String)
    /// The file exists, but this user may not read it.
    case permissionDenied(path: String)
    /// `stat(2)` failed for another reason (an I/O error, a name too long).
    case unreadable(path: String, reason: String)
    /// A FIFO, socket, device or folder: refused unopened, since opening a FIFO blocks until
    /// someone writes to it and a device may never end.
    case notRegularFile(path: String, kind: String)
    /// The file is empty (zero bytes).
    case emptyFile(path: String)
    /// FFmpeg could not open the file as any container it knows.
    case cannotOpen(path: String, reason: String)
    /// An MP4/MOV file whose index (the `moov` box) is missing: it was cut off, or is still being
    /// written, by a recorder or a copy that has not finished.
    case missingIndex(path: String)
    /// The video's frames are larger than the pipeline allows (`sampling.max_pixels`): decoding
    /// them would take more memory than a worker is given.
    case frameTooLarge(path: String, width: Int, height: Int, limit: Int)
    /// The audio declares a sample rate or channel count no recording has (a damaged or hostile
    /// header); resampling it could take gigabytes.
    case implausibleAudio(path: String, sampleRate: Int, channels: Int)
    /// The container holds no video stream (an audio file, when only faces were asked for).
    case noVideoStream(path: String)
    /// The container holds no audio stream.
    case noAudioStream(path: String)
    /// There is a stream of `kind` (`video`, `audio`), but FFmpeg has no decoder for its codec.
    case unsupportedCodec(path: String, kind: String, codec: String)
    /// The video stream exists but not a single frame could be decoded from it.
    case noDecodableFrame(path: String, reason: String)
    /// An FFmpeg call failed in a way not covered above.
    case ffmpeg(call: String, reason: String)

    public var description: String {
        path.map { "\($0): " + reason } ?? reason
    }

    /// The file the error is about, when it is about one.
    public var path: String? {
        switch self {
        case .notFound(let path), .symlinkLoop(let path), .permissionDenied(let path), .unreadable(let path, _),
            .notRegularFile(let path, _), .emptyFile(let path), .cannotOpen(let path, _), .missingIndex(let path),
            .frameTooLarge(let path, _, _, _), .implausibleAudio(let path, _, _), .noVideoStream(let path),
            .noAudioStream(let path),
            .unsupportedCodec(let path, _, _), .noDecodableFrame(let path, _):
            return path
        case .ffmpeg:
            return nil
        }
    }

    /// What is wrong, without the path: for a line that already names the file.
    public var reason: String {
        switch self {
        case .notFound: return "no such file"
        case .symlinkLoop: return "symlink loop (too many levels of symbolic links)"
        case .permissionDenied: return "permission denied"
        case .unreadable(_, let reason): return "cannot be read (\(reason))"
        case .notRegularFile(_, let kind): return "\(kind), not a regular file: refused"
        case .emptyFile: return "file is empty (0 bytes)"
        case .cannotOpen(_, let reason): return "not a readable media file (\(reason))"
        case .missingIndex:
            return "incomplete file: no index (moov), so it was cut off or is still being written"
        case .frameTooLarge(_, let width, let height, let limit):
            return "frames of \(width)×\(height) (\(megapixels(width * height)) megapixels) are over the pipeline's "
                + "limit of \(megapixels(limit)) megapixels (sampling.max_pixels)"
        case .implausibleAudio(_, let rate, let channels):
            return "audio of \(rate) Hz and \(channels) channels is outside what recordings have "
                + "(\(AudioReader.plausibleRates.lowerBound)–\(AudioReader.plausibleRates.upperBound) Hz, "
                + "\(AudioReader.plausibleChannels.upperBound) channels at most): a damaged header?"
        case .noVideoStream: return "no video stream"
        case .noAudioStream: return "no audio stream"
        case .unsupportedCodec(_, let kind, let codec): return "no decoder for \(kind) codec \(codec)"
        case .noDecodableFrame(_, let reason): return "no decodable video frame (\(reason))"
        case .ffmpeg(let call, let reason): return "\(call) failed: \(reason)"
        }
    }
}

/// FFmpeg's own words for an error code.
func ffmpegErrorString(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    av_strerror(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `12.3` for 12,345,678 pixels.
private func megapixels(_ pixels: Int) -> String {
    String(format: "%.1f", Double(pixels) / 1e6)
}
