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
    ///   - inputSizeVaries: The network will see inputs of more than one size. OpenCV 4.6's layer
    ///     fusion then gives wrong outputs after the size changes (seen with CenterFace: every
    ///     cell a face), so it is turned off; at no cost measured on CenterFace.
    /// - Throws: `OpenCVError` when OpenCV cannot load the file as an ONNX network.
    public init(path: String, role: String, inputSizeVaries: Bool = false) throws {
        self.path = path
        let loaded = try withCVCall("loading \(role) \(path)") { error in cvs_net_load_onnx(path, &error) }
        guard let loaded else { throw OpenCVError(operation: "loading \(role) \(path)", message: "no network") }
        if inputSizeVaries { cvs_net_disable_fusion(loaded) }
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

    /// Runs the network on one float tensor of `shape` and returns the outputs `named`, each
    /// flattened, in that order; throws unless each has exactly the count given with its name.
    ///
    /// - Parameters:
    ///   - input: The tensor's values, row-major: exactly as many as `shape` holds (a precondition).
    ///   - shape: The tensor's dimensions, such as `[1, 3, 192, 320]`.
    ///   - named: Each output's name in the ONNX graph and how many values it must have.
    /// - Returns: One array per entry of `named`.
    /// - Throws: `OpenCVError` when inference fails or an output has another number of values.
    public func forward(_ input: [Float], shape: [Int], outputs named: [(name: String, count: Int)]) throws -> [[Float]]
    {
        precondition(input.count == shape.reduce(1, *), "input does not match its shape")
        let capacity = named.reduce(0) { $0 + $1.count }
        var output = [Float](repeating: 0, count: capacity)
        var counts = [Int32](repeating: 0, count: named.count)
        let dims = shape.map { Int32($0) }
        let names = named.map { strdup($0.name) }
        defer { for name in names { free(name) } }
        let pointers = names.map { UnsafePointer($0) }
        _ = try lock.withLock {
            try withCVCall("inference with \(path)") { error in
                cvs_net_forward_outputs(
                    net, input, dims, Int32(dims.count), pointers, Int32(named.count), &output, Int32(capacity),
                    &counts, &error)
            }
        }
        var offset = 0
        return try zip(named, counts).map { wanted, count in
            guard Int(count) == wanted.count else {
                throw OpenCVError(
                    operation: "inference with \(path)",
                    message: "output \(wanted.name) has \(count) values, not \(wanted.count)")
            }
            defer { offset += wanted.count }
            return Array(output[offset..<offset + wanted.count])
        }
    }
}
