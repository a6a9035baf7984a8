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

    /// Each frame projected onto `weights`, `rowCount` rows of `columnCount` values each
    /// (row-major): the frames × rows matrix of dot products, summed in column order. `support`,
    /// when given, holds for each row the columns where its weights are not zero, and only those
    /// are summed (a mel band covers a few dozen of 1025 bins).
    func projected(onto weights: [Double], rowCount: Int, support: [Range<Int>]? = nil) -> FrameMatrix {
        precondition(weights.count == rowCount * columnCount, "weights do not match the matrix's columns")
        var output = [Double](repeating: 0, count: frameCount * rowCount)
        values.withUnsafeBufferPointer { input in
            weights.withUnsafeBufferPointer { weights in
                for frame in 0..<frameCount {
                    let row = frame * columnCount
                    for target in 0..<rowCount {
                        let filter = target * columnCount
                        var sum = 0.0
                        for column in support?[target] ?? 0..<columnCount {
                            sum += weights[filter + column] * input[row + column]
                        }
                        output[frame * rowCount + target] = sum
                    }
                }
            }
        }
        return FrameMatrix(frameCount: frameCount, columnCount: rowCount, values: output)
    }

    /// Each column's mean over the frames.
    func columnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: columnCount)
        for frame in 0..<frameCount {
            for column in 0..<columnCount {
                sums[column] += values[frame * columnCount + column]
            }
        }
        return sums.map { $0 / Double(frameCount) }
    }

    /// Each column's (population) standard deviation over the frames.
    func columnStandardDeviations() -> [Double] {
        let means = columnMeans()
        var sums = [Double](repeating: 0, count: columnCount)
        for frame in 0..<frameCount {
            for column in 0..<columnCount {
                let deviation = values[frame * columnCount + column] - means[column]
                sums[column] += deviation * deviation
            }
        }
        return sums.map { ($0 / Double(frameCount)).squareRoot() }
    }

    /// The rows as arrays of Floats, for callers outside the module.
    func rows() -> [[Float]] {
        (0..<frameCount).map { frame in
            values[frame * columnCount..<(frame + 1) * columnCount].map(Float.init)
        }
    }
}
