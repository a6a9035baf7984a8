import CVShim

/// An OpenCV call that failed, with OpenCV's message.
public struct OpenCVError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}

/// Calls a shim function with a fresh error slot, throwing `OpenCVError` when it reports one.
///
/// - Parameters:
///   - operation: What the call does, in words: the error's `operation` ("face detection").
///   - body: The shim call, given the error slot to pass on.
/// - Returns: What `body` returned, when the slot reports no error.
/// - Throws: `OpenCVError` with `operation` and OpenCV's message when the slot reports an error.
@discardableResult
public func withCVCall<T>(_ operation: String, _ body: (inout cvs_error) -> T) throws -> T {
    var error = cvs_error()
    let result = body(&error)
    guard error.code == 0 else {
        let message = withUnsafeBytes(of: error.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        throw OpenCVError(operation: operation, message: message)
    }
    return result
}

/// OpenCV's own thread pool: emoscan parallelises across files and stages, so on a small
/// machine nested OpenCV threads only compete with them.
public enum OpenCVThreads {
    /// Sets how many threads OpenCV's own parallel loops use, for the whole process (`cv::setNumThreads`).
    ///
    /// - Parameter count: The thread count handed to OpenCV; a negative one restores OpenCV's default.
    public static func set(_ count: Int) { cvs_set_num_threads(Int32(count)) }
}
