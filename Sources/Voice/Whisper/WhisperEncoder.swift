import Foundation

/// Whisper base's audio encoder, run in Swift over BLAS: two convolutions (kernel 3, the second
/// with stride 2) with GELU, sinusoidal positions, six pre-norm transformer blocks (width 512,
/// 8 heads, a 2048-wide GELU feed-forward layer) and a final layer norm.
///
/// It encodes what it is given, unpadded: Whisper was trained on 30 s windows, but padding a 3 s
/// segment to 30 s would cost ten times the work. The weights are the process's one mapping
/// (`WhisperWeights.shared`); an encoder holds only pointers into it, so any number of workers
/// may each have one.
public struct WhisperEncoder: @unchecked Sendable {
    /// Width of the hidden states.
    public static let width = 512
    /// Transformer blocks.
    public static let blockCount = 6
    /// The most frames the positions cover: 30 s of audio.
    public static let maxFrames = 1500
    private static let heads = 8
    private static let headWidth = width / heads
    private static let feedForwardWidth = 2048

    /// A linear layer: weights out × in, one bias per output.
    struct Linear {
        let weight: UnsafeBufferPointer<Float>
        let bias: UnsafeBufferPointer<Float>
        let outputs: Int

        /// The layer `scope` of `weights`.
        ///
        /// - Parameters:
        ///   - weights: the mapped model.
        ///   - scope: the layer's name in it (`encoder/layer_0/ffn/linear_0`).
        ///   - outputs: rows of the weights.
        ///   - inputs: columns of the weights.
        ///   - taps: a convolution's kernel width: its weights are out × in × taps, which read row by
        ///     row are a linear layer over in × taps values.
        /// - Throws: `WhisperError.badTensor` when a tensor is absent or has another shape.
        init(_ weights: WhisperWeights, _ scope: String, outputs: Int, inputs: Int, taps: Int? = nil) throws {
            weight = try weights.float32("\(scope)/weight", shape: [outputs, inputs] + (taps.map { [$0] } ?? []))
            bias = try weights.float32("\(scope)/bias", shape: [outputs])
            self.outputs = outputs
        }

        func callAsFunction(_ input: [Float], rows: Int) -> [Float] {
            input.withUnsafeBufferPointer { BLAS.linear($0, rows: rows, weights: weight, bias: bias, outputs: outputs) }
        }
    }

    /// A layer norm over the width (epsilon 1e-5, PyTorch's default).
    struct LayerNorm {
        let gamma: UnsafeBufferPointer<Float>
        let beta: UnsafeBufferPointer<Float>

        init(_ weights: WhisperWeights, _ scope: String) throws {
            gamma = try weights.float32("\(scope)/gamma", shape: [WhisperEncoder.width])
            beta = try weights.float32("\(scope)/beta", shape: [WhisperEncoder.width])
        }

        func callAsFunction(_ input: [Float]) -> [Float] {
            let width = gamma.count
            var output = [Float](repeating: 0, count: input.count)
            input.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    for start in stride(from: 0, to: input.count, by: width) {
                        var mean: Float = 0
                        for i in 0..<width { mean += input[start + i] }
                        mean /= Float(width)
                        var variance: Float = 0
                        for i in 0..<width {
                            let d = input[start + i] - mean
                            variance += d * d
                        }
                        let scale = 1 / (variance / Float(width) + 1e-5).squareRoot()
                        for i in 0..<width {
                            output[start + i] = (input[start + i] - mean) * scale * gamma[i] + beta[i]
                        }
                    }
                }
            }
            return output
        }
    }

    /// One pre-norm transformer block.
    struct Block {
        let attentionNorm: LayerNorm
        let queryKeyValue: Linear
        let attentionOutput: Linear
        let feedForwardNorm: LayerNorm
        let feedForwardIn: Linear
        let feedForwardOut: Linear

        init(_ weights: WhisperWeights, index: Int) throws {
            let scope = "encoder/layer_\(index)"
            attentionNorm = try LayerNorm(weights, "\(scope)/self_attention/layer_norm")
            queryKeyValue = try Linear(weights, "\(scope)/self_attention/linear_0", outputs: 3 * width, inputs: width)
            attentionOutput = try Linear(weights, "\(scope)/self_attention/linear_1", outputs: width, inputs: width)
            feedForwardNorm = try LayerNorm(weights, "\(scope)/ffn/layer_norm")
            feedForwardIn = try Linear(weights, "\(scope)/ffn/linear_0", outputs: feedForwardWidth, inputs: width)
            feedForwardOut = try Linear(weights, "\(scope)/ffn/linear_1", outputs: width, inputs: feedForwardWidth)
        }

        /// `x` (frames × width) after this block.
        func callAsFunction(_ x: [Float], frames: Int) -> [Float] {
            var x = x
            add(attention(queryKeyValue(attentionNorm(x), rows: frames), frames: frames), to: &x)
            var hidden = feedForwardIn(feedForwardNorm(x), rows: frames)
            gelu(&hidden)
            add(feedForwardOut(hidden, rows: frames), to: &x)
            return x
        }

        /// Scaled dot-product attention of every head, then the output projection. `qkv` holds
        /// each frame's queries, keys and values side by side (frames × 3·width, CTranslate2's fused layout).
        private func attention(_ qkv: [Float], frames: Int) -> [Float] {
            let stride = 3 * width
            var heads = [Float](repeating: 0, count: frames * width)
            var scores = [Float](repeating: 0, count: frames * frames)
            qkv.withUnsafeBufferPointer { qkv in
                let base = qkv.baseAddress!
                heads.withUnsafeMutableBufferPointer { heads in
                    scores.withUnsafeMutableBufferPointer { scores in
                        for head in 0..<WhisperEncoder.heads {
                            let column = head * headWidth
                            BLAS.multiply(
                                transposeB: true, m: frames, n: frames, k: headWidth,
                                alpha: 1 / Float(headWidth).squareRoot(), a: base + column, lda: stride,
                                b: base + width + column, ldb: stride, c: scores.baseAddress!, ldc: frames)
                            softmaxRows(scores, width: frames)
                            BLAS.multiply(
                                transposeB: false, m: frames, n: headWidth, k: frames, alpha: 1,
                                a: scores.baseAddress!, lda: frames, b: base + 2 * width + column, ldb: stride,
                                c: heads.baseAddress! + column, ldc: width)
                        }
                    }
                }
            }
            return attentionOutput(heads, rows: frames)
        }
    }

    private let weights: WhisperWeights
    private let conv1: Linear
    private let conv2: Linear
    private let positions: UnsafeBufferPointer<Float>
    private let blocks: [Block]
    private let finalNorm: LayerNorm

    /// An encoder over `weights`, its tensors checked against Whisper base's shapes.
    ///
    /// - Parameter weights: the mapped model, usually `WhisperWeights.shared(path:)`.
    /// - Throws: `WhisperError.badTensor` when a tensor is missing or has another shape.
    public init(weights: WhisperWeights) throws {
        self.weights = weights
        // A kernel-3 convolution is a linear layer over each frame's three neighbouring frames.
        conv1 = try Linear(weights, "encoder/conv1", outputs: Self.width, inputs: WhisperLogMel.bands, taps: 3)
        conv2 = try Linear(weights, "encoder/conv2", outputs: Self.width, inputs: Self.width, taps: 3)
        positions = try weights.float32("encoder/position_encodings/encodings", shape: [Self.maxFrames, Self.width])
        blocks = try (0..<Self.blockCount).map { try Block(weights, index: $0) }
        finalNorm = try LayerNorm(weights, "encoder/layer_norm")
    }

    /// Encodes one log-mel spectrogram, up to the layer wanted: emotion features need a middle
    /// block's states, and the blocks after it would be a third of the work for nothing.
    ///
    /// - Parameters:
    ///   - spectrogram: `WhisperLogMel`'s output: 80 band rows of `frames` values.
    ///   - layer: 1 to 6 to stop after that block, 7 (the default) for every block and the final output.
    /// - Returns: the hidden states after each block run, and the final output when `layer` is 7
    ///   (empty otherwise), `(frames + 1) / 2` frames each.
    /// - Throws: `WhisperError.tooLong` for more than 30 s.
    public func encode(
        _ spectrogram: (values: [Float], frames: Int), through layer: Int = blockCount + 1
    ) throws
        -> WhisperEncoding
    {
        precondition((1...Self.blockCount + 1).contains(layer), "layer must be 1...7")
        let melFrames = spectrogram.frames
        let frames = (melFrames + 1) / 2
        guard frames <= Self.maxFrames else {
            throw WhisperError.tooLong(
                seconds: Double(melFrames * WhisperLogMel.hop) / Double(WhisperLogMel.sampleRate))
        }
        guard frames > 0 else { return WhisperEncoding(frames: 0, blocks: [], output: []) }
        let bands = WhisperLogMel.bands
        var x = conv1(
            Self.neighbourhoods(count: melFrames, stride: 1, channels: bands, inputFrames: melFrames) {
                frame, channel in
                spectrogram.values[channel * melFrames + frame]
            }, rows: melFrames)
        gelu(&x)
        let first = x
        x = conv2(
            Self.neighbourhoods(count: frames, stride: 2, channels: Self.width, inputFrames: melFrames) {
                frame, channel in
                first[frame * Self.width + channel]
            }, rows: frames)
        gelu(&x)
        for i in 0..<frames * Self.width { x[i] += positions[i] }
        var states: [[Float]] = []
        for block in blocks.prefix(layer) {
            x = block(x, frames: frames)
            states.append(x)
        }
        return WhisperEncoding(frames: frames, blocks: states, output: layer > Self.blockCount ? finalNorm(x) : [])
    }

    /// The kernel-3 neighbourhood of each output frame, zero beyond the input's ends (padding 1):
    /// `count` rows of `channels × 3` values, channel-major as the convolution weights are stored.
    private static func neighbourhoods(
        count: Int, stride: Int, channels: Int, inputFrames: Int, value: (Int, Int) -> Float
    ) -> [Float] {
        var columns = [Float](repeating: 0, count: count * channels * 3)
        columns.withUnsafeMutableBufferPointer { columns in
            for frame in 0..<count {
                for tap in 0..<3 {
                    let source = frame * stride + tap - 1
                    guard source >= 0, source < inputFrames else { continue }
                    for channel in 0..<channels {
                        columns[(frame * channels + channel) * 3 + tap] = value(source, channel)
                    }
                }
            }
        }
        return columns
    }
}

/// `x += y`, element by element.
private func add(_ y: [Float], to x: inout [Float]) {
    for i in x.indices { x[i] += y[i] }
}
