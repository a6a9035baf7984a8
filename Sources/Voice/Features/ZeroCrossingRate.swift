/// librosa's `zero_crossing_rate` with its defaults: the fraction of sign changes in frames of
/// `frameLength` samples every `hopLength`, centred like the STFT's frames.
///
/// Unlike the STFT, librosa centres these frames by repeating the first and last samples
/// (`np.pad(mode="edge")`), not with zeros. Within a frame, sample `i` (from 1 on) crosses when its
/// sign bit differs from sample `i - 1`'s after values within ±1e-10 are set to +0 (`zero_pos`:
/// zero counts as positive); sample 0 never counts (`pad=False`), yet the count is divided by the
/// full frame length.
struct ZeroCrossingRate: Sendable {
    let frameLength: Int
    let hopLength: Int
    /// `zero_crossings`' default threshold, at the precision of the float32 samples it compares.
    private static let threshold = Float(1e-10)

    init(frameLength: Int = 2048, hopLength: Int = 512) {
        precondition(frameLength > 0 && hopLength > 0, "frame and hop lengths must be positive")
        self.frameLength = frameLength
        self.hopLength = hopLength
    }

    /// The rate of each frame, `1 + samples.count / hopLength` of them.
    func rates(of samples: [Float]) -> [Double] {
        guard !samples.isEmpty else { return [] }
        let padding = frameLength / 2
        let paddedCount = samples.count + 2 * padding
        // crossingsBefore[i]: crossings at positions 1 ..< i of the padded signal, so any frame's
        // count is one subtraction.
        var crossingsBefore = [Int](repeating: 0, count: paddedCount + 1)
        samples.withUnsafeBufferPointer { samples in
            func isNegative(_ position: Int) -> Bool {
                let value = samples[min(max(position - padding, 0), samples.count - 1)]
                return abs(value) > Self.threshold && value.sign == .minus
            }
            var previous = isNegative(0)
            for position in 1..<paddedCount {
                let current = isNegative(position)
                crossingsBefore[position + 1] = crossingsBefore[position] + (current != previous ? 1 : 0)
                previous = current
            }
        }
        let frameCount = 1 + (paddedCount - frameLength) / hopLength
        return (0..<frameCount).map { frame in
            let start = frame * hopLength
            // Position `start` itself is the frame's first sample, which never counts.
            let crossings = crossingsBefore[start + frameLength] - crossingsBefore[start + 1]
            return Double(crossings) / Double(frameLength)
        }
    }
}
