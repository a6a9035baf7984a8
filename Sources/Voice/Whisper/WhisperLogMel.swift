import Foundation

/// Whisper's input: the log-mel spectrogram of 16 kHz audio, as OpenAI's `log_mel_spectrogram`
/// computes it. A 400-sample (25 ms) periodic Hann window every 160 samples (10 ms), the signal
/// mirrored at its ends, the power of each frame but the last, 80 Slaney mel bands (librosa's
/// filters), `log10` floored at 1e-10, every value raised to at least the largest minus 8, and
/// `(x + 4) / 4`.
public struct WhisperLogMel: Sendable {
    /// The rate Whisper hears at.
    public static let sampleRate = 16000
    /// Mel bands: the encoder's input channels.
    public static let bands = 80
    /// Samples from one frame to the next: 10 ms.
    public static let hop = 160

    private let transform = ShortTimeFourierTransform(fftSize: 400, hopLength: hop, padding: .reflect)
    private let bank = MelFilterBank(sampleRate: sampleRate, fftSize: 400, bandCount: bands)

    public init() {}

    /// The spectrogram of `samples`.
    ///
    /// - Parameter samples: mono audio at 16 kHz, at least one hop long.
    /// - Returns: `bands` rows of `frames` values each (band-major, the layout the encoder's first
    ///   convolution reads), with `frames = samples.count / hop`.
    /// - Throws: `OpenCVError` when the DFT fails.
    public func spectrogram(of samples: [Float]) throws -> (values: [Float], frames: Int) {
        let frames = samples.count / Self.hop
        guard frames > 0 else { return ([], 0) }
        let magnitudes = try transform.magnitudes(of: samples)
        // Whisper drops the last frame, so 30 s gives exactly 3000.
        let power = FrameMatrix(
            frameCount: frames, columnCount: magnitudes.columnCount,
            values: Array(magnitudes.values.prefix(frames * magnitudes.columnCount))
        ).squared()
        let mel = bank.apply(to: power)
        var logs = mel.values.map { log10(max($0, 1e-10)) }
        let floor = (logs.max() ?? 0) - 8
        var values = [Float](repeating: 0, count: Self.bands * frames)
        for frame in 0..<frames {
            for band in 0..<Self.bands {
                logs[frame * Self.bands + band] = max(logs[frame * Self.bands + band], floor)
                values[band * frames + frame] = Float((logs[frame * Self.bands + band] + 4) / 4)
            }
        }
        return (values, frames)
    }
}
