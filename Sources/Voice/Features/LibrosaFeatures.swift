/// Why audio features could not be computed.
public enum AudioFeatureError: Error, Equatable, CustomStringConvertible {
    /// The signal has no samples, so it has no frames to average.
    case emptySignal

    public var description: String {
        switch self {
        case .emptySignal: "cannot compute audio features of an empty signal"
        }
    }
}

/// The 181 time-averaged features the audioanalytics model takes, computed as librosa 0.11.0
/// computes them with its defaults, so the model sees what it was trained on.
///
/// From float samples (PCM / 32768), in order: the means over frames of 40 MFCC, 12 chroma
/// (`chroma_stft` on |STFT|, tuning estimated from the signal), 128 mel power bands, and the
/// zero-crossing rate. Frames are 2048 samples every 512, centred (see `ShortTimeFourierTransform`
/// and `ZeroCrossingRate`). Computed in Double; librosa works in float32, so values agree to
/// about 1e-5 relative (float32 rounding in librosa), not bit for bit.
public struct LibrosaFeatures: Sendable {
    public static let count = cepstralCount + ChromaFilterBank.pitchClassCount + melBandCount + 1

    private static let fftSize = 2048
    private static let hopLength = 512
    private static let melBandCount = 128
    private static let cepstralCount = 40

    public let sampleRate: Int
    private let transform: ShortTimeFourierTransform
    private let melFilterBank: MelFilterBank
    private let cepstrum: CepstralTransform
    private let tuningEstimator: TuningEstimator
    private let zeroCrossingRate: ZeroCrossingRate

    /// Precomputes everything that does not depend on the signal: the window, the mel filter
    /// bank, the DCT matrix and the pitch-search range. (The chroma filter bank depends on the
    /// signal's tuning, so it is built per signal.)
    ///
    /// - Parameter sampleRate: The rate of the samples to come, in Hz; more than 0 (a precondition).
    public init(sampleRate: Int) {
        precondition(sampleRate > 0, "sample rate must be positive")
        self.sampleRate = sampleRate
        transform = ShortTimeFourierTransform(fftSize: Self.fftSize, hopLength: Self.hopLength)
        melFilterBank = MelFilterBank(sampleRate: sampleRate, fftSize: Self.fftSize, bandCount: Self.melBandCount)
        cepstrum = CepstralTransform(bandCount: Self.melBandCount, coefficientCount: Self.cepstralCount)
        tuningEstimator = TuningEstimator(sampleRate: sampleRate, fftSize: Self.fftSize)
        zeroCrossingRate = ZeroCrossingRate(frameLength: Self.fftSize, hopLength: Self.hopLength)
    }

    /// The `count` features of `samples` (mono, at `sampleRate`). Throws
    /// `AudioFeatureError.emptySignal` for an empty signal.
    ///
    /// - Parameter samples: The signal, mono, at `sampleRate`; not empty.
    /// - Returns: `count` values: the means of 40 MFCC, 12 chroma bins and 128 mel bands, then the zero-crossing rate.
    /// - Throws: `AudioFeatureError.emptySignal` for no samples; `OpenCVError` when the STFT fails.
    public func features(of samples: [Float]) throws -> [Float] {
        guard !samples.isEmpty else { throw AudioFeatureError.emptySignal }
        let magnitudes = try transform.magnitudes(of: samples)
        let mel = melFilterBank.apply(to: magnitudes.squared())
        let mfcc = cepstrum.coefficients(of: cepstrum.decibels(of: mel)).columnMeans()
        let chroma = chromagram(of: magnitudes).columnMeans()
        let rates = zeroCrossingRate.rates(of: samples)
        let zcr = rates.reduce(0, +) / Double(rates.count)
        return (mfcc + chroma + mel.columnMeans() + [zcr]).map(Float.init)
    }

    /// librosa's per-frame MFCC of `samples` (`librosa.feature.mfcc(n_mfcc=40)`): frames × 40.
    /// Throws `AudioFeatureError.emptySignal` for an empty signal.
    ///
    /// - Parameter samples: The signal, mono, at `sampleRate`; not empty.
    /// - Returns: One row of 40 coefficients per frame.
    /// - Throws: `AudioFeatureError.emptySignal` for no samples; `OpenCVError` when the STFT fails.
    public func mfccFrames(of samples: [Float]) throws -> [[Float]] {
        guard !samples.isEmpty else { throw AudioFeatureError.emptySignal }
        let power = try transform.magnitudes(of: samples).squared()
        return cepstrum.coefficients(of: cepstrum.decibels(of: melFilterBank.apply(to: power))).rows()
    }

    // MARK: Chroma

    /// `chroma_stft(S=|STFT|)`: the chroma filter bank for the signal's estimated tuning, applied
    /// to the magnitudes, each frame then divided by its largest value.
    private func chromagram(of magnitudes: FrameMatrix) -> FrameMatrix {
        let tuning = tuningEstimator.tuning(of: magnitudes)
        let filterBank = ChromaFilterBank(sampleRate: sampleRate, fftSize: Self.fftSize, tuning: tuning)
        var chroma = filterBank.apply(to: magnitudes)
        let classes = chroma.columnCount
        for frame in 0..<chroma.frameCount {
            let row = frame * classes..<(frame + 1) * classes
            let peak = chroma.values[row].max() ?? 0
            // util.normalize leaves frames whose norm is below float32's smallest normal number
            // (librosa's chroma is float32) as they are, so silent frames stay 0 rather than NaN.
            guard peak >= Double(Float.leastNormalMagnitude) else { continue }
            for index in row {
                chroma.values[index] /= peak
            }
        }
        return chroma
    }
}
