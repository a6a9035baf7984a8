import Foundation

/// The pixel size a PNG or JPEG file declares in its header, read without decoding it.
///
/// FFmpeg learns a still image's size only by decoding it, and a decoder held to `max_pixels`
/// forgets the size it refused; this is how the refusal can still name the size.
enum ImageHeader {
    /// The width and height declared by the PNG (IHDR) or JPEG (first SOF marker) at `path`.
    static func size(ofImageAt path: String) -> (width: Int, height: Int)? {
        let descriptor = FileSystemPath.withCString(path) { open($0, O_RDONLY | O_NONBLOCK) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // An SOF marker follows EXIF and ICC segments of at most 64 KiB each; a few suffice.
        var bytes = [UInt8](repeating: 0, count: 1 << 18)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return size(of: Array(bytes.prefix(count)))
    }

    static func size(of bytes: [UInt8]) -> (width: Int, height: Int)? {
        func bigEndian(_ offset: Int, _ length: Int) -> Int? {
            guard offset + length <= bytes.count else { return nil }
            return bytes[offset..<offset + length].reduce(0) { $0 << 8 | Int($1) }
        }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), bytes.count >= 24,
            bytes[12..<16].elementsEqual("IHDR".utf8), let width = bigEndian(16, 4), let height = bigEndian(20, 4)
        {
            return (width, height)
        }
        guard bytes.starts(with: [0xFF, 0xD8]) else { return nil }
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            guard let length = bigEndian(offset + 2, 2) else { return nil }
            let isStartOfFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isStartOfFrame, let height = bigEndian(offset + 5, 2), let width = bigEndian(offset + 7, 2) {
                return (width, height)
            }
            offset += 2 + length
        }
        return nil
    }
}
