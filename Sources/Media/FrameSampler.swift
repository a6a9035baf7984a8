import CFFmpeg
import Model

// MARK: Options and values

/// One sampled frame: upright, gray, with its presentation time.
public struct SampledFrame: Sendable {
    /// Position among the sampled frames (0, 1, 2, ...).
    public var index: Int
    /// Presentation time in seconds from the stream's start, from the frame's own timestamp.
    public var time: Double
    public var image: GrayImage
}

// MARK: Sampler

/// Decodes a video stream and hands out the frames nearest to evenly spaced presentation times.
///
/// Planning reads the stream's packets once without decoding them: that gives every frame's
/// presentation time (so a variable-frame-rate file is sampled evenly in time, not in frame
/// count) and where the keyframes are. Decoding then goes forward through the file and, for each
/// chosen frame, seeks to the keyframe before it only when that skips enough frames to pay for
/// the seek; on a long GOP it is one sequential pass, on a short GOP mostly seeks. Either way,
/// H.264 and HEVC decoders skip the non-reference frames before each target, so a long GOP's
/// B-frames cost nothing. Only chosen frames are converted (swscale, straight to gray) and
/// rotated upright.
public final class FrameSampler {
    /// Seeking flushes the decoder and rereads from a keyframe: not worth it to skip fewer frames than this.
    static let minFramesSkippedBySeek = 16
    /// Codecs whose decoders skip non-reference frames on request (`AVDISCARD_NONREF`).
    static let codecsSkippingNonReference: Set<String> = ["h264", "hevc"]

    public let file: MediaFile
    public let video: VideoStreamInfo
    public private(set) var stats = SamplingStats()
    /// Set when the stream ends before its declared duration, or holds fewer frames than the
    /// container's index lists: the file was cut off or is still being written.
    public private(set) var truncation: Truncation?
    /// Things the caller should know about this file's video besides truncation, in words a
    /// person can act on: damaged packets, timestamp jumps, an early end.
    public var warnings: [String] {
        var warnings = endWarnings
        for jump in stats.timestampJumps {
            warnings.append(
                "timestamp jump of \(Truncation.words(jump.seconds)) at \(Truncation.words(jump.at)): sampled the "
                    + "\(Truncation.words(stats.contentSeconds ?? 0)) of content")
        }
        if stats.decodeErrors > 0 {
            warnings.append(
                "\(stats.decodeErrors) video packet\(stats.decodeErrors == 1 ? "" : "s") could not be decoded (corrupt data)"
            )
        }
        if stats.corruptFrames > 0 {
            warnings.append(
                "\(stats.corruptFrames) decoded video frame\(stats.corruptFrames == 1 ? " was" : "s were") damaged")
        }
        return warnings
    }
    private var endWarnings: [String] = []

    private let options: SamplingOptions
    private let stream: UnsafeMutablePointer<AVStream>
    private let decoder: StreamDecoder
    private var scaler: OpaquePointer?

    /// Presentation timestamps of every frame, sorted, and of the keyframes.
    private var frameTimestamps: [Int64] = []
    private var keyframeTimestamps: [Int64] = []
    /// The timestamps of the frames to hand out, ascending.
    private var targets: [Int64] = []
    private var nextTarget = 0
    private var sampledCount = 0
    /// Timestamp of the last frame decoded (or just before the keyframe last sought to).
    private var position: Int64?
    private var seeksForCurrentTarget = 0
    private var lastSeekTarget: Int64?

    /// Plans the sampling of `file`'s video stream: up to `options.maxFrames` frames, evenly spaced in time.
    ///
    /// Reads every video packet's timestamp once, without decoding (not for a still image, which is one frame), and
    /// finds truncation and timestamp jumps on the way.
    ///
    /// - Parameters:
    ///   - file: the opened file; its other streams are set to be discarded, so it serves this sampler only.
    ///   - options: how many frames, how large, and how many decoder threads.
    /// - Throws: `MediaError`: `.noVideoStream`; `.frameTooLarge` when the declared frame size is over
    ///   `options.maxPixels`; `.unsupportedCodec` or `.ffmpeg` when the decoder cannot be set up; `.noDecodableFrame`
    ///   when the stream holds no packets; `.ffmpeg` when it cannot seek back to the start.
    public init(file: MediaFile, options: SamplingOptions) throws {
        guard let video = file.info.video else { throw MediaError.noVideoStream(path: file.path) }
        self.file = file
        self.video = video
        self.options = options
        self.stream = file.stream(video.streamIndex)
        if video.width * video.height > options.maxPixels {
            throw MediaError.frameTooLarge(
                path: file.path, width: video.width, height: video.height, limit: options.maxPixels)
        }
        decoder = try StreamDecoder(
            file: file, stream: video.streamIndex, kind: "video", codecName: video.codec,
            threads: options.decoderThreads, maxPixels: options.maxPixels)
        for index in 0..<Int(file.context.pointee.nb_streams) where index != video.streamIndex {
            file.stream(index).pointee.discard = AVDISCARD_ALL
        }
        if file.info.isStillImage {
            // A still image is one frame: take the first one decoded, whatever its timestamp.
            targets = [Int64.min]
        } else {
            try scanPackets()
            let timeline = ContentTimeline(
                timestamps: frameTimestamps, secondsPerTick: av_q2d(stream.pointee.time_base))
            findDamage(in: timeline)
            try rewind()
            targets = timeline.evenlySpaced(count: options.maxFrames)
            stats.skippedNonReference = Self.codecsSkippingNonReference.contains(video.codec)
        }
        stats.framesTargeted = targets.count
    }

    deinit {
        sws_freeContext(scaler)
    }

    /// The next sampled frame, or nil when all are delivered or the stream ended.
    ///
    /// - Returns: the frame, upright, gray and at most `options.maxWidth` wide; nil when every target is served, or the
    ///   stream ended early (then `warnings` says so).
    /// - Throws: `MediaError`: `.noDecodableFrame` when not one frame decodes; `.frameTooLarge` for a still image over
    ///   `options.maxPixels`; `.ffmpeg` when a frame cannot be converted to gray.
    public func next() throws -> SampledFrame? {
        while nextTarget < targets.count {
            let target = targets[nextTarget]
            seekIfWorthIt(toward: target)
            if stats.skippedNonReference { decoder.skipNonReferenceFrames(before: target) }
            guard let decoded = decodeFrame() else {
                let missing = targets.count - nextTarget
                if sampledCount == 0, file.info.isStillImage, let size = ImageHeader.size(ofImageAt: file.path),
                    size.width * size.height > options.maxPixels
                {
                    throw MediaError.frameTooLarge(
                        path: file.path, width: size.width, height: size.height, limit: options.maxPixels)
                }
                if sampledCount == 0 {
                    throw MediaError.noDecodableFrame(
                        path: file.path,
                        reason: stats.decodeErrors > 0 ? "\(stats.decodeErrors) decode errors" : "stream ended")
                }
                endWarnings.append(
                    "video ended before \(missing) of \(targets.count) sampling times"
                        + " (truncated or corrupt file?)")
                nextTarget = targets.count
                return nil
            }
            let pts = decoded.pointee.best_effort_timestamp
            let hasTimestamp = pts != emoscan_nopts_value()
            if hasTimestamp && pts < target { continue }
            if hasTimestamp, pts > target, lastSeekTarget == target, seeksForCurrentTarget < 3 {
                stepBackAfterOvershoot(target: target)
                continue
            }
            // This frame serves every target it reaches, so a short video yields each frame once.
            while nextTarget < targets.count, !hasTimestamp || targets[nextTarget] <= pts {
                nextTarget += 1
                if !hasTimestamp { break }
            }
            seeksForCurrentTarget = 0
            lastSeekTarget = nil
            let image = try convert(decoded).rotated(clockwise: video.rotation)
            (stats.frameWidth, stats.frameHeight) = (image.width, image.height)
            let time = hasTimestamp ? Self.seconds(pts, from: stream) : 0
            defer { sampledCount += 1 }
            return SampledFrame(index: sampledCount, time: time, image: image)
        }
        return nil
    }

    // MARK: Planning

    /// Reads every video packet once (no decoding) for frame and keyframe timestamps.
    private func scanPackets() throws {
        var all: [Int64] = []
        var keys: [Int64] = []
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        while av_read_frame(file.context, packet) >= 0 {
            defer { av_packet_unref(packet) }
            guard packet!.pointee.stream_index == Int32(video.streamIndex) else { continue }
            stats.videoPackets += 1
            let p = packet!.pointee
            let pts = p.pts != emoscan_nopts_value() ? p.pts : p.dts
            guard pts != emoscan_nopts_value() else { continue }
            all.append(pts)
            if p.flags & AV_PKT_FLAG_KEY != 0 { keys.append(pts) }
        }
        guard !all.isEmpty else {
            throw MediaError.noDecodableFrame(path: file.path, reason: "the video stream holds no packets")
        }
        frameTimestamps = Array(Set(all)).sorted()
        keyframeTimestamps = Array(Set(keys)).sorted()
    }

    /// Truncation and timestamp jumps, from the packets scanned against what the container declares.
    private func findDamage(in timeline: ContentTimeline) {
        let tick = av_q2d(stream.pointee.time_base)
        let frameSeconds = Double(timeline.medianGap) * tick
        stats.timestampJumps = timeline.jumps.map { index in
            TimestampJump(
                at: Self.seconds(frameTimestamps[index - 1], from: stream),
                seconds: Double(frameTimestamps[index] - frameTimestamps[index - 1]) * tick)
        }
        let end = Self.seconds(frameTimestamps.last ?? 0, from: stream) + frameSeconds
        // The container's index lists every frame it was written with; a cut-off file reads fewer.
        let indexed = Int(avformat_index_get_entries_count(stream))
        if let declared = file.declaredDuration(ofStream: video.streamIndex),
            indexed > stats.videoPackets || declared - end > max(0.5, 2 * frameSeconds)
        {
            truncation = Truncation(contentSeconds: end, declaredSeconds: declared)
        }
        if !stats.timestampJumps.isEmpty {
            stats.contentSeconds = timeline.span * tick
        } else if truncation != nil {
            stats.contentSeconds = end
        }
    }

    /// Back to the first packet. Seeking by timestamp bisects the file on the timestamps it finds,
    /// which a jump misleads (it lands after the jump), so a stream with one goes back by byte,
    /// and is then decoded straight through.
    private func rewind() throws {
        let start = frameTimestamps.first ?? 0
        if !stats.timestampJumps.isEmpty
            || av_seek_frame(file.context, Int32(video.streamIndex), start, AVSEEK_FLAG_BACKWARD) < 0
        {
            let status = av_seek_frame(file.context, -1, 0, AVSEEK_FLAG_BYTE)
            if status < 0 { throw MediaError.ffmpeg(call: "av_seek_frame", reason: ffmpegErrorString(status)) }
        }
    }

    /// Index of the first element not less than `value`.
    private static func lowerBound(_ value: Int64, in sorted: [Int64]) -> Int {
        var (low, high) = (0, sorted.count)
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: Decoding

    private func seekIfWorthIt(toward target: Int64) {
        guard target != Int64.min, stats.timestampJumps.isEmpty else { return }
        let keyIndex = Self.lowerBound(target + 1, in: keyframeTimestamps) - 1
        guard keyIndex >= 0 else { return }
        let keyframe = keyframeTimestamps[keyIndex]
        let from = position.map { Self.lowerBound($0 + 1, in: frameTimestamps) } ?? 0
        let skipped = Self.lowerBound(keyframe, in: frameTimestamps) - from
        if skipped >= Self.minFramesSkippedBySeek { seek(to: keyframe, for: target) }
    }

    /// After a seek landed past the target (the packet flags and the decoder disagree on a
    /// keyframe), seeks one keyframe further back, or to the start when there is none.
    private func stepBackAfterOvershoot(target: Int64) {
        let keyIndex = Self.lowerBound(target + 1, in: keyframeTimestamps) - 1 - seeksForCurrentTarget
        seek(to: keyIndex >= 0 ? keyframeTimestamps[keyIndex] : frameTimestamps[0], for: target)
    }

    private func seek(to keyframe: Int64, for target: Int64) {
        guard av_seek_frame(file.context, Int32(video.streamIndex), keyframe, AVSEEK_FLAG_BACKWARD) >= 0 else { return }
        decoder.flush()
        position = keyframe - 1
        stats.seeks += 1
        seeksForCurrentTarget += 1
        lastSeekTarget = target
    }

    /// The next decoded frame in presentation order, or nil at the end of the stream.
    private func decodeFrame() -> UnsafeMutablePointer<AVFrame>? {
        defer {
            stats.framesDecoded = decoder.framesDecoded
            stats.decodeErrors = decoder.decodeErrors
            stats.corruptFrames = decoder.corruptFrames
        }
        guard let frame = decoder.nextFrame() else { return nil }
        let pts = frame.pointee.best_effort_timestamp
        if pts != emoscan_nopts_value() { position = pts }
        return frame
    }

    /// The frame as gray, scaled to at most `maxWidth`.
    private func convert(_ source: UnsafeMutablePointer<AVFrame>) throws -> GrayImage {
        let (width, height) = (Int(source.pointee.width), Int(source.pointee.height))
        let outWidth = min(width, options.maxWidth)
        let outHeight = max(1, Int((Double(height) * Double(outWidth) / Double(width)).rounded()))
        scaler = sws_getCachedContext(
            scaler, Int32(width), Int32(height), AVPixelFormat(source.pointee.format),
            Int32(outWidth), Int32(outHeight), AV_PIX_FMT_GRAY8, SWS_BILINEAR,
            nil, nil, nil)
        guard let scaler else {
            throw MediaError.ffmpeg(
                call: "sws_getCachedContext",
                reason: "cannot convert \(width)×\(height) pixel format \(source.pointee.format)")
        }
        var pixels = [UInt8](repeating: 0, count: outWidth * outHeight)
        pixels.withUnsafeMutableBufferPointer { out in
            var destination: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress, nil, nil, nil]
            var destinationStride: [Int32] = [Int32(outWidth), 0, 0, 0]
            withUnsafePointer(to: &source.pointee.data) { data in
                withUnsafePointer(to: &source.pointee.linesize) { linesize in
                    data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                        linesize.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            _ = sws_scale(scaler, planes, strides, 0, Int32(height), &destination, &destinationStride)
                        }
                    }
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: pixels)
    }

    private static func seconds(_ pts: Int64, from stream: UnsafeMutablePointer<AVStream>) -> Double {
        let start = stream.pointee.start_time == emoscan_nopts_value() ? 0 : stream.pointee.start_time
        return Double(pts - start) * av_q2d(stream.pointee.time_base)
    }
}
