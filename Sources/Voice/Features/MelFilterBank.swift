import Foundation

/// librosa's default mel filter bank (`librosa.filters.mel` with `htk=False`, `norm="slaney"`,
/// `fmin` 0, `fmax` sr/2): triangles on the Slaney mel scale (linear below 1 kHz, logarithmic
/// above), each scaled by 2 / its width in Hz so every band has about the same area.
struct MelFilterBank: Sendable {
    let bandCount: Int
    let binCount: Int
    /// `weights[band * binCount + bin]`.
    let weights: [Double]
    /// The bins where each band's triangle is non-zero, so applying the bank skips the zeros.
    let bandBins: [Range<Int>]

    init(sampleRate: Int, fftSize: Int, bandCount: Int = 128) {
        self.bandCount = bandCount
        binCount = fftSize / 2 + 1
        let binFrequencies = fftBinFrequencies(sampleRate: sampleRate, fftSize: fftSize)
        let edges = Self.bandEdges(count: bandCount + 2, maxFrequency: Double(sampleRate) / 2)

        var weights = [Double](repeating: 0, count: bandCount * binCount)
        var bandBins = [Range<Int>]()
        for band in 0..<bandCount {
            let (left, centre, right) = (edges[band], edges[band + 1], edges[band + 2])
            let area = 2 / (right - left)
            var first = binCount, end = 0
            for bin in 0..<binCount {
                let rising = (binFrequencies[bin] - left) / (centre - left)
                let falling = (right - binFrequencies[bin]) / (right - centre)
                let weight = max(0, min(rising, falling))
                guard weight > 0 else { continue }
                weights[band * binCount + bin] = weight * area
                first = min(first, bin)
                end = bin + 1
            }
            bandBins.append(first < end ? first..<end : 0..<0)
        }
        self.weights = weights
        self.bandBins = bandBins
    }

    /// The mel spectrogram of a power spectrogram: frames × bands.
    func apply(to power: FrameMatrix) -> FrameMatrix {
        precondition(power.columnCount == binCount, "spectrogram and filter bank disagree on the FFT size")
        return power.projected(onto: weights, rowCount: bandCount, support: bandBins)
    }

    // MARK: Slaney mel scale

    /// `count` frequencies in Hz evenly spaced in mel from 0 to `maxFrequency`
    /// (librosa's `mel_frequencies`, computed the way NumPy's `linspace` does).
    static func bandEdges(count: Int, maxFrequency: Double) -> [Double] {
        let maxMel = hertzToMel(maxFrequency)
        let step = maxMel / Double(count - 1)
        return (0..<count).map { melToHertz($0 == count - 1 ? maxMel : Double($0) * step) }
    }

    /// Hz per mel in the linear part below 1 kHz.
    private static let linearStep = 200.0 / 3
    private static let logRegionStartHertz = 1000.0
    private static let logRegionStartMel = logRegionStartHertz / linearStep
    /// log(Hz) per mel in the logarithmic part: 27 mels per factor 6.4.
    private static let logStep = log(6.4) / 27

    static func hertzToMel(_ hertz: Double) -> Double {
        hertz < logRegionStartHertz
            ? hertz / linearStep
            : logRegionStartMel + log(hertz / logRegionStartHertz) / logStep
    }

    static func melToHertz(_ mel: Double) -> Double {
        mel < logRegionStartMel
            ? linearStep * mel
            : logRegionStartHertz * exp(logStep * (mel - logRegionStartMel))
    }
}

/// The centre frequency of each real-FFT bin, as NumPy's `rfftfreq(n, 1 / sr)` computes it
/// (the same rounding matters where a bin lands exactly on a band or search limit).
func fftBinFrequencies(sampleRate: Int, fftSize: Int) -> [Double] {
    let spacing = 1.0 / (Double(fftSize) * (1.0 / Double(sampleRate)))
    return (0...fftSize / 2).map { Double($0) * spacing }
}
