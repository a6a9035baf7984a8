import CVShim
import CVSupport
import Media

/// Lends `image`'s pixels to a shim call as a borrowed `cvs_gray`.
@discardableResult
func withCVGray<T>(_ image: GrayImage, _ body: (cvs_gray) throws -> T) rethrows -> T {
    try image.pixels.withUnsafeBufferPointer { pixels in
        try body(
            cvs_gray(
                pixels: pixels.baseAddress, width: Int32(image.width), height: Int32(image.height),
                stride: Int32(image.width)))
    }
}
