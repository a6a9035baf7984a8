import CFFmpeg

/// Why a recording could not be read. Each case's description names the cause in words an
/// operator can act on; it is what a failed result's `error` field says.
public enum MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case notFound(path: String)
    /// The file is empty (zero bytes).
    case emptyFile(path: String)
    /// FFmpeg could not open the file as any container it knows.
    case cannotOpen(path: String, reason: String)
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
        switch self {
        case .notFound(let path): return "\(path): no such file or not readable"
        case .emptyFile(let path): return "\(path): file is empty (0 bytes)"
        case .cannotOpen(let path, let reason): return "\(path): not a readable media file (\(reason))"
        case .noVideoStream(let path): return "\(path): no video stream"
        case .noAudioStream(let path): return "\(path): no audio stream"
        case .unsupportedCodec(let path, let kind, let codec): return "\(path): no decoder for \(kind) codec \(codec)"
        case .noDecodableFrame(let path, let reason): return "\(path): no decodable video frame (\(reason))"
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
