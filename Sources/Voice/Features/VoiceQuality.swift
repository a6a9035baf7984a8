import CVShim
import CVSupport
import Foundation

// MARK: Energy

/// Running sums of a signal's squared samples, so the energy of any stretch is one subtraction
/// (frame levels and the autocorrelation's normalisation both need many overlapping ones).
struct CumulativeEnergy {
    /// `sums[i]`: the energy of samples 0 ..< i.
    private let sums: [Double]

    init(_ samples: [Float]) {
        var sums = [Double](repeating: 0, count: samples.count + 1)
        samples.withUnsafeBufferPointer { samples in
            sums.withUnsafeMutableBufferPointer { sums in
                for i in 0..<samples.count {
                    sums[i + 1] = sums[i] + Double(samples[i]) * Double(samples[i])
                }
            }
        }
        self.sums = sums
    }

    /// The energy of `samples[range]`, the part of `range` outside the signal counting as zeros.
    func energy(_ range: Range<Int>) -> Double {
        let lower = min(max(range.lowerBound, 0), sums.count - 1)
        let upper = min(max(range.upperBound, lower), sums.count - 1)
        // Rounding can leave a silent stretch a hair below 0.
        return max(0, sums[upper] - sums[lower])
    }
}

// MARK: Harmonics-to-noise ratio

/// The harmonics-to-noise ratio of a voiced frame in dB, from the normalised autocorrelation r at
/// the pitch period: the periodic part holds r of the power and the rest 1 − r, so
/// HNR = 10 log10(r / (1 − r)) (Boersma 1993: Praat's definition, and eGeMAPS's).
///
/// r is the correlation of a window of three periods with itself one period later (two periods
/// compared), normalised by both parts' energies, at the integer lags around the period; the peak
/// of the parabola through the three values stands for the fractional period. A longer window
/// would count intonation and jitter as noise: on EmoDB this reads within 1 dB of Praat's
/// `To Harmonicity (cc)` on average, a 64 ms window 3 dB lower.
struct HarmonicsToNoise {
    /// The range the ratio is clamped to: r → 1 (a pure tone) and r ≤ 0 (no periodicity at all)
    /// would give ±∞.
    static let range = -20.0...40.0
    private static let periodsPerWindow = 3.0

    private let samples: [Float]
    private let energy: CumulativeEnergy

    init(samples: [Float], energy: CumulativeEnergy) {
        self.samples = samples
        self.energy = energy
    }

    /// The HNR around sample `centre` for a period of `period` samples; nil where the signal is
    /// too short to compare one period with the next.
    func decibels(centre: Int, period: Double) -> Double? {
        let half = Int((Self.periodsPerWindow * period / 2).rounded())
        let start = max(0, centre - half), end = min(samples.count, centre + half)
        let lag = Int(period.rounded())
        // Each lag compares the same `count` samples with those `lag` − 1, `lag` and `lag` + 1 later.
        let count = end - start - lag - 1
        guard lag >= 2, count > 0 else { return nil }
        var products = (0.0, 0.0, 0.0)
        samples.withUnsafeBufferPointer { samples in
            let first = samples.baseAddress! + start
            for i in 0..<count {
                let sample = Double(first[i])
                products.0 += sample * Double(first[i + lag - 1])
                products.1 += sample * Double(first[i + lag])
                products.2 += sample * Double(first[i + lag + 1])
            }
        }
        let leadingEnergy = energy.energy(start..<start + count)
        func normalised(_ product: Double, lag: Int) -> Double {
            let norm = (leadingEnergy * energy.energy(start + lag..<start + lag + count)).squareRoot()
            return norm > 0 ? product / norm : 0
        }
        let before = normalised(products.0, lag: lag - 1), at = normalised(products.1, lag: lag)
        let after = normalised(products.2, lag: lag + 1)
        let curvature = before - 2 * at + after
        let peak =
            at >= before && at >= after && curvature < 0
            ? at - (before - after) * (before - after) / (8 * curvature)
            : max(before, at, after)
        let r = min(max(peak, 0), 1)
        let ratio = 10 * log10(max(r, 1e-12) / max(1 - r, 1e-12))
        return min(max(ratio, Self.range.lowerBound), Self.range.upperBound)
    }
}

// MARK: Jitter and shimmer

/// How much consecutive glottal cycles differ: in length (jitter) and in peak amplitude
/// (shimmer), with Praat's definitions. Jitter (local): the mean absolute difference of
/// consecutive periods over the mean period; jitter (RAP): the mean absolute difference of a
/// period from the mean of it and its two neighbours, over the mean period; shimmer (local, dB):
/// the mean |20 log10| of the ratio of consecutive peak amplitudes; shimmer (local): the mean
/// absolute difference of consecutive amplitudes over the mean amplitude. All 0 without enough cycles.
///
/// Cycles are found by waveform matching, as Praat's cross-correlation point process finds them
/// but more simply. In each voiced stretch the first cycle starts at the largest peak (of the
/// polarity whose extreme is the larger) within the first period. A cycle's length is the lag,
/// 0.8 to 1.2 periods of its frame's F0, at which the period of waveform centred on its start best
/// matches the waveform that much later (normalised cross-correlation by OpenCV's template
/// matching, the peak refined by a parabola); the next cycle starts that much later. Matching
/// waveforms rather than picking peaks keeps a formant's ringing from moving a mark by a period
/// of its own: on EmoDB, peak picking gave twice Praat's jitter, uncorrelated with it. A cycle's
/// amplitude is its largest peak within half a period of its start. Only cycles of one stretch
/// are compared.
struct PeriodPerturbation {
    private(set) var jitterLocal = 0.0
    private(set) var jitterRAP = 0.0
    private(set) var shimmerLocalDecibels = 0.0
    private(set) var shimmerLocal = 0.0

    /// The lags a cycle's length is looked for within, in periods of its frame's F0.
    private static let searchWindow = 0.8...1.2

    private struct Cycle {
        var length: Double
        var amplitude: Double
    }

    /// `voicedRuns`: runs of voiced frames; `frequencies`: each frame's F0 in Hz (used only in
    /// voiced frames); frame k stands for the samples within half a hop of k · `hopLength`.
    init(samples: [Float], voicedRuns: [Range<Int>], frequencies: [Double], hopLength: Int, sampleRate: Int) throws {
        var periods = Mean(), periodSteps = Mean(), periodDeviations = Mean()
        var amplitudes = Mean(), amplitudeSteps = Mean(), amplitudeRatios = Mean()
        var cycles: [Cycle] = [], scores: [Float] = []
        try samples.withUnsafeBufferPointer { samples in
            for run in voicedRuns {
                let start = max(0, run.lowerBound * hopLength - hopLength / 2)
                let end = min(samples.count, (run.upperBound - 1) * hopLength + hopLength / 2 + 1)
                guard start < end else { continue }
                func period(at position: Double) -> Double {
                    let frame = Int((position / Double(hopLength)).rounded())
                    return Double(sampleRate) / frequencies[min(max(frame, run.lowerBound), run.upperBound - 1)]
                }
                try Self.findCycles(in: samples, start..<end, period: period, scores: &scores, into: &cycles)
                for (index, cycle) in cycles.enumerated() {
                    periods.add(cycle.length)
                    amplitudes.add(cycle.amplitude)
                    guard index > 0 else { continue }
                    let previous = cycles[index - 1]
                    periodSteps.add(abs(cycle.length - previous.length))
                    amplitudeSteps.add(abs(cycle.amplitude - previous.amplitude))
                    if previous.amplitude > 0, cycle.amplitude > 0 {
                        amplitudeRatios.add(abs(20 * log10(cycle.amplitude / previous.amplitude)))
                    }
                    if index + 1 < cycles.count {
                        let meanOfThree = (previous.length + cycle.length + cycles[index + 1].length) / 3
                        periodDeviations.add(abs(cycle.length - meanOfThree))
                    }
                }
            }
        }
        if periods.value > 0 {
            jitterLocal = periodSteps.value / periods.value
            jitterRAP = periodDeviations.value / periods.value
        }
        if amplitudes.value > 0 { shimmerLocal = amplitudeSteps.value / amplitudes.value }
        shimmerLocalDecibels = amplitudeRatios.value
    }

    /// Replaces `cycles` with those of one voiced stretch; `period(position)` is the period in
    /// samples at a position. `scores` is scratch space for the correlation at each lag.
    private static func findCycles(
        in samples: UnsafeBufferPointer<Float>, _ stretch: Range<Int>,
        period: (Double) -> Double, scores: inout [Float],
        into cycles: inout [Cycle]
    ) throws {
        cycles.removeAll(keepingCapacity: true)
        var highest: Float = 0, lowest: Float = 0
        for i in stretch {
            highest = max(highest, samples[i])
            lowest = min(lowest, samples[i])
        }
        let polarity: Float = highest >= -lowest ? 1 : -1
        let firstLength = Int(period(Double(stretch.lowerBound)).rounded(.up))
        let firstPeriod = stretch.lowerBound..<min(stretch.upperBound, stretch.lowerBound + firstLength)
        var position = peak(of: samples, polarity: polarity, in: firstPeriod).position
        while true {
            let length = period(position)
            let mark = Int(position.rounded()), width = Int(length.rounded())
            // The period of waveform centred on the mark, or from the stretch's start.
            let start = max(stretch.lowerBound, mark - width / 2)
            let shortest = Int((searchWindow.lowerBound * length).rounded(.up))
            let longest = Int((searchWindow.upperBound * length).rounded(.down))
            guard length.isFinite, shortest >= 1, shortest <= longest else { break }
            let lags = shortest...longest
            // One lag more either side, for the parabola through the best and its neighbours.
            let first = lags.lowerBound - 1, count = lags.count + 2
            guard width >= 2, start + first + count - 1 + width <= stretch.upperBound else { break }
            if scores.count < count { scores = [Float](repeating: 0, count: count) }
            _ = try scores.withUnsafeMutableBufferPointer { scores in
                try withCVCall("match voice cycles") { error in
                    cvs_match_normed(
                        samples.baseAddress! + start + first, Int32(width + count - 1),
                        samples.baseAddress! + start, Int32(width), scores.baseAddress!, &error)
                }
            }
            var best = 1
            for index in 1..<count - 1 where scores[index] > scores[best] { best = index }
            let (before, at, after) = (Double(scores[best - 1]), Double(scores[best]), Double(scores[best + 1]))
            let curvature = before - 2 * at + after
            // The vertex lies within half a lag of the best one unless rounding makes the parabola
            // nearly flat, when the division would throw it anywhere.
            let offset = curvature < 0 ? min(0.5, max(-0.5, 0.5 * (before - after) / curvature)) : 0
            let cycleLength = Double(first + best) + offset
            let nearStart = max(stretch.lowerBound, mark - width / 2),
                nearEnd = min(stretch.upperBound, mark + width / 2 + 1)
            guard nearStart < nearEnd else { break }
            let nearMark = nearStart..<nearEnd
            let amplitude = peak(of: samples, polarity: polarity, in: nearMark).amplitude
            cycles.append(Cycle(length: cycleLength, amplitude: amplitude))
            position += cycleLength
        }
    }

    /// The largest sample of `polarity` in `range`, placed and sized by the parabola's vertex
    /// through it and its neighbours.
    private static func peak(
        of samples: UnsafeBufferPointer<Float>, polarity: Float,
        in range: Range<Int>
    ) -> (position: Double, amplitude: Double) {
        var index = range.lowerBound
        for i in range where polarity * samples[i] > polarity * samples[index] { index = i }
        let peak = Double(polarity * samples[index])
        guard index > 0, index + 1 < samples.count else { return (Double(index), peak) }
        let before = Double(polarity * samples[index - 1]), after = Double(polarity * samples[index + 1])
        let curvature = before - 2 * peak + after
        guard curvature < 0 else { return (Double(index), peak) }
        let offset = min(0.5, max(-0.5, 0.5 * (before - after) / curvature))
        return (Double(index) + offset, peak - 0.25 * (before - after) * offset)
    }

    /// A running mean.
    private struct Mean {
        private var total = 0.0
        private var count = 0

        mutating func add(_ value: Double) {
            total += value
            count += 1
        }

        var value: Double { count > 0 ? total / Double(count) : 0 }
    }
}
