import CFFmpeg
import Foundation
import Model

/// An open container (libavformat): probes it on open and closes it when released.
///
/// Not `Sendable`: one task opens, reads and releases it.
public final class MediaFile {
    public let path: String
    public let info: MediaInfo
    let context: UnsafeMutablePointer<AVFormatContext>
    /// The bytes behind a file opened from memory; released after the container is closed.
    private let memory: MemoryInput?

    /// Opens and probes `path`, throwing a `MediaError` that names the cause when it cannot.
    ///
    /// Only a regular, readable, non-empty file is opened (`FileStamp.check`): a FIFO would block
    /// the open forever. Probing may decode a frame of each stream; decoders refuse frames of
    /// more than `maxPixels`, so a 16000×16000 image cannot take gigabytes before its size is known.
    ///
    /// - Parameters:
    ///   - path: the file (non-UTF-8 bytes escaped as `FileSystemPath` carries them).
    ///   - maxPixels: the largest frame, in pixels, a probing decoder may decode.
    /// - Throws: `MediaError`: what `FileStamp.check` throws; `.missingIndex` for an MP4 or MOV file without its index;
    ///   `.cannotOpen` when FFmpeg cannot open or probe it.
    public convenience init(path: String, maxPixels: Int = SamplingOptions.defaultMaxPixels) throws {
        _ = try FileStamp.check(path)
        try self.init(path: path, memory: nil, maxPixels: maxPixels) { opened in
            FileSystemPath.withCString(path) { avformat_open_input(&opened, $0, nil, nil) }
        }
    }

    /// Opens and probes a recording held in memory, as `init(path:)` does a file; `name` stands
    /// for its path in errors.
    ///
    /// - Parameters:
    ///   - bytes: the whole recording.
    ///   - name: what `path` and errors call it.
    ///   - maxPixels: the largest frame, in pixels, a probing decoder may decode.
    /// - Throws: `MediaError`: `.emptyFile` for no bytes; `.ffmpeg` when the memory input cannot be allocated;
    ///   `.cannotOpen` when FFmpeg cannot open or probe the bytes.
    public convenience init(
        bytes: [UInt8], name: String = "<memory>",
        maxPixels: Int = SamplingOptions.defaultMaxPixels
    ) throws {
        guard !bytes.isEmpty else { throw MediaError.emptyFile(path: name) }
        let memory = try MemoryInput(bytes: bytes)
        try self.init(path: name, memory: memory, maxPixels: maxPixels) { opened in
            guard let context = avformat_alloc_context() else { return emoscan_averror(ENOMEM) }
            context.pointee.pb = memory.context
            opened = context
            return avformat_open_input(&opened, nil, nil, nil)  // frees the context when it fails
        }
    }

    private init(
        path: String, memory: MemoryInput?, maxPixels: Int,
        open: (inout UnsafeMutablePointer<AVFormatContext>?) -> Int32
    ) throws {
        FFmpegLog.quietByDefault()
        var opened: UnsafeMutablePointer<AVFormatContext>?
        let openStatus = open(&opened)
        guard openStatus >= 0, let context = opened else {
            if openStatus == emoscan_averror_invaliddata(), memory == nil, Self.looksLikeISOMedia(path) {
                throw MediaError.missingIndex(path: path)
            }
            throw MediaError.cannotOpen(path: path, reason: ffmpegErrorString(openStatus))
        }
        let findStatus = Self.findStreamInfo(context, maxPixels: maxPixels)
        if findStatus < 0 {
            var toClose: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&toClose)
            throw MediaError.cannotOpen(path: path, reason: ffmpegErrorString(findStatus))
        }
        self.path = path
        self.context = context
        self.memory = memory
        self.info = MediaFile.probe(context)
    }

    /// `avformat_find_stream_info` with every stream's probing decoder held to `maxPixels`.
    private static func findStreamInfo(_ context: UnsafeMutablePointer<AVFormatContext>, maxPixels: Int) -> Int32 {
        let count = Int(context.pointee.nb_streams)
        var options = [OpaquePointer?](repeating: nil, count: max(1, count))
        for index in 0..<count { av_dict_set_int(&options[index], "max_pixels", Int64(maxPixels), 0) }
        defer { for index in 0..<count { av_dict_free(&options[index]) } }
        return options.withUnsafeMutableBufferPointer { avformat_find_stream_info(context, $0.baseAddress) }
    }

    /// Whether the file starts like an MP4/MOV (an ISO media box: `ftyp`, `mdat`, `free`, ...):
    /// FFmpeg then fails with a bare "invalid data" when the index box is missing.
    private static func looksLikeISOMedia(_ path: String) -> Bool {
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_NONBLOCK) }
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 8)
        guard read(descriptor, &header, 8) == 8 else { return false }
        let box = String(decoding: header[4..<8], as: UTF8.self)
        return ["ftyp", "mdat", "free", "wide", "skip", "pnot"].contains(box)
    }

    deinit {
        var toClose: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&toClose)
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        context.pointee.streams[index]!
    }

    /// The duration the container declares for stream `index`: its own, or the file's when it is
    /// the only audio or video stream (otherwise the file's may be another stream's).
    func declaredDuration(ofStream index: Int) -> Double? {
        let stream = self.stream(index)
        if let own = seconds(stream.pointee.duration, stream.pointee.time_base) { return own }
        let recordings = info.streams.filter { $0.kind == "audio" || $0.kind == "video" }
        guard recordings.count == 1, context.pointee.duration != emoscan_nopts_value() else { return nil }
        return Double(context.pointee.duration) / Double(emoscan_av_time_base())
    }

    // MARK: Probing

    private static func probe(_ context: UnsafeMutablePointer<AVFormatContext>) -> MediaInfo {
        let container = String(cString: context.pointee.iformat.pointee.name)
        var streams: [StreamInfo] = []
        var video: VideoStreamInfo?
        var audio: AudioStreamInfo?
        for index in 0..<Int(context.pointee.nb_streams) {
            let stream = context.pointee.streams[index]!
            let parameters = stream.pointee.codecpar.pointee
            let codec = String(cString: avcodec_get_name(parameters.codec_id))
            let duration = seconds(stream.pointee.duration, stream.pointee.time_base)
            streams.append(
                StreamInfo(
                    index: index, kind: kindName(parameters.codec_type), codec: codec,
                    durationSeconds: duration))
            // Cover art in audio files is a "video" stream of one attached picture: not a recording.
            let isCoverArt = stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0
            if video == nil, parameters.codec_type == AVMEDIA_TYPE_VIDEO, !isCoverArt {
                let rate = stream.pointee.avg_frame_rate
                video = VideoStreamInfo(
                    streamIndex: index, codec: codec,
                    width: Int(parameters.width), height: Int(parameters.height),
                    rotation: rotation(of: stream),
                    averageFrameRate: rate.num > 0 && rate.den > 0 ? av_q2d(rate) : nil,
                    frameCount: stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil)
            }
            if audio == nil, parameters.codec_type == AVMEDIA_TYPE_AUDIO {
                audio = AudioStreamInfo(
                    streamIndex: index, codec: codec, sampleRate: Int(parameters.sample_rate),
                    channels: Int(parameters.ch_layout.nb_channels))
            }
        }
        let containerDuration =
            context.pointee.duration == emoscan_nopts_value()
            ? nil : Double(context.pointee.duration) / Double(emoscan_av_time_base())
        let videoDuration = video.flatMap { streams[$0.streamIndex].durationSeconds }
        let stillImageDemuxers = ["image2", "png_pipe", "jpeg_pipe", "bmp_pipe", "webp_pipe", "tiff_pipe", "gif"]
        let isStill = stillImageDemuxers.contains(container) && (video?.frameCount ?? 1) <= 1
        return MediaInfo(
            container: container, durationSeconds: videoDuration ?? containerDuration,
            streams: streams, video: video, audio: audio, isStillImage: isStill)
    }

    /// Clockwise degrees to turn frames upright, from the stream's display matrix.
    private static func rotation(of stream: UnsafeMutablePointer<AVStream>) -> Int {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size),
            size >= 9 * MemoryLayout<Int32>.size
        else { return 0 }
        let counterClockwise = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard counterClockwise.isFinite else { return 0 }
        let clockwise = Int((-counterClockwise).rounded())
        return ((clockwise % 360 + 360) % 360 + 45) / 90 % 4 * 90
    }

    private static func kindName(_ type: AVMediaType) -> String {
        switch type {
        case AVMEDIA_TYPE_VIDEO: return "video"
        case AVMEDIA_TYPE_AUDIO: return "audio"
        case AVMEDIA_TYPE_SUBTITLE: return "subtitle"
        case AVMEDIA_TYPE_ATTACHMENT: return "attachment"
        default: return "data"
        }
    }
}

/// `value` in `timeBase` units as seconds, or nil when FFmpeg says "no timestamp".
func seconds(_ value: Int64, _ timeBase: AVRational) -> Double? {
    guard value != emoscan_nopts_value(), timeBase.den != 0 else { return nil }
    return Double(value) * av_q2d(timeBase)
}

/// FFmpeg logs to stderr by default; a batch of thousands of files must not drown the terminal
/// in decoder chatter, so its log is silenced unless the user asks for it.
public enum FFmpegLog {
    private static let configured: Void = { av_log_set_level(AV_LOG_QUIET) }()

    static func quietByDefault() { _ = configured }

    /// Lets FFmpeg's own warnings and errors through (for `--verbose`).
    public static func showWarnings() {
        quietByDefault()
        av_log_set_level(AV_LOG_WARNING)
    }
}
