import CFFmpeg
import Foundation

/// Bytes in memory read through FFmpeg's custom I/O (an `AVIOContext` with read and seek
/// callbacks), so that a recording can be probed, sampled and listened to without a file: what
/// the fuzzer feeds the decoding path, and what an upload held in memory would use.
final class MemoryInput {
    private let bytes: [UInt8]
    private var position = 0
    private(set) var context: UnsafeMutablePointer<AVIOContext>?

    /// FFmpeg reads through a buffer of its own of this size.
    private static let bufferSize: Int32 = 1 << 16

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        guard let buffer = av_malloc(Int(Self.bufferSize))?.assumingMemoryBound(to: UInt8.self) else {
            throw MediaError.ffmpeg(call: "av_malloc", reason: "out of memory")
        }
        context = avio_alloc_context(
            buffer, Self.bufferSize, 0, Unmanaged.passUnretained(self).toOpaque(),
            { opaque, buffer, size in MemoryInput.from(opaque).read(into: buffer, size: size) },
            nil,
            { opaque, offset, whence in MemoryInput.from(opaque).seek(to: offset, whence: whence) })
        guard context != nil else {
            av_free(buffer)
            throw MediaError.ffmpeg(call: "avio_alloc_context", reason: "out of memory")
        }
    }

    deinit {
        guard let context else { return }
        // FFmpeg may have replaced the buffer it was given: free the one it holds now.
        withUnsafeMutablePointer(to: &context.pointee.buffer) { av_freep($0) }
        self.context = nil
        var toFree: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&toFree)
    }

    private static func from(_ opaque: UnsafeMutableRawPointer?) -> MemoryInput {
        Unmanaged<MemoryInput>.fromOpaque(opaque!).takeUnretainedValue()
    }

    private func read(into buffer: UnsafeMutablePointer<UInt8>?, size: Int32) -> Int32 {
        let count = min(Int(size), bytes.count - position)
        guard count > 0, let buffer else { return emoscan_averror_eof() }
        bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + position, count: count) }
        position += count
        return Int32(count)
    }

    private func seek(to offset: Int64, whence: Int32) -> Int64 {
        if whence & AVSEEK_SIZE != 0 { return Int64(bytes.count) }
        let base: Int64
        switch whence & ~AVSEEK_FORCE {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = Int64(position)
        case SEEK_END: base = Int64(bytes.count)
        default: return Int64(emoscan_averror(EINVAL))
        }
        let target = base.addingReportingOverflow(offset)
        guard !target.overflow, target.partialValue >= 0, target.partialValue <= Int64(bytes.count) else {
            return Int64(emoscan_averror(EINVAL))
        }
        position = Int(target.partialValue)
        return target.partialValue
    }
}
