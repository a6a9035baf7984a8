import CFFmpeg

/// Opens a decoder for `stream` of `file`, with `threads` decoder threads (0 lets FFmpeg choose).
/// `kind` and `codecName` name the stream in errors ("no decoder for audio codec opus").
func openDecoder(for stream: UnsafeMutablePointer<AVStream>, of file: MediaFile, kind: String, codecName: String,
                 threads: Int) throws -> UnsafeMutablePointer<AVCodecContext> {
    let parameters = stream.pointee.codecpar!
    guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
        throw MediaError.unsupportedCodec(path: file.path, kind: kind, codec: codecName)
    }
    var decoder = avcodec_alloc_context3(codec)
    guard let context = decoder else { throw MediaError.ffmpeg(call: "avcodec_alloc_context3", reason: "out of memory") }
    var status = avcodec_parameters_to_context(context, parameters)
    guard status >= 0 else {
        avcodec_free_context(&decoder)
        throw MediaError.ffmpeg(call: "avcodec_parameters_to_context", reason: ffmpegErrorString(status))
    }
    context.pointee.thread_count = Int32(threads)
    context.pointee.pkt_timebase = stream.pointee.time_base
    status = avcodec_open2(context, codec, nil)
    guard status >= 0 else {
        avcodec_free_context(&decoder)
        throw MediaError.unsupportedCodec(path: file.path, kind: kind, codec: "\(codecName) (\(ffmpegErrorString(status)))")
    }
    return context
}
