import CVShim
import Media

/// An OpenCV call that failed, with OpenCV's message.
public struct VisionError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let message: String

    public var description: String { "\(operation): \(message)" }
}

/// Calls a shim function with a fresh error slot, throwing `VisionError` when it reports one.
@discardableResult
func withCVCall<T>(_ operation: String, _ body: (inout cvs_error) -> T) throws -> T {
    var error = cvs_error()
    let result = body(&error)
    guard error.code == 0 else {
        let message = withUnsafeBytes(of: error.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        throw VisionError(operation: operation, message: message)
    }
    return result
}

/// Lends `image`'s pixels to a shim call as a borrowed `cvs_gray`.
@discardableResult
func withCVGray<T>(_ image: GrayImage, _ body: (cvs_gray) throws -> T) rethrows -> T {
    try image.pixels.withUnsafeBufferPointer { pixels in
        try body(cvs_gray(pixels: pixels.baseAddress, width: Int32(image.width), height: Int32(image.height),
                          stride: Int32(image.width)))
    }
}

/// OpenCV's own thread pool: emoscan parallelises across files and stages, so on a small
/// machine nested OpenCV threads only compete with them.
public enum OpenCVThreads {
    public static func set(_ count: Int) { cvs_set_num_threads(Int32(count)) }
}
