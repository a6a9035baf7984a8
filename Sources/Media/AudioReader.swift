import CFFmpeg
import Model

// MARK: Values

/// A run of consecutive mono samples at the reader's rate.
public struct AudioChunk: Sendable {
    /// Time of the first sample, in seconds from the start of the audio stream.
    public var time: Double
    /// Samples in [-1, 1] (16-bit PCM reads as value / 32768, as librosa reads it).
    public var samples: [Float]

    public init(time: Double, samples: [Float]) {
        self.time = time
        self.samples = samples
    }
}

/// What reading the audio cost and found.
public struct AudioReadingStats: Codable, Sendable, Equatable {
    /// Samples delivered, at the output rate.
    public var samples = 0
    /// Packets or frames the decoder rejected (corrupt data).
    public var decodeErrors = 0
    /// NaN and infinite samples in float audio, replaced by silence before resampling: one
    /// would otherwise spread through the resampler's filter and turn the file's level into NaN.
    public var nonFiniteSamples = 0
}

// MARK: Reader

/// Decodes a file's audio stream and hands it out as mono float chunks at one sample rate.
///
/// Streaming: at most one chunk (plus the decoder's and resampler's own small buffers) is held at
/// a time, so a two-hour recording costs no more memory than a short one. Channels are averaged
/// into one (the mean, as librosa's `to_mono` does) and the rate is converted by libswresample.
/// Every other stream of the container is discarded unread by the demuxer.
public final class AudioReader {
    /// Samples per chunk: about 0.75 s at 22050 Hz, small enough to keep memory flat and large
    /// enough that per-chunk overhead does not matter.
    public static let chunkSize = 16_384

    public let file: MediaFile
    public let audio: AudioStreamInfo
    public let sampleRate: Int
    public private(set) var stats = AudioReadingStats()
    /// Things the caller should know about this file's audio besides truncation (decode errors,
    /// NaN/Inf samples), once it has been read.
    public var warnings: [String] {
        var warnings: [String] = []
        if stats.decodeErrors > 0 {
            warnings.append(
                "\(stats.decodeErrors) audio packet\(stats.decodeErrors == 1 ? "" : "s") could not be decoded (corrupt data)"
            )
        }
        if stats.nonFiniteSamples > 0 {
            warnings.append(
                "\(stats.nonFiniteSamples) NaN/Inf audio sample\(stats.nonFiniteSamples == 1 ? "" : "s") replaced by silence"
            )
        }
        return warnings
    }

    /// Once the stream has been read to its end: set when it ended before the duration the
    /// container declares for it (by more than 0.5 s and 2%), as a cut-off file does.
    public var truncation: Truncation? {
        guard drained, tail.isEmpty, let declared = file.declaredDuration(ofStream: audio.streamIndex) else {
            return nil
        }
        let end = max((startTime ?? 0) + Double(stats.samples) / Double(sampleRate), lastFrameEnd ?? 0)
        return declared - end > max(0.5, 0.02 * declared)
            ? Truncation(contentSeconds: end, declaredSeconds: declared) : nil
    }

    private let stream: UnsafeMutablePointer<AVStream>
    private let decoder: StreamDecoder
    private var resampler: OpaquePointer?
    /// The input the resampler was set up for (format, rate, channels): a stream may change it
    /// midway (a broadcast switching between stereo and 5.1), and a resampler fed frames of
    /// another shape reads planes that are not there (the fuzzer found it).
    private var resamplerInput: [Int32] = []
    /// Seconds of the first decoded sample; nil until a frame with a timestamp arrives.
    private var startTime: Double?
    /// Where the last decoded frame ends by its own timestamp (past a timestamp jump, this is
    /// later than the samples counted).
    private var lastFrameEnd: Double?
    private var drained = false
    /// What the resampler still held at the end of the stream, not yet handed out.
    private var tail: [Float] = []

    /// Prepares to read `file`'s audio at `sampleRate` Hz, mono. Throws `MediaError.noAudioStream`
    /// when there is none, `.unsupportedCodec` when FFmpeg cannot decode it.
    ///
    /// - Parameters:
    ///   - file: the opened file; its other streams are set to be discarded, so it serves this reader only.
    ///   - sampleRate: the rate, in Hz, of the samples handed out.
    /// - Throws: `MediaError`: `.noAudioStream`; `.implausibleAudio` for a declared rate or channel count no recording
    ///   has; `.unsupportedCodec`, or `.ffmpeg` when the decoder cannot be set up.
    public init(file: MediaFile, sampleRate: Int) throws {
        guard let audio = file.info.audio else { throw MediaError.noAudioStream(path: file.path) }
        try Self.checkShape(rate: audio.sampleRate, channels: audio.channels, of: file, zeroMeansUnknown: true)
        self.file = file
        self.audio = audio
        self.sampleRate = sampleRate
        self.stream = file.stream(audio.streamIndex)
        decoder = try StreamDecoder(
            file: file, stream: audio.streamIndex, kind: "audio", codecName: audio.codec, threads: 1)
        for index in 0..<Int(file.context.pointee.nb_streams) where index != audio.streamIndex {
            file.stream(index).pointee.discard = AVDISCARD_ALL
        }
    }

    deinit {
        swr_free(&resampler)
    }

    /// The next chunk of up to `chunkSize` samples, or nil at the end of the stream.
    ///
    /// - Returns: the chunk, with the time of its first sample; nil once the stream and the resampler are drained.
    /// - Throws: `MediaError.implausibleAudio` when a decoded frame has a rate or channel count no recording has;
    ///   `MediaError.ffmpeg` when the resampler cannot be set up or fails. Packets that do not decode are counted in
    ///   `stats`, not thrown.
    public func next() throws -> AudioChunk? {
        var samples = [Float](repeating: 0, count: Self.chunkSize)
        var filled = 0
        while filled < samples.count {
            if !tail.isEmpty {
                let count = min(tail.count, samples.count - filled)
                samples.replaceSubrange(filled..<filled + count, with: tail.prefix(count))
                tail.removeFirst(count)
                filled += count
            } else if drained {
                break
            } else if let decoded = decodeFrame() {
                filled += try resample(decoded, into: &samples, at: filled)
            } else {
                tail = try drainResampler()
                drained = true
            }
        }
        guard filled > 0 else { return nil }
        samples.removeLast(samples.count - filled)
        let time = (startTime ?? 0) + Double(stats.samples) / Double(sampleRate)
        stats.samples += filled
        return AudioChunk(time: time, samples: samples)
    }

    // MARK: Decoding

    /// The next decoded frame, or nil at the end of the stream.
    private func decodeFrame() -> UnsafeMutablePointer<AVFrame>? {
        defer { stats.decodeErrors = decoder.decodeErrors }
        guard let frame = decoder.nextFrame() else { return nil }
        replaceNonFiniteSamples(in: frame)
        let pts = frame.pointee.best_effort_timestamp
        let origin = stream.pointee.start_time == emoscan_nopts_value() ? 0 : stream.pointee.start_time
        let time = pts == emoscan_nopts_value() ? nil : max(0, Double(pts - origin) * av_q2d(stream.pointee.time_base))
        if startTime == nil { startTime = time ?? 0 }
        if let time, frame.pointee.sample_rate > 0 {
            lastFrameEnd = time + Double(frame.pointee.nb_samples) / Double(frame.pointee.sample_rate)
        }
        return frame
    }

    /// Float samples that are NaN or infinite become 0 (in place; the frame is made writable first).
    private func replaceNonFiniteSamples(in frame: UnsafeMutablePointer<AVFrame>) {
        let format = AVSampleFormat(frame.pointee.format)
        guard [AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_DBL, AV_SAMPLE_FMT_DBLP].contains(format) else {
            return
        }
        let channels = Int(frame.pointee.ch_layout.nb_channels)
        let planar = av_sample_fmt_is_planar(format) != 0
        let planes = planar ? channels : 1
        let perPlane = Int(frame.pointee.nb_samples) * (planar ? 1 : channels)
        func scan<T: BinaryFloatingPoint>(_: T.Type, write: Bool) -> Int {
            var found = 0
            for plane in 0..<planes {
                guard let data = frame.pointee.extended_data[plane] else { continue }
                let samples = UnsafeMutableRawPointer(data).assumingMemoryBound(to: T.self)
                for index in 0..<perPlane where !samples[index].isFinite {
                    found += 1
                    if write { samples[index] = 0 }
                }
            }
            return found
        }
        let isDouble = format == AV_SAMPLE_FMT_DBL || format == AV_SAMPLE_FMT_DBLP
        let found = isDouble ? scan(Double.self, write: false) : scan(Float.self, write: false)
        guard found > 0, av_frame_make_writable(frame) >= 0 else { return }
        _ = isDouble ? scan(Double.self, write: true) : scan(Float.self, write: true)
        stats.nonFiniteSamples += found
    }

    // MARK: Resampling

    /// Converts `source` into `samples` from `offset`, returning how many samples were written.
    /// Whatever does not fit stays buffered in the resampler for the next call.
    private func resample(
        _ source: UnsafeMutablePointer<AVFrame>, into samples: inout [Float], at offset: Int
    ) throws -> Int {
        let input = [source.pointee.format, source.pointee.sample_rate, source.pointee.ch_layout.nb_channels]
        if resampler != nil, input != resamplerInput { swr_free(&resampler) }  // its few buffered samples go too
        if resampler == nil {
            try openResampler(for: source)
            resamplerInput = input
        }
        let room = Int32(samples.count - offset)
        let written = samples.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var output: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(buffer.baseAddress! + offset)
                .assumingMemoryBound(to: UInt8.self)
            let planes = Int(source.pointee.ch_layout.nb_channels)
            return source.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: planes) {
                swr_convert(resampler, &output, room, $0, source.pointee.nb_samples)
            }
        }
        guard written >= 0 else { throw MediaError.ffmpeg(call: "swr_convert", reason: ffmpegErrorString(written)) }
        return Int(written)
    }

    /// Everything the resampler still holds (buffered output and its filter delay), in one call.
    private func drainResampler() throws -> [Float] {
        guard resampler != nil else { return [] }  // no audio was ever decoded
        var samples = [Float](repeating: 0, count: Int(max(0, swr_get_out_samples(resampler, 0))) + 64)
        let written = samples.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var output: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(buffer.baseAddress!)
                .assumingMemoryBound(to: UInt8.self)
            return swr_convert(resampler, &output, Int32(buffer.count), nil, 0)
        }
        guard written >= 0 else { throw MediaError.ffmpeg(call: "swr_convert", reason: ffmpegErrorString(written)) }
        samples.removeLast(samples.count - Int(written))
        return samples
    }

    /// Sets up libswresample from the first frame's actual format (the container's parameters
    /// can be missing or wrong), downmixing to mono.
    /// Sample rates a recording can have: from telephone-band oddities to 768 kHz studio audio.
    static let plausibleRates = 1_000...768_000
    /// Channels libswresample mixes (`SWR_CH_MAX`).
    static let plausibleChannels = 1...64

    /// Refuses audio whose declared shape no recording has: a header claiming 1.5 GHz makes the
    /// resampler's filter take gigabytes (the fuzzer found it, in a 4 KB WAV).
    /// `zeroMeansUnknown`: the container may not say (its decoder will), the decoded frame must.
    private static func checkShape(rate: Int, channels: Int, of file: MediaFile, zeroMeansUnknown: Bool = false) throws
    {
        guard plausibleRates.contains(rate) || (zeroMeansUnknown && rate == 0),
            plausibleChannels.contains(channels) || (zeroMeansUnknown && channels == 0)
        else {
            throw MediaError.implausibleAudio(path: file.path, sampleRate: rate, channels: channels)
        }
    }

    private func openResampler(for source: UnsafeMutablePointer<AVFrame>) throws {
        try Self.checkShape(
            rate: Int(source.pointee.sample_rate), channels: Int(source.pointee.ch_layout.nb_channels), of: file)
        var inputLayout = AVChannelLayout()
        if source.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            // Only a channel count is known: assume the usual layout for it, as ffmpeg(1) does.
            av_channel_layout_default(&inputLayout, source.pointee.ch_layout.nb_channels)
        } else {
            av_channel_layout_copy(&inputLayout, &source.pointee.ch_layout)
        }
        defer { av_channel_layout_uninit(&inputLayout) }
        var mono = AVChannelLayout()
        av_channel_layout_default(&mono, 1)
        var status = swr_alloc_set_opts2(
            &resampler, &mono, AV_SAMPLE_FMT_FLT, Int32(sampleRate),
            &inputLayout, AVSampleFormat(source.pointee.format), source.pointee.sample_rate,
            0, nil)
        // libswresample's own windowed-sinc resampler (32 taps, Kaiser window) with the passband
        // of resampy's `kaiser_fast`, which the audioanalytics model's training resampled with.
        // (libsoxr, librosa's newer default, crashes in swr_convert's flush when upsampling.)
        if status >= 0 { status = av_opt_set_double(UnsafeMutableRawPointer(resampler), "cutoff", 0.85, 0) }
        if status >= 0 {
            // libswresample's own downmix weighs stereo by 1/√2 each; the mean is what librosa does.
            let channels = Int(inputLayout.nb_channels)
            let matrix = [Double](repeating: 1 / Double(channels), count: channels)
            if channels > 1 { status = swr_set_matrix(resampler, matrix, Int32(channels)) }
        }
        if status >= 0 { status = swr_init(resampler) }
        guard status >= 0 else {
            swr_free(&resampler)
            throw MediaError.ffmpeg(call: "swr_init", reason: ffmpegErrorString(status))
        }
    }
}
