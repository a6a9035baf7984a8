/// What the encoder made of one stretch of audio: the hidden states after each block, and the
/// final output, each `frames` rows of `WhisperEncoder.width` values (20 ms a frame).
public struct WhisperEncoding: Sendable {
    /// Rows of every state: half the spectrogram's frames, rounded up.
    public let frames: Int
    /// The states after blocks 1 to 6 (or as far as the encoder was asked to go), before the final layer norm.
    public let blocks: [[Float]]
    /// The last block's states through the final layer norm: CTranslate2's `encode`, and what the
    /// decoder attends to; empty when the encoder stopped at a block.
    public let output: [Float]

    /// Per-dimension mean and standard deviation over the first frames of one layer: the
    /// fixed-length vector a classifier takes for a segment of any length.
    ///
    /// - Parameters:
    ///   - layer: 1 to 6 for a block's states, 7 for the final output; one the encoder ran.
    ///   - leading: how many frames from the start to pool (all of them when nil or more): those
    ///     that hold the segment, when it was padded with silence before encoding.
    /// - Returns: `2 × WhisperEncoder.width` values, the means then the standard deviations;
    ///   empty when there are no frames.
    public func pooled(layer: Int, leading: Int? = nil) -> [Float] {
        let frames = min(self.frames, leading ?? self.frames)
        guard frames > 0 else { return [] }
        precondition(
            layer <= blocks.count || (layer == WhisperEncoder.blockCount + 1 && !output.isEmpty),
            "layer \(layer) was not encoded")
        let states = layer <= WhisperEncoder.blockCount ? blocks[layer - 1] : output
        let width = WhisperEncoder.width
        var mean = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        for frame in 0..<frames {
            for i in 0..<width {
                let value = Double(states[frame * width + i])
                mean[i] += value
                squares[i] += value * value
            }
        }
        let count = Double(frames)
        let means = mean.map { $0 / count }
        let deviations = zip(means, squares).map { mean, square in max(0, square / count - mean * mean).squareRoot() }
        return (means + deviations).map(Float.init)
    }
}
