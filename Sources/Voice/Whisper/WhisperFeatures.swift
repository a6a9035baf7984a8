/// A segment's Whisper features: the encoder's hidden states of one layer, pooled over the
/// segment's frames (mean and standard deviation of each of the 512 dimensions). Middle layers
/// often carry more of how something is said than the last, which is shaped for the words.
///
/// Segments are encoded as they are, not padded to Whisper's 30 s window, which costs ten times
/// the work on a 3 s segment; `paddedSeconds` pads them with silence first (the states of the
/// segment's own frames are still the ones pooled), to measure what that buys.
public struct WhisperFeatures: SegmentFeatures {
    public let encoder: WhisperEncoder
    /// 1 to 6 for a block's states, 7 for the final output.
    public let layer: Int
    /// Segments shorter than this are padded with silence to it before encoding; 0: never.
    public let paddedSeconds: Double
    private let frontEnd = WhisperLogMel()

    /// Features from `layer` of `encoder`.
    ///
    /// - Parameters:
    ///   - encoder: the encoder over the process's mapped weights.
    ///   - layer: 1 to 6 for a block's states, 7 for the final output (a precondition).
    ///   - paddedSeconds: 0 (encode segments as they are) to 30 (Whisper's window; a precondition).
    public init(encoder: WhisperEncoder, layer: Int, paddedSeconds: Double = 0) {
        precondition((1...WhisperEncoder.blockCount + 1).contains(layer), "layer must be 1...7")
        precondition((0...Self.maxPaddedSeconds).contains(paddedSeconds), "padding must be 0...30 s")
        self.encoder = encoder
        self.layer = layer
        self.paddedSeconds = paddedSeconds
    }

    /// Whisper's window: the longest padding there can be.
    public static let maxPaddedSeconds = 30.0

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
        let padding = max(0, Int(paddedSeconds * Double(WhisperLogMel.sampleRate)) - samples.count)
        let encoding = try encoder.encode(
            try frontEnd.spectrogram(of: samples + [Float](repeating: 0, count: padding)), through: layer)
        // Two 10 ms spectrogram frames make one encoder frame: those that hold the segment.
        let segmentFrames = (samples.count / WhisperLogMel.hop + 1) / 2
        guard encoding.frames > 0, segmentFrames > 0 else {
            return [Float](repeating: 0, count: 2 * WhisperEncoder.width)
        }
        return encoding.pooled(layer: layer, leading: segmentFrames)
    }
}
