import CVShim
import CVSupport
import Foundation

/// librosa's `stft` with its defaults, reduced to magnitudes: a periodic Hann window, frames
/// centred on multiples of the hop by padding the signal with `fftSize / 2` samples at each end
/// (`center=True`; zeros, librosa's `pad_mode="constant"`, or the signal mirrored, the
/// `"reflect"` that PyTorch's `stft` and so Whisper use), so a signal of `n` samples gives
/// `1 + n / hop` frames. A `windowLength` below `fftSize` is librosa's `win_length`: the shorter
/// window, centred in the frame with zeros either side.
struct ShortTimeFourierTransform: Sendable {
    /// What lies beyond the signal's ends.
    enum Padding: Sendable {
        case zeros
        /// The signal mirrored about its first and last sample (NumPy's `reflect`).
        case reflect
    }

    let fftSize: Int
    let hopLength: Int
    let padding: Padding
    /// The periodic Hann window (scipy's `get_window("hann", windowLength, fftbins=True)`),
    /// zero-padded to `fftSize` as librosa's `pad_center` does.
    let window: [Double]

    /// Frames sent to OpenCV per call: enough to amortise the call, few enough that the
    /// windowed-frame buffer stays small for long signals.
    private static let framesPerBatch = 128

    init(fftSize: Int = 2048, hopLength: Int = 512, windowLength: Int? = nil, padding: Padding = .zeros) {
        let windowLength = windowLength ?? fftSize
        precondition(fftSize > 0 && fftSize % 2 == 0 && hopLength > 0, "fftSize must be even, hopLength positive")
        precondition(windowLength > 0 && windowLength <= fftSize, "the window must fit in the FFT")
        self.fftSize = fftSize
        self.hopLength = hopLength
        self.padding = padding
        let windowOffset = (fftSize - windowLength) / 2
        var window = [Double](repeating: 0, count: fftSize)
        for i in 0..<windowLength {
            window[windowOffset + i] = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(windowLength))
        }
        self.window = window
    }

    var binCount: Int { fftSize / 2 + 1 }

    /// How many centred frames a signal of `sampleCount` samples has.
    func frameCount(forSampleCount sampleCount: Int) -> Int { 1 + sampleCount / hopLength }

    /// |STFT| of `samples`: frames × `binCount`.
    func magnitudes(of samples: [Float]) throws -> FrameMatrix {
        let frameCount = frameCount(forSampleCount: samples.count)
        var result = FrameMatrix(
            frameCount: frameCount, columnCount: binCount,
            values: [Double](repeating: 0, count: frameCount * binCount))
        var frames = [Double](repeating: 0, count: min(frameCount, Self.framesPerBatch) * fftSize)
        for first in stride(from: 0, to: frameCount, by: Self.framesPerBatch) {
            let count = min(Self.framesPerBatch, frameCount - first)
            for row in 0..<count {
                fillWindowedFrame(first + row, of: samples, into: &frames, at: row * fftSize)
            }
            _ = try frames.withUnsafeBufferPointer { input in
                try result.values.withUnsafeMutableBufferPointer { output in
                    try withCVCall("stft") { error in
                        cvs_dft_magnitudes(
                            input.baseAddress, Int32(count), Int32(fftSize),
                            output.baseAddress! + first * binCount, &error)
                    }
                }
            }
        }
        return result
    }

    // MARK: Framing

    /// Writes frame `index` of the padded signal, windowed, at `frames[offset...]`.
    private func fillWindowedFrame(_ index: Int, of samples: [Float], into frames: inout [Double], at offset: Int) {
        // The frame starts `fftSize / 2` before its centre; samples outside the signal are the padding.
        let start = index * hopLength - fftSize / 2
        let lower = max(0, -start), upper = max(lower, min(fftSize, samples.count - start))
        frames.withUnsafeMutableBufferPointer { frames in
            samples.withUnsafeBufferPointer { samples in
                window.withUnsafeBufferPointer { window in
                    for i in lower..<upper { frames[offset + i] = Double(samples[start + i]) * window[i] }
                    for i in 0..<lower { frames[offset + i] = Double(padded(samples, at: start + i)) * window[i] }
                    for i in upper..<fftSize { frames[offset + i] = Double(padded(samples, at: start + i)) * window[i] }
                }
            }
        }
    }

    /// The padding's value at `index`, outside `0..<samples.count`.
    private func padded(_ samples: UnsafeBufferPointer<Float>, at index: Int) -> Float {
        guard padding == .reflect, samples.count > 1 else { return 0 }
        // Mirrored about the end samples, repeatedly for a signal shorter than the padding.
        let period = 2 * (samples.count - 1)
        var position = index % period
        if position < 0 { position += period }
        return samples[position < samples.count ? position : period - position]
    }
}
