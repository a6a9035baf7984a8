import Model

extension VoiceAggregate {
    /// The file's voice answer: the speech segments' probabilities averaged, each weighted by its
    /// duration (a long sentence says more than a short interjection), then calibrated by the
    /// model's temperature (which never changes the top label).
    ///
    /// - Parameters:
    ///   - segments: the voice branch's rows; only classified speech counts.
    ///   - labels: the voice model's labels, whose order breaks ties.
    ///   - temperature: the voice model's calibration; 1 leaves the mean as it is.
    public init(segments: [VoiceSegmentRow], labels: [String], temperature: Double = 1) {
        let speech = segments.filter { $0.kind == .speech && $0.probs != nil }
        var counts = Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) })
        var sums = [Double](repeating: 0, count: labels.count)
        var weights = 0.0
        for segment in speech {
            let weight = max(segment.t1 - segment.t0, 1e-6)
            let values = labels.map { segment.probs?[$0] ?? 0 }
            for (index, value) in values.enumerated() { sums[index] += weight * value }
            weights += weight
            if let top = TopLabel.index(of: values) { counts[labels[top], default: 0] += 1 }
        }
        let means = speech.isEmpty ? nil : TemperatureScaling.apply(sums.map { $0 / weights }, temperature: temperature)
        let best = means.flatMap(TopLabel.index(of:))
        self.init(
            emotion: best.map { labels[$0] }, confidence: best.flatMap { means?[$0] },
            probs: means.map { Dictionary(uniqueKeysWithValues: zip(labels, $0)) }, counts: counts, labels: labels,
            segmentsSpeech: speech.count, speechSeconds: speech.reduce(0) { $0 + ($1.t1 - $1.t0) },
            method: temperature == 1
                ? "duration-weighted mean of segment probabilities"
                : "duration-weighted mean of segment probabilities, calibrated (temperature \(temperature))")
    }
}
