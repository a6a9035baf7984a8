import Foundation

/// The acoustic features of one speech segment as a fixed-length vector of named values, for the
/// classical classifiers (SVM, random forest, MLP) of emoscan's own voice-emotion model. They
/// follow eGeMAPS (Eyben et al. 2016, "The Geneva Minimalistic Acoustic Parameter Set"), the
/// parameters affective-computing studies found to carry emotion, plus MFCC statistics; values
/// are raw (semitones, dB, Hz), as the trainer standardises them.
///
/// Low-level descriptors come every 10 ms, from frames centred on multiples of the hop (as
/// librosa's STFT centres them; zeros beyond the signal), and are summarised over the segment:
/// - pitch: F0 from aubio's YIN (`PitchTracker`) over windows of at least 60 ms (1024 samples at
///   16 kHz), as eGeMAPS takes F0 from 60 ms: YIN looks for periods up to half its window, and a
///   low voice's near 20 ms. A frame is voiced when YIN's confidence is at least 0.7 (its
///   aperiodicity at most 0.3), F0 is 55–1000 Hz and the frame is active (below), lone frames
///   smoothed over. F0 in semitones above 27.5 Hz, over voiced frames: the summary (mean, std,
///   20th/50th/80th percentiles, 20–80 range, slope per second) and the mean rising and falling
///   frame-to-frame slopes (semitones per second); the voiced ratio, voiced stretches per second
///   and the mean length of voiced and unvoiced stretches (s);
/// - jitter (local, RAP) and shimmer (local in dB, local), Praat's definitions over the voiced
///   stretches' cycles, found by waveform matching (`PeriodPerturbation`);
/// - HNR in dB from the autocorrelation at the period over three periods (`HarmonicsToNoise`),
///   voiced frames: the summary without slope;
/// - loudness (`SpectralDescriptors`) and the RMS level in dBFS of 25 ms frames, all frames: the
///   summary with slope, and loudness peaks per second;
/// - alpha ratio, Hammarberg index, spectral slopes 0–500 and 500–1500 Hz, centroid and flux of
///   25 ms Hann frames (512-point FFT at 16 kHz): mean and std over voiced frames and the mean over
///   unvoiced active ones, as eGeMAPS splits them; the dB share of five energy bands, mean and std
///   over active frames;
/// - 13 MFCCs exactly as `librosa.feature.mfcc(sr=16000, n_mfcc=13, n_fft=512, hop_length=160,
///   win_length=400, n_mels=40)` computes them at 16 kHz, and their deltas as
///   `librosa.feature.delta` does: mean and std of each, over all frames.
///
/// Active frames are within 40 dB of the segment's loudest and above −80 dBFS, so a pause's noise
/// floor does not count as an unvoiced sound. Statistics over no frames read 0, so silence or an
/// unvoiced segment gives zeros for what it lacks, never NaN.
public struct EmotionFeatures: Sendable {
    /// The features' names in vector order, 118 of them. Stable: a model stores them and checks them.
    public static let names: [String] = {
        var vector = FeatureVector(recordingNames: true)
        // An empty signal asks nothing of OpenCV, so this cannot fail.
        try! EmotionFeatures().write([], into: &vector)
        return vector.names!
    }()

    // MARK: Settings

    private static let frameSeconds = 0.025
    private static let hopSeconds = 0.010
    private static let pitchWindowSeconds = 0.060
    private static let melBandCount = 40
    private static let cepstralCount = 13
    /// YIN's confidence (1 − aperiodicity) from which a frame is voiced: espeak-ng's vowels read
    /// 0.6–1, harmonic tones 0.9 and more, white noise about 0.1.
    private static let voicingConfidence = 0.7
    /// How far (semitones) a lone unvoiced frame's F0 may be from both neighbours' to be voiced.
    private static let gapTolerance = 2.0
    /// F0 outside these (Hz) is a tracking error rather than a voice.
    private static let pitchRange = 55.0...1000.0
    /// F0 in semitones above this frequency (A0), as eGeMAPS reports it.
    private static let semitoneReference = 27.5
    /// Active frames: within this many dB of the loudest, and above this dBFS.
    private static let activityRange = 40.0
    private static let activityFloor = -80.0
    /// librosa's `delta` default: the slope through 9 frames.
    private static let deltaWidth = 9
    /// A loudness peak is the loudest frame within this many either side (80 ms)...
    private static let peakHalfWidth = 8
    /// ...rising above the quietest there by this fraction of the segment's loudest frame.
    private static let peakProminence = 0.1

    public let sampleRate: Int
    private let hopLength: Int
    private let frameLength: Int
    private let transform: ShortTimeFourierTransform
    private let melFilterBank: MelFilterBank
    private let cepstrum: CepstralTransform
    private let spectral: SpectralDescriptors
    private let pitchTracker: PitchTracker

    /// Precomputes the windows, filter banks and band limits for `sampleRate` (at least 8 kHz:
    /// the spectral balance rests on the 1–5 kHz band). The FFT is the power of two that holds a
    /// frame, the F0 window the power of two that holds 60 ms.
    ///
    /// - Parameter sampleRate: The rate of the samples to come, in Hz; at least 8000 (a precondition).
    public init(sampleRate: Int = 16000) {
        precondition(sampleRate >= 8000, "emotion features need at least 8 kHz")
        self.sampleRate = sampleRate
        hopLength = Int((Self.hopSeconds * Double(sampleRate)).rounded())
        frameLength = Int((Self.frameSeconds * Double(sampleRate)).rounded())
        func powerOfTwo(holding count: Int) -> Int { 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount) }
        let pitchWindowLength = powerOfTwo(holding: Int((Self.pitchWindowSeconds * Double(sampleRate)).rounded()))
        transform = ShortTimeFourierTransform(
            fftSize: powerOfTwo(holding: frameLength), hopLength: hopLength,
            windowLength: frameLength)
        melFilterBank = MelFilterBank(sampleRate: sampleRate, fftSize: transform.fftSize, bandCount: Self.melBandCount)
        cepstrum = CepstralTransform(bandCount: Self.melBandCount, coefficientCount: Self.cepstralCount)
        spectral = SpectralDescriptors(sampleRate: sampleRate, transform: transform, melBandCount: Self.melBandCount)
        pitchTracker = PitchTracker(sampleRate: sampleRate, hopLength: hopLength, windowLength: pitchWindowLength)
    }

    /// The `names.count` features of `samples` (mono, at `sampleRate`, finite, nominally in
    /// [-1, 1]). Any length, even none: what a signal lacks (voice, sound) reads 0.
    ///
    /// - Parameter samples: The segment, mono, at `sampleRate`.
    /// - Returns: `names.count` values, in the order of `names`.
    /// - Throws: `OpenCVError` should OpenCV's DFT or template matching fail: a bad segment then
    ///   fails its file's voice branch instead of the process.
    public func features(of samples: [Float]) throws -> [Float] {
        var vector = FeatureVector(recordingNames: false)
        try write(samples, into: &vector)
        return vector.values
    }

    // MARK: The vector

    /// The low-level descriptors of one signal, frame by frame, that the groups summarise.
    private struct Frames {
        let samples: [Float]
        let count: Int
        /// Seconds per frame, and each frame's time.
        let hop: Double
        let times: [Double]
        /// The frames' total duration, for rates: never 0, as there is always a frame.
        let duration: Double
        let energy: CumulativeEnergy
        /// dBFS of each 25 ms frame, and whether it is active.
        let levels: [Double]
        let active: [Bool]
        /// F0 in Hz (meaningful where voiced) and the voicing decision.
        let frequencies: [Double]
        let voiced: [Bool]
        let spectra: SpectralDescriptors.Frames
        let mfcc: FrameMatrix

        func indices(where isIncluded: (Int) -> Bool) -> [Int] { (0..<count).filter(isIncluded) }
    }

    /// Computes every group and appends it, names with values: `names` is this run on no samples.
    private func write(_ samples: [Float], into vector: inout FeatureVector) throws {
        let frames = try analyse(samples)
        writePitch(of: frames, into: &vector)
        try writeVoiceQuality(of: frames, into: &vector)
        writeLoudness(of: frames, into: &vector)
        writeSpectrum(of: frames, into: &vector)
        writeCepstrum(of: frames, into: &vector)
    }

    private func analyse(_ samples: [Float]) throws -> Frames {
        let magnitudes = try transform.magnitudes(of: samples)
        let count = magnitudes.frameCount
        let mel = melFilterBank.apply(to: magnitudes.squared())
        let energy = CumulativeEnergy(samples)
        let levels = (0..<count).map { frame in
            let start = frame * hopLength - frameLength / 2
            let meanSquare = energy.energy(start..<start + frameLength) / Double(frameLength)
            return max(Double(LevelMeter.floorDB), 10 * log10(meanSquare + 1e-12))
        }
        let threshold = max(levels.max()! - Self.activityRange, Self.activityFloor)
        let active = levels.map { $0 >= threshold }
        let estimates = pitchTracker.estimates(of: samples, frameCount: count)
        let hop = Double(hopLength) / Double(sampleRate)
        return Frames(
            samples: samples, count: count, hop: hop, times: (0..<count).map { Double($0) * hop },
            duration: Double(count) * hop, energy: energy, levels: levels, active: active,
            frequencies: estimates.map(\.frequency), voiced: Self.voicing(estimates, active: active),
            spectra: spectral.frames(magnitudes: magnitudes, mel: mel),
            mfcc: cepstrum.coefficients(of: cepstrum.decibels(of: mel)))
    }

    /// F0 in semitones: the summary and the rising and falling slopes over voiced frames; how
    /// much of the segment is voiced, in how many stretches of what length.
    private func writePitch(of frames: Frames, into vector: inout FeatureVector) {
        let voicedFrames = frames.indices { frames.voiced[$0] }
        let semitones = voicedFrames.map { 12 * log2(frames.frequencies[$0] / Self.semitoneReference) }
        Self.appendSummary("f0_semitones", semitones, times: voicedFrames.map { frames.times[$0] }, into: &vector)
        let steps = frames.indices { $0 > 0 && frames.voiced[$0] && frames.voiced[$0 - 1] }
            .map { 12 * log2(frames.frequencies[$0] / frames.frequencies[$0 - 1]) / frames.hop }
        vector.append("f0_rising_slope_mean", Functionals.mean(steps.filter { $0 > 0 }))
        vector.append("f0_falling_slope_mean", Functionals.mean(steps.filter { $0 < 0 }))

        let voicedRuns = Self.runs(of: frames.voiced, being: true)
        let unvoicedRuns = Self.runs(of: frames.voiced, being: false)
        vector.append("voiced_ratio", Double(voicedFrames.count) / Double(frames.count))
        vector.append("voiced_segments_per_second", Double(voicedRuns.count) / frames.duration)
        let seconds = { (runs: [Range<Int>]) in runs.map { Double($0.count) * frames.hop } }
        vector.append("voiced_segment_length_mean", Functionals.mean(seconds(voicedRuns)))
        vector.append("unvoiced_segment_length_mean", Functionals.mean(seconds(unvoicedRuns)))
    }

    /// Jitter and shimmer over the voiced stretches' cycles; the HNR summary over voiced frames.
    private func writeVoiceQuality(of frames: Frames, into vector: inout FeatureVector) throws {
        let perturbation = try PeriodPerturbation(
            samples: frames.samples,
            voicedRuns: Self.runs(of: frames.voiced, being: true),
            frequencies: frames.frequencies, hopLength: hopLength,
            sampleRate: sampleRate)
        vector.append("jitter_local", perturbation.jitterLocal)
        vector.append("jitter_rap", perturbation.jitterRAP)
        vector.append("shimmer_local_db", perturbation.shimmerLocalDecibels)
        vector.append("shimmer_local", perturbation.shimmerLocal)

        let harmonicity = HarmonicsToNoise(samples: frames.samples, energy: frames.energy)
        let ratios = frames.indices { frames.voiced[$0] }.compactMap { frame in
            harmonicity.decibels(centre: frame * hopLength, period: Double(sampleRate) / frames.frequencies[frame])
        }
        Self.appendSummary("hnr_db", ratios, times: nil, into: &vector)
    }

    /// Loudness and RMS level: the summary with slope over all frames, and loudness peaks per second.
    private func writeLoudness(of frames: Frames, into vector: inout FeatureVector) {
        Self.appendSummary("loudness", frames.spectra.loudness, times: frames.times, into: &vector)
        vector.append("loudness_peaks_per_second", Double(Self.peakCount(frames.spectra.loudness)) / frames.duration)
        Self.appendSummary("rms_db", frames.levels, times: frames.times, into: &vector)
    }

    /// The spectral balance: each descriptor's mean and std over voiced frames and mean over
    /// unvoiced active ones; each energy band's dB share, mean and std over active frames.
    private func writeSpectrum(of frames: Frames, into vector: inout FeatureVector) {
        let spectra = frames.spectra
        let voicedFrames = frames.indices { frames.voiced[$0] }
        let unvoicedFrames = frames.indices { frames.active[$0] && !frames.voiced[$0] }
        let descriptors: [(name: String, value: (Int) -> Double?)] = [
            ("alpha_ratio", { spectra.alphaRatio[$0] }),
            ("hammarberg_index", { spectra.hammarbergIndex[$0] }),
            ("spectral_slope_0_500", { spectra.slopeLow[$0] }),
            ("spectral_slope_500_1500", { spectra.slopeHigh[$0] }),
            ("spectral_centroid", { spectra.centroid[$0] }),
            ("spectral_flux", { spectra.flux[$0] }),
        ]
        for descriptor in descriptors {
            let inVoiced = voicedFrames.compactMap(descriptor.value)
            vector.append("\(descriptor.name)_voiced_mean", Functionals.mean(inVoiced))
            vector.append("\(descriptor.name)_voiced_std", Functionals.standardDeviation(inVoiced))
            let inUnvoiced = unvoicedFrames.compactMap(descriptor.value)
            vector.append("\(descriptor.name)_unvoiced_mean", Functionals.mean(inUnvoiced))
        }
        let activeFrames = frames.indices { frames.active[$0] }
        for (band, levels) in zip(SpectralDescriptors.energyBands, spectra.bandLevels) {
            let values = activeFrames.map { levels[$0] }
            let name = "band_energy_\(Int(band.low))_\(Int(band.high))_db"
            vector.append("\(name)_mean", Functionals.mean(values))
            vector.append("\(name)_std", Functionals.standardDeviation(values))
        }
    }

    /// Each MFCC's mean, then std, over all frames; then the same of their deltas.
    private func writeCepstrum(of frames: Frames, into vector: inout FeatureVector) {
        for (matrix, kind) in [(frames.mfcc, ""), (Self.deltas(of: frames.mfcc), "_delta")] {
            for (k, mean) in matrix.columnMeans().enumerated() {
                vector.append("mfcc\(k)\(kind)_mean", mean)
            }
            for (k, deviation) in matrix.columnStandardDeviations().enumerated() {
                vector.append("mfcc\(k)\(kind)_std", deviation)
            }
        }
    }

    /// Appends mean, standard deviation, 20th, 50th and 80th percentiles and the 20–80 range of
    /// `values`, and with `times` the slope of their least-squares line over time (per second).
    private static func appendSummary(
        _ name: String, _ values: [Double], times: [Double]?,
        into vector: inout FeatureVector
    ) {
        let sorted = values.sorted()
        let p20 = Functionals.percentile(0.2, ofSorted: sorted), p80 = Functionals.percentile(0.8, ofSorted: sorted)
        vector.append("\(name)_mean", Functionals.mean(values))
        vector.append("\(name)_std", Functionals.standardDeviation(values))
        vector.append("\(name)_p20", p20)
        vector.append("\(name)_p50", Functionals.percentile(0.5, ofSorted: sorted))
        vector.append("\(name)_p80", p80)
        vector.append("\(name)_range20_80", p80 - p20)
        if let times { vector.append("\(name)_slope", Functionals.slope(values, times: times)) }
    }

    // MARK: Contours

    /// Which frames are voiced: active, F0 in `pitchRange` and YIN's confidence at least
    /// `voicingConfidence`; then smoothed, since the confidence of a vowel dips below the
    /// threshold for single frames: a lone unvoiced frame between voiced ones is voiced if its F0
    /// is within `gapTolerance` of both, and a lone voiced frame is not.
    private static func voicing(_ estimates: [PitchTracker.Estimate], active: [Bool]) -> [Bool] {
        let candidates = estimates.indices.map { active[$0] && pitchRange.contains(estimates[$0].frequency) }
        let confident = estimates.indices.map { candidates[$0] && estimates[$0].confidence >= voicingConfidence }
        func isClose(_ frame: Int, to other: Int) -> Bool {
            abs(12 * log2(estimates[frame].frequency / estimates[other].frequency)) <= gapTolerance
        }
        let bridged = confident.indices.map { frame in
            confident[frame]
                || frame > 0 && frame + 1 < confident.count && candidates[frame]
                    && confident[frame - 1] && confident[frame + 1]
                    && isClose(frame, to: frame - 1) && isClose(frame, to: frame + 1)
        }
        return bridged.indices.map { frame in
            bridged[frame] && (frame > 0 && bridged[frame - 1] || frame + 1 < bridged.count && bridged[frame + 1])
        }
    }

    /// The runs of consecutive frames whose flag is `value`.
    private static func runs(of flags: [Bool], being value: Bool) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for (frame, flag) in flags.enumerated() {
            if flag == value, start == nil { start = frame }
            if flag != value, let first = start {
                runs.append(first..<frame)
                start = nil
            }
        }
        if let first = start { runs.append(first..<flags.count) }
        return runs
    }

    /// How many frames are the loudest within `peakHalfWidth` frames either side (the first of
    /// equal ones) and stand above the quietest frame there on both sides by `peakProminence` of
    /// the loudest frame of all: about one per syllable, none on a steady sound's onset.
    private static func peakCount(_ contour: [Double]) -> Int {
        guard let loudest = contour.max(), loudest > 0 else { return 0 }
        var count = 0
        for frame in 1..<max(1, contour.count - 1) {
            let value = contour[frame]
            var isPeak = true, lowBefore = value, lowAfter = value
            for other in max(0, frame - peakHalfWidth)..<frame {
                isPeak = isPeak && contour[other] < value
                lowBefore = min(lowBefore, contour[other])
            }
            for other in frame + 1..<min(contour.count, frame + 1 + peakHalfWidth) {
                isPeak = isPeak && contour[other] <= value
                lowAfter = min(lowAfter, contour[other])
            }
            if isPeak, value - max(lowBefore, lowAfter) >= peakProminence * loudest { count += 1 }
        }
        return count
    }

    /// librosa's `delta` (width 9, order 1, `mode="interp"`): each frame's slope per frame of the
    /// least-squares line through the 9 frames centred on it, the first and last 4 frames taking
    /// the first or last 9 frames' slope. Fewer than 9 frames (where librosa refuses) all take the
    /// slope through every frame.
    private static func deltas(of matrix: FrameMatrix) -> FrameMatrix {
        let frameCount = matrix.frameCount, columns = matrix.columnCount
        let span = min(deltaWidth, frameCount)
        let centre = Double(span - 1) / 2
        let spread = (0..<span).reduce(0.0) { $0 + (Double($1) - centre) * (Double($1) - centre) }
        let weights = (0..<span).map { spread > 0 ? (Double($0) - centre) / spread : 0 }
        var deltas = [Double](repeating: 0, count: matrix.values.count)
        matrix.values.withUnsafeBufferPointer { values in
            weights.withUnsafeBufferPointer { weights in
                deltas.withUnsafeMutableBufferPointer { deltas in
                    for frame in 0..<frameCount {
                        let first = min(max(frame - span / 2, 0), frameCount - span)
                        for column in 0..<columns {
                            var slope = 0.0
                            for offset in 0..<span {
                                slope += weights[offset] * values[(first + offset) * columns + column]
                            }
                            deltas[frame * columns + column] = slope
                        }
                    }
                }
            }
        }
        return FrameMatrix(frameCount: frameCount, columnCount: columns, values: deltas)
    }
}

/// The values of a feature vector and, when asked, their names, appended by the same calls: so
/// `EmotionFeatures.names` cannot drift from the order of the values.
private struct FeatureVector {
    private(set) var values: [Float] = []
    private(set) var names: [String]?

    init(recordingNames: Bool) {
        names = recordingNames ? [] : nil
    }

    mutating func append(_ name: @autoclosure () -> String, _ value: Double) {
        values.append(Float(value))
        names?.append(name())
    }
}
