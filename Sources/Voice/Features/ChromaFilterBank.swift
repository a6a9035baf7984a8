import Foundation

/// librosa's chroma filter bank (`librosa.filters.chroma` with its defaults: 12 pitch classes,
/// `ctroct` 5, `octwidth` 2, `norm` 2, `base_c` True), which maps FFT bins to pitch classes.
///
/// A bin's weight for a pitch class is a Gaussian in the distance, in semitones and wrapped
/// around the octave, from the bin's pitch to that class, with a standard deviation of half the
/// bin's width in semitones (at least half a semitone). Each bin's column is scaled to unit L2
/// norm, then weighted by a Gaussian in octaves centred 5 octaves above A0 (880 Hz), with a
/// standard deviation of 2 octaves. Row 0 is C.
struct ChromaFilterBank: Sendable {
    static let pitchClassCount = 12
    /// Centre and standard deviation, in octaves above A0, of the Gaussian that weights the bins.
    private static let centreOctave = 5.0
    private static let octaveWidth = 2.0

    let binCount: Int
    /// `weights[pitchClass * binCount + bin]`.
    let weights: [Double]

    /// The bank for `tuning`, in fractions of a semitone away from A440.
    init(sampleRate: Int, fftSize: Int, tuning: Double) {
        let classes = Self.pitchClassCount
        let binCount = fftSize / 2 + 1
        self.binCount = binCount

        // Each bin's pitch in semitones above A0 (27.5 Hz at tuning 0: the tuned A4 4 octaves
        // down). One bin past the last kept one is needed for the last bin's width.
        let spacing = Double(sampleRate) / Double(fftSize)
        let referenceFrequency = 440 * pow(2, tuning / Double(classes)) / 16
        var pitches = [Double](repeating: 0, count: binCount + 1)
        for bin in 1...binCount {
            pitches[bin] = Double(classes) * log2(Double(bin) * spacing / referenceFrequency)
        }
        // The DC bin has no pitch: librosa puts it 1.5 octaves below bin 1, which makes its bump broad.
        pitches[0] = pitches[1] - 1.5 * Double(classes)

        // Pitches count from A; `base_c` rotates the rows so that row 0 is C, 3 semitones up
        // (`np.roll(-3)`): class c lands on row c - 3, wrapped.
        let rowShift = classes - 3 * (classes / 12)
        var weights = [Double](repeating: 0, count: classes * binCount)
        var bump = [Double](repeating: 0, count: classes)
        for bin in 0..<binCount {
            let width = max(pitches[bin + 1] - pitches[bin], 1)
            for pitchClass in 0..<classes {
                let distance = Self.wrappedDistance(from: pitches[bin], to: pitchClass)
                bump[pitchClass] = exp(-0.5 * pow(2 * distance / width, 2))
            }
            let norm = bump.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let octaves = (pitches[bin] / Double(classes) - Self.centreOctave) / Self.octaveWidth
            let octaveWeight = exp(-0.5 * octaves * octaves)
            for pitchClass in 0..<classes {
                let row = (pitchClass + rowShift) % classes
                weights[row * binCount + bin] = bump[pitchClass] / norm * octaveWeight
            }
        }
        self.weights = weights
    }

    /// Signed distance in semitones from `pitchClass` to `pitch`, wrapped into [-6, 6) the way
    /// librosa does (`remainder(d + 6 + 120, 12) - 6`, the 120 keeping the argument positive).
    private static func wrappedDistance(from pitch: Double, to pitchClass: Int) -> Double {
        let classes = Double(pitchClassCount)
        let half = (classes / 2).rounded()
        let shifted = pitch - Double(pitchClass) + half + 10 * classes
        // NumPy's remainder takes the divisor's sign, unlike fmod.
        var remainder = fmod(shifted, classes)
        if remainder < 0 { remainder += classes }
        return remainder - half
    }

    /// The raw chromagram of a magnitude spectrogram: frames × pitch classes.
    func apply(to magnitudes: FrameMatrix) -> FrameMatrix {
        precondition(magnitudes.columnCount == binCount, "spectrogram and filter bank disagree on the FFT size")
        return magnitudes.projected(onto: weights, rowCount: Self.pitchClassCount)
    }
}
