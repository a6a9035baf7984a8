import CVShim
import Foundation

/// An ONNX network run by OpenCV's `dnn` module on the CPU.
///
/// Calls are serialised by a lock: one `cv::dnn::Net` is not reentrant, and each worker owns
/// its own networks anyway.
public final class ONNXNetwork: @unchecked Sendable {
    /// The file it was loaded from.
    public let path: String
    private let net: OpaquePointer
    private let lock = NSLock()

    /// Loads `path`; `role` names the model in errors ("face model", "voice model").
    ///
    /// - Parameters:
    ///   - path: The `.onnx` file.
    ///   - role: What the model is, for error messages ("face model", "voice model").
    /// - Throws: `OpenCVError` when OpenCV cannot load the file as an ONNX network.
    public init(path: String, role: String) throws {
        self.path = path
        let loaded = try withCVCall("loading \(role) \(path)") { error in cvs_net_load_onnx(path, &error) }
        guard let loaded else { throw OpenCVError(operation: "loading \(role) \(path)", message: "no network") }
        net = loaded
    }

    deinit { cvs_net_free(net) }

    /// Runs the network on one float tensor of `shape` (row-major) and returns its first output,
    /// flattened; throws unless that output has exactly `outputs` values.
    ///
    /// - Parameters:
    ///   - input: The tensor's values, row-major: exactly as many as `shape` holds (a precondition).
    ///   - shape: The tensor's dimensions, such as `[1, 1, 64, 64]`.
    ///   - outputs: How many values the first output must have: the model's label count.
    /// - Returns: The first output's `outputs` values.
    /// - Throws: `OpenCVError` when inference fails or the output has another number of values.
    public func forward(_ input: [Float], shape: [Int], outputs: Int) throws -> [Float] {
        precondition(input.count == shape.reduce(1, *), "input does not match its shape")
        var output = [Float](repeating: 0, count: outputs)
        var count: Int32 = 0
        let dims = shape.map { Int32($0) }
        _ = try lock.withLock {
            try withCVCall("inference with \(path)") { error in
                cvs_net_forward(net, input, dims, Int32(dims.count), &output, Int32(outputs), &count, &error)
            }
        }
        guard Int(count) == outputs else {
            throw OpenCVError(
                operation: "inference with \(path)",
                message: "the model gives \(count) outputs but \(outputs) labels are named for it")
        }
        return output
    }
}
