import CFFmpeg
import Model

/// Decodes one stream of an open file: reads the container's packets, feeds those of its stream
/// to the decoder and hands out frames in presentation order, draining the decoder at the end.
/// `FrameSampler` and `AudioReader` both decode through it.
final class StreamDecoder {
    /// Frames the decoder produced.
    private(set) var framesDecoded = 0
    /// Packets or frames the decoder rejected (corrupt data).
    private(set) var decodeErrors = 0
    /// Frames decoded but flagged as damaged (`decode_error_flags`, `AV_FRAME_FLAG_CORRUPT`).
    private(set) var corruptFrames = 0

    private let file: MediaFile
    private let streamIndex: Int32
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    // Allocated once the decoder is open: an initializer that throws runs no deinit, so anything
    // allocated before the throw would leak (the fuzzer found it, on a codec FFmpeg cannot open).
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var inputEnded = false
    /// Packets presented before this time are not decoded when nothing is predicted from them.
    private var skipNonReferenceBefore: Int64?

    /// Opens a decoder for stream `index` of `file`, with `threads` decoder threads (0 lets FFmpeg
    /// choose). `kind` and `codecName` name the stream in errors ("no decoder for audio codec opus").
    /// A frame of more than `maxPixels` is an error, not an allocation.
    init(
        file: MediaFile, stream index: Int, kind: String, codecName: String, threads: Int,
        maxPixels: Int = SamplingOptions.defaultMaxPixels
    ) throws {
        let context = try Self.open(
            file.stream(index), of: file, kind: kind, codecName: codecName, threads: threads,
            maxPixels: maxPixels)
        self.file = file
        decoder = context
        streamIndex = Int32(index)
        packet = av_packet_alloc()
        frame = av_frame_alloc()
    }

    /// An open decoder for `stream`, or an error naming what is missing; frees what it allocated on failure.
    private static func open(
        _ stream: UnsafeMutablePointer<AVStream>, of file: MediaFile, kind: String,
        codecName: String, threads: Int, maxPixels: Int
    ) throws -> UnsafeMutablePointer<AVCodecContext> {
        let parameters = stream.pointee.codecpar!
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw MediaError.unsupportedCodec(path: file.path, kind: kind, codec: codecName)
        }
        var decoder = avcodec_alloc_context3(codec)
        guard let context = decoder else {
            throw MediaError.ffmpeg(call: "avcodec_alloc_context3", reason: "out of memory")
        }
        var status = avcodec_parameters_to_context(context, parameters)
        guard status >= 0 else {
            avcodec_free_context(&decoder)
            throw MediaError.ffmpeg(call: "avcodec_parameters_to_context", reason: ffmpegErrorString(status))
        }
        context.pointee.thread_count = Int32(threads)
        context.pointee.max_pixels = Int64(maxPixels)
        context.pointee.pkt_timebase = stream.pointee.time_base
        status = avcodec_open2(context, codec, nil)
        guard status >= 0 else {
            avcodec_free_context(&decoder)
            throw MediaError.unsupportedCodec(
                path: file.path, kind: kind, codec: "\(codecName) (\(ffmpegErrorString(status)))")
        }
        return context
    }

    deinit {
        avcodec_free_context(&decoder)
        av_packet_free(&packet)
        av_frame_free(&frame)
    }

    /// The next decoded frame (valid until the next call), or nil at the end of the stream.
    func nextFrame() -> UnsafeMutablePointer<AVFrame>? {
        while true {
            let received = avcodec_receive_frame(decoder, frame)
            if received == 0 {
                framesDecoded += 1
                if frame!.pointee.decode_error_flags != 0 || frame!.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0 {
                    corruptFrames += 1
                }
                return frame
            }
            if received == emoscan_averror_eof() { return nil }
            if received != emoscan_averror(EAGAIN) { decodeErrors += 1 }
            if inputEnded { return nil }
            if av_read_frame(file.context, packet) < 0 {
                inputEnded = true
                avcodec_send_packet(decoder, nil)  // drain the frames the decoder still holds
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet!.pointee.stream_index == streamIndex else { continue }
            if let before = skipNonReferenceBefore {
                // Decided per packet: the decoder reads `skip_frame` as each picture arrives.
                let pts = packet!.pointee.pts
                decoder!.pointee.skip_frame =
                    pts != emoscan_nopts_value() && pts < before ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
            }
            if avcodec_send_packet(decoder, packet) < 0 { decodeErrors += 1 }
        }
    }

    /// From now on, frames presented before `time` (in the stream's time base) are skipped when no
    /// other frame is predicted from them: a sampler wants the frame at `time`, and decoding the
    /// B-frames on the way there is wasted work. Frames at or after `time` are all decoded.
    func skipNonReferenceFrames(before time: Int64) {
        skipNonReferenceBefore = time
    }

    /// Forgets buffered frames after the file was sought, so decoding restarts at the new position.
    func flush() {
        avcodec_flush_buffers(decoder)
        inputEnded = false
    }
}
