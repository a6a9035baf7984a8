/// A segment's Whisper features: the encoder's hidden states of one layer, pooled over the
/// segment's frames (mean and standard deviation of each of the 512 dimensions). Middle layers
/// often carry more of how something is said than the last, which is shaped for the words.
public struct WhisperFeatures: SegmentFeatures {
    public let encoder: WhisperEncoder
    /// 1 to 6 for a block's states, 7 for the final output.
    public let layer: Int
    private let frontEnd = WhisperLogMel()

    /// Features from `layer` of `encoder`.
    ///
    /// - Parameters:
    ///   - encoder: the encoder over the process's mapped weights.
    ///   - layer: 1 to 6 for a block's states, 7 for the final output (a precondition).
    public init(encoder: WhisperEncoder, layer: Int) {
        precondition((1...WhisperEncoder.blockCount + 1).contains(layer), "layer must be 1...7")
        self.encoder = encoder
        self.layer = layer
    }

    public var sampleRate: Int { WhisperLogMel.sampleRate }

    public var featureNames: [String] {
        ["mean", "std"].flatMap { statistic in
            (0..<WhisperEncoder.width).map { "whisper_l\(layer)_\(statistic)_\($0)" }
        }
    }

    /// The pooled states of `samples`; a segment shorter than one 10 ms frame gives zeros.
    ///
    /// - Parameter samples: mono, at 16 kHz, at most 30 s.
    /// - Returns: 1024 values: the means, then the standard deviations.
    /// - Throws: `WhisperError.tooLong` beyond 30 s; `OpenCVError` when the DFT fails.
    public func features(of samples: [Float]) throws -> [Float] {
        let encoding = try encoder.encode(try frontEnd.spectrogram(of: samples))
        guard encoding.frames > 0 else { return [Float](repeating: 0, count: 2 * WhisperEncoder.width) }
        return encoding.pooled(layer: layer)
    }
}
