import Foundation

/// eGeMAPS's spectral descriptors of each STFT frame, and a loudness estimate from its mel bands.
///
/// The power spectrum is scaled so its bins sum to the frame's Hann-weighted mean square (a
/// full-scale sine reads 0.5), so loudness does not depend on the FFT size; ratios do not depend
/// on the scale at all. Power is floored at 1e-12 (−120 dB, `LevelMeter`'s floor) before
/// any logarithm, so empty bands give large but finite values.
struct SpectralDescriptors: Sendable {
    /// Energy bands whose share of each frame's power is reported, in Hz, lower edge included.
    static let energyBands: [(low: Double, high: Double)] = [
        (0, 500), (500, 1000), (1000, 2000), (2000, 4000), (4000, 8000),
    ]

    /// One value per frame for each descriptor.
    struct Frames {
        /// 10 log10 of the energy 50–1000 Hz over the energy 1–5 kHz.
        var alphaRatio: [Double]
        /// 10 log10 of the strongest bin 0–2 kHz over the strongest 2–5 kHz.
        var hammarbergIndex: [Double]
        /// Slopes of the least-squares line through the dB power spectrum 0–500 Hz and 500–1500 Hz,
        /// in dB per kHz.
        var slopeLow: [Double]
        var slopeHigh: [Double]
        /// The power-weighted mean frequency, in Hz.
        var centroid: [Double]
        /// 2 − 2 cos of the angle between a frame's magnitude spectrum and the previous frame's:
        /// the squared distance of the two spectra scaled to unit length, so 0 for an unchanged
        /// spectral shape whatever the level; nil for the first frame and next to a silent one.
        var flux: [Double?]
        /// `bandLevels[band][frame]`: 10 log10 of the share of the frame's power in `energyBands[band]`.
        var bandLevels: [[Double]]
        /// The sum over mel bands of each band's power to the 0.3: Zwicker's compression of
        /// intensity to loudness, as openSMILE's auditory spectrum applies it (without its
        /// equal-loudness weighting).
        var loudness: [Double]
    }

    private static let powerFloor = 1e-12
    private static let loudnessExponent = 0.3

    /// What one FFT bin takes part in, worked out once so that a frame is one pass over its bins.
    private struct Bin {
        /// Turns |X|² into the share of the frame's mean square described above.
        var powerScale: Double
        var frequency: Double
        /// Its band in `energyBands`, if any.
        var band: Int?
        /// 0 for the alpha ratio's 50–1000 Hz, 1 for its 1–5 kHz.
        var alphaSide: Int?
        /// 0 for the Hammarberg index's 0–2 kHz, 1 for its 2–5 kHz.
        var hammarbergSide: Int?
        /// Its weight in the least-squares slope of each slope band's dB spectrum, 0 outside:
        /// slope = Σ weight · dB.
        var lowSlopeWeight = 0.0
        var highSlopeWeight = 0.0
    }

    private let bins: [Bin]
    /// Per mel band: what turns librosa's area-normalised band power into the scaled power under
    /// a triangle of height 1, i.e. the band's energy.
    private let melScale: [Double]

    init(sampleRate: Int, transform: ShortTimeFourierTransform, melBandCount: Int) {
        let fftSize = transform.fftSize, binCount = transform.binCount
        let frequencies = fftBinFrequencies(sampleRate: sampleRate, fftSize: fftSize)
        // Parseval for a real DFT: the interior bins count twice, for their negative-frequency twins.
        let windowEnergy = transform.window.reduce(0) { $0 + $1 * $1 }
        let scale = 1 / (Double(fftSize) * windowEnergy)
        var bins = frequencies.indices.map { index in
            Bin(powerScale: index == 0 || index == binCount - 1 ? scale : 2 * scale, frequency: frequencies[index])
        }
        for index in bins.indices {
            let frequency = frequencies[index]
            bins[index].band = Self.energyBands.firstIndex { $0.low <= frequency && frequency < $0.high }
            bins[index].alphaSide =
                (50..<1000).contains(frequency)
                ? 0
                : (1000..<5000).contains(frequency) ? 1 : nil
            bins[index].hammarbergSide = frequency < 2000 ? 0 : frequency <= 5000 ? 1 : nil
        }
        for (band, weight) in [(0.0...500.0, \Bin.lowSlopeWeight), (500.0...1500.0, \Bin.highSlopeWeight)] {
            let members = frequencies.indices.filter { band.contains(frequencies[$0]) }
            let kilohertz = members.map { frequencies[$0] / 1000 }
            let mean = kilohertz.reduce(0, +) / Double(max(1, kilohertz.count))
            let spread = kilohertz.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            guard spread > 0 else { continue }
            for (index, x) in zip(members, kilohertz) {
                bins[index][keyPath: weight] = (x - mean) / spread
            }
        }
        self.bins = bins

        // librosa's Slaney normalisation scales band b's triangle by 2 / its width in Hz: undo
        // that, and scale as the interior bins are.
        let edges = MelFilterBank.bandEdges(count: melBandCount + 2, maxFrequency: Double(sampleRate) / 2)
        melScale = (0..<melBandCount).map { (edges[$0 + 2] - edges[$0]) / 2 * (2 * scale) }
    }

    /// The descriptors of each frame of `magnitudes` (|STFT|), whose mel power spectrogram is `mel`.
    func frames(magnitudes: FrameMatrix, mel: FrameMatrix) -> Frames {
        let binCount = bins.count, bandCount = Self.energyBands.count
        precondition(magnitudes.columnCount == binCount && mel.columnCount == melScale.count, "spectrogram sizes")
        let frameCount = magnitudes.frameCount
        var result = Frames(
            alphaRatio: [], hammarbergIndex: [], slopeLow: [], slopeHigh: [], centroid: [], flux: [],
            bandLevels: Array(repeating: [], count: bandCount), loudness: [])
        // Per frame: the energy bands' sums, the alpha ratio's two sums, the Hammarberg index's two peaks.
        var scratch = [Double](repeating: 0, count: bandCount + 4)
        var previousNorm = 0.0
        bins.withUnsafeBufferPointer { bins in
            magnitudes.values.withUnsafeBufferPointer { magnitudes in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for frame in 0..<frameCount {
                        let row = frame * binCount
                        var total = 0.0, weighted = 0.0, norm = 0.0, dot = 0.0, lowSlope = 0.0, highSlope = 0.0
                        scratch.update(repeating: 0)
                        for index in 0..<binCount {
                            let bin = bins[index], magnitude = magnitudes[row + index]
                            let power = magnitude * magnitude * bin.powerScale
                            total += power
                            weighted += power * bin.frequency
                            norm += magnitude * magnitude
                            if frame > 0 { dot += magnitude * magnitudes[row - binCount + index] }
                            if let band = bin.band { scratch[band] += power }
                            if let side = bin.alphaSide { scratch[bandCount + side] += power }
                            if let side = bin.hammarbergSide {
                                scratch[bandCount + 2 + side] = max(scratch[bandCount + 2 + side], power)
                            }
                            if bin.lowSlopeWeight != 0 || bin.highSlopeWeight != 0 {
                                let level = 10 * log10(max(power, Self.powerFloor))
                                lowSlope += bin.lowSlopeWeight * level
                                highSlope += bin.highSlopeWeight * level
                            }
                        }
                        result.alphaRatio.append(Self.decibels(scratch[bandCount], over: scratch[bandCount + 1]))
                        result.hammarbergIndex.append(
                            Self.decibels(
                                scratch[bandCount + 2],
                                over: scratch[bandCount + 3]))
                        result.slopeLow.append(lowSlope)
                        result.slopeHigh.append(highSlope)
                        result.centroid.append(total > 0 ? weighted / total : 0)
                        result.flux.append(
                            norm > 0 && previousNorm > 0
                                ? max(0, 2 - 2 * dot / (norm * previousNorm).squareRoot()) : nil)
                        for band in 0..<bandCount {
                            result.bandLevels[band].append(Self.decibels(scratch[band], over: total))
                        }
                        previousNorm = norm
                    }
                }
            }
        }
        melScale.withUnsafeBufferPointer { melScale in
            mel.values.withUnsafeBufferPointer { mel in
                for frame in 0..<frameCount {
                    var loudness = 0.0
                    for band in 0..<melScale.count {
                        loudness += pow(mel[frame * melScale.count + band] * melScale[band], Self.loudnessExponent)
                    }
                    result.loudness.append(loudness)
                }
            }
        }
        return result
    }

    /// 10 log10(`numerator` / `denominator`), both floored at `powerFloor`.
    private static func decibels(_ numerator: Double, over denominator: Double) -> Double {
        10 * log10(max(numerator, powerFloor) / max(denominator, powerFloor))
    }
}
