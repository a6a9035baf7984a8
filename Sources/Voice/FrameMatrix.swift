/// A frames × columns matrix of Doubles in one flat array, `values[frame * columnCount + column]`:
/// a spectrogram (columns are FFT bins), a mel or chroma spectrogram, or MFCCs.
///
/// Frame-major because the DFT produces one frame at a time, and every later step (filter banks,
/// peak picking, the DCT) also reads a frame's columns together.
struct FrameMatrix: Sendable {
    let frameCount: Int
    let columnCount: Int
    var values: [Double]

    /// The element-wise square: the power spectrogram of a magnitude spectrogram.
    func squared() -> FrameMatrix {
        FrameMatrix(frameCount: frameCount, columnCount: columnCount, values: values.map { $0 * $0 })
    }

    /// Each column's mean over the frames.
    func columnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: columnCount)
        for frame in 0 ..< frameCount {
            for column in 0 ..< columnCount {
                sums[column] += values[frame * columnCount + column]
            }
        }
        return sums.map { $0 / Double(frameCount) }
    }

    /// The rows as arrays of Floats, for callers outside the module.
    func rows() -> [[Float]] {
        (0 ..< frameCount).map { frame in
            values[frame * columnCount ..< (frame + 1) * columnCount].map(Float.init)
        }
    }
}
