import CAubio

/// F0 every hop from aubio's YIN: the `yinfast` method, de Cheveigné and Kawahara's YIN (2002)
/// with the difference function computed through an FFT, so it finds the periods `yin` finds at
/// a fraction of the cost. YIN takes the first lag whose cumulative-mean-normalised difference
/// falls below 0.15 (aubio's tolerance for it), so a signal whose period is nearly but not exactly
/// repeated keeps its period rather than dropping an octave to the exact repeat.
struct PitchTracker: Sendable {
    /// One window's estimate. `frequency` is 0 where the window is silent (`silenceLevel`);
    /// `confidence` is 1 − YIN's normalised difference at the chosen lag, in [0, 1].
    struct Estimate {
        var frequency: Double
        var confidence: Double
    }

    /// aubio reports no pitch for a window quieter than this (dBFS): its lowest setting, so only
    /// digital silence. Its default, −50 dB, would drop the voiced parts of quietly recorded
    /// speech; the caller decides from the confidence and the frame's own level instead.
    private static let silenceLevel: Float = -200

    let sampleRate: Int
    let hopLength: Int
    let windowLength: Int

    init(sampleRate: Int, hopLength: Int, windowLength: Int) {
        precondition(sampleRate > 0 && hopLength > 0, "sample rate and hop must be positive")
        precondition(windowLength > 0 && windowLength % 2 == 0, "the window must be even")
        self.sampleRate = sampleRate
        self.hopLength = hopLength
        self.windowLength = windowLength
    }

    /// `frameCount` estimates, frame k's window centred on sample k · `hopLength` (zeros outside
    /// the signal), so they line up with `ShortTimeFourierTransform`'s centred frames.
    func estimates(of samples: [Float], frameCount: Int) -> [Estimate] {
        // aubio slides its window along by as many samples as it is given and judges silence on
        // those alone: given a whole window each time, it analyses and judges exactly our frames.
        let size = UInt32(windowLength)
        guard let tracker = new_aubio_pitch("yinfast", size, size, UInt32(sampleRate)) else {
            preconditionFailure("aubio rejected the pitch tracker's sizes")
        }
        defer { del_aubio_pitch(tracker) }
        aubio_pitch_set_silence(tracker, Self.silenceLevel)
        let input = new_fvec(size)!, output = new_fvec(1)!
        defer {
            del_fvec(input)
            del_fvec(output)
        }

        var estimates = [Estimate]()
        estimates.reserveCapacity(frameCount)
        samples.withUnsafeBufferPointer { samples in
            let window = input.pointee.data!
            for frame in 0..<frameCount {
                let start = frame * hopLength - windowLength / 2
                let lower = min(max(0, -start), windowLength)
                let upper = max(lower, min(windowLength, samples.count - start))
                window.update(repeating: 0, count: windowLength)
                if lower < upper {
                    (window + lower).update(from: samples.baseAddress! + start + lower, count: upper - lower)
                }
                aubio_pitch_do(tracker, input, output)
                estimates.append(
                    Estimate(
                        frequency: Double(output.pointee.data[0]),
                        confidence: Double(aubio_pitch_get_confidence(tracker))))
            }
        }
        return estimates
    }
}
