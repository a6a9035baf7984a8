/// An 8-bit grayscale image, row-major and tightly packed (`width` bytes per row).
///
/// Every consumer in emoscan (face detection, quality metrics, the face model) works on gray,
/// so frames are converted straight to gray once, by swscale, and never carried in colour.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// An image of `width` × `height` pixels.
    ///
    /// - Parameters:
    ///   - width: pixels per row.
    ///   - height: rows.
    ///   - pixels: exactly `width × height` gray values, row by row from the top (a precondition).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "pixel count must be width × height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at column `x`, row `y`.
    ///
    /// - Parameters:
    ///   - x: the column, from 0 at the left; below `width` (not checked: a larger one reads the next row).
    ///   - y: the row, from 0 at the top.
    /// - Returns: the gray value, 0 black to 255 white.
    public subscript(x: Int, y: Int) -> UInt8 {
        pixels[y * width + x]
    }

    /// This image turned clockwise by a multiple of 90 degrees (any other angle is rounded to one).
    ///
    /// - Parameter degrees: the clockwise angle; negative turns counter-clockwise, and an angle halfway between two
    ///   quarter turns rounds clockwise (45° to 90°, -45° to 0°).
    /// - Returns: the turned image, width and height swapped by a quarter turn; this image when it rounds to no turn.
    public func rotated(clockwise degrees: Int) -> GrayImage {
        let quarterTurns = ((degrees % 360 + 360) % 360 + 45) / 90 % 4
        if quarterTurns == 0 { return self }
        let (w, h) = (width, height)
        let outWidth = quarterTurns == 2 ? w : h
        let outHeight = quarterTurns == 2 ? h : w
        var out = [UInt8](repeating: 0, count: w * h)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        let (nx, ny): (Int, Int)
                        switch quarterTurns {
                        case 1: (nx, ny) = (h - 1 - y, x)  // 90° clockwise
                        case 2: (nx, ny) = (w - 1 - x, h - 1 - y)  // 180°
                        default: (nx, ny) = (y, w - 1 - x)  // 270° clockwise
                        }
                        dst[ny * outWidth + nx] = src[y * w + x]
                    }
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: out)
    }
}
