import Foundation

// The activations the encoder and the language step share.

/// GELU with the exact error function, as PyTorch's `nn.GELU()` and Whisper use.
func gelu(_ x: inout [Float]) {
    let scale = 1 / Float(2).squareRoot()
    for i in x.indices { x[i] = 0.5 * x[i] * (1 + erf(x[i] * scale)) }
}

/// Softmax of each row of `width` values, in place.
func softmaxRows(_ values: UnsafeMutableBufferPointer<Float>, width: Int) {
    for start in stride(from: 0, to: values.count, by: width) {
        var largest = -Float.infinity
        for i in start..<start + width { largest = max(largest, values[i]) }
        var total: Float = 0
        for i in start..<start + width {
            values[i] = exp(values[i] - largest)
            total += values[i]
        }
        for i in start..<start + width { values[i] /= total }
    }
}
