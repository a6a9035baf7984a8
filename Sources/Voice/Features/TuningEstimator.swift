import Foundation

/// librosa's `estimate_tuning` on a magnitude spectrogram: how far, in fractions of a semitone,
/// the signal's pitches sit from the A440 equal-tempered scale. chroma_stft calls it to centre
/// its filter bank on the signal's own tuning.
///
/// Per frame, `piptrack` takes the spectral peaks between 150 Hz and 4 kHz that rise above a
/// tenth of the frame's maximum, refining each peak's frequency and height by parabolic
/// interpolation. Peaks at least as strong as the median peak vote in a histogram of their
/// distance to the nearest semitone (0.01-semitone bins); the fullest bin's lower edge wins.
struct TuningEstimator: Sendable {
    /// piptrack's defaults: the frequency range searched and the peak threshold relative to the frame's maximum.
    private static let minFrequency = 150.0
    private static let maxFrequency = 4000.0
    private static let relativeThreshold = 0.1
    /// pitch_tuning's histogram resolution, in semitones.
    private static let resolution = 0.01

    let sampleRate: Int
    let fftSize: Int
    /// The bins whose centre lies in [150 Hz, min(4 kHz, sr/2)).
    private let searchBins: Range<Int>
    /// The histogram's bin edges, from -0.5 to 0.5 semitone, as NumPy's `linspace` makes them.
    private let histogramEdges: [Double]

    init(sampleRate: Int, fftSize: Int) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        let frequencies = fftBinFrequencies(sampleRate: sampleRate, fftSize: fftSize)
        let upper = min(Self.maxFrequency, Double(sampleRate) / 2)
        let first = frequencies.firstIndex { $0 >= Self.minFrequency } ?? frequencies.count
        let end = frequencies.firstIndex { $0 >= upper } ?? frequencies.count
        searchBins = first..<max(first, end)

        let binCount = Int((1 / Self.resolution).rounded(.up))
        let step = 1.0 / Double(binCount)
        histogramEdges = (0...binCount).map { $0 == binCount ? 0.5 : Double($0) * step - 0.5 }
    }

    /// The tuning of the signal whose |STFT| is `magnitudes`, in [-0.5, 0.5); 0 when it has no peaks.
    func tuning(of magnitudes: FrameMatrix) -> Double {
        let peaks = spectralPeaks(of: magnitudes)
        guard !peaks.isEmpty else { return 0 }
        let threshold = Self.median(peaks.map(\.magnitude))
        return histogramPeak(of: peaks.lazy.filter { $0.magnitude >= threshold }.map(\.frequency))
    }

    // MARK: piptrack

    /// A spectral peak: its interpolated frequency in Hz and interpolated height.
    private struct Peak {
        var frequency: Double
        var magnitude: Double
    }

    private func spectralPeaks(of magnitudes: FrameMatrix) -> [Peak] {
        var peaks = [Peak]()
        let binCount = magnitudes.columnCount
        magnitudes.values.withUnsafeBufferPointer { values in
            for frame in 0..<magnitudes.frameCount {
                let spectrum = UnsafeBufferPointer(rebasing: values[frame * binCount..<(frame + 1) * binCount])
                let floor = Self.relativeThreshold * (spectrum.max() ?? 0)
                // librosa finds maxima of the spectrum with everything not above the floor set to 0.
                func thresholded(_ bin: Int) -> Double { spectrum[bin] > floor ? spectrum[bin] : 0 }
                for bin in searchBins {
                    // localmax: above the left neighbour, not below the right; the first bin is never
                    // a maximum, the last one is when it rises above its left neighbour.
                    let value = thresholded(bin)
                    guard bin > 0, value > thresholded(bin - 1),
                        bin == binCount - 1 || value >= thresholded(bin + 1)
                    else { continue }
                    let shift = Self.parabolicShift(spectrum, at: bin)
                    let slope =
                        bin == binCount - 1
                        ? spectrum[bin] - spectrum[bin - 1]
                        : (spectrum[bin + 1] - spectrum[bin - 1]) / 2
                    let frequency = (Double(bin) + shift) * Double(sampleRate) / Double(fftSize)
                    if frequency > 0 {
                        peaks.append(Peak(frequency: frequency, magnitude: spectrum[bin] + 0.5 * slope * shift))
                    }
                }
            }
        }
        return peaks
    }

    /// The offset, in bins, of the vertex of the parabola through `bin` and its neighbours; 0 at
    /// the ends of the spectrum and where the vertex would lie more than a bin away.
    private static func parabolicShift(_ spectrum: UnsafeBufferPointer<Double>, at bin: Int) -> Double {
        guard bin > 0, bin < spectrum.count - 1 else { return 0 }
        let curvature = spectrum[bin + 1] + spectrum[bin - 1] - 2 * spectrum[bin]
        let slope = (spectrum[bin + 1] - spectrum[bin - 1]) / 2
        return abs(slope) >= abs(curvature) ? 0 : -slope / curvature
    }

    // MARK: pitch_tuning

    /// The lower edge of the fullest histogram bin of the frequencies' deviations from the
    /// nearest semitone (the first such bin on a tie, as `argmax` picks).
    private func histogramPeak(of frequencies: some Sequence<Double>) -> Double {
        let binCount = histogramEdges.count - 1
        var counts = [Int](repeating: 0, count: binCount)
        for frequency in frequencies {
            let semitones = 12 * log2(frequency / (440.0 / 16))
            var deviation = semitones - semitones.rounded(.down)
            // 0.95 semitone above a tone is more likely 0.05 below the next one.
            if deviation >= 0.5 { deviation -= 1 }
            counts[histogramBin(of: deviation)] += 1
        }
        let fullest = counts.firstIndex(of: counts.max() ?? 0) ?? 0
        return histogramEdges[fullest]
    }

    /// The bin `[edge(i), edge(i + 1))` holding `value` (the last bin also holds its upper edge),
    /// decided by comparing with the edges as NumPy's `histogram` does, not by rounding alone.
    private func histogramBin(of value: Double) -> Int {
        let last = histogramEdges.count - 2
        var bin = min(last, max(0, Int(((value - histogramEdges[0]) * Double(last + 1)).rounded(.down))))
        if bin > 0, value < histogramEdges[bin] { bin -= 1 }
        if bin < last, value >= histogramEdges[bin + 1] { bin += 1 }
        return bin
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
