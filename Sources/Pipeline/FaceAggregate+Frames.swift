import Model

extension FaceAggregate {
    /// The file's face answer: mean probabilities over every accepted face, and the top label.
    ///
    /// - Parameters:
    ///   - rows: every sampled frame's row, accepted or not.
    ///   - labels: the face model's labels, whose order breaks ties.
    public init(rows: [FrameRow], labels: [String]) {
        let accepted = rows.flatMap(\.faces).filter(\.accepted).compactMap(\.probs)
        var counts = Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) })
        for probs in accepted {
            if let label = TopLabel.of(probs, in: labels) { counts[label, default: 0] += 1 }
        }
        var mean: [String: Double]?
        if !accepted.isEmpty {
            mean = Dictionary(
                uniqueKeysWithValues: labels.map { label in
                    (label, accepted.reduce(0) { $0 + ($1[label] ?? 0) } / Double(accepted.count))
                })
        }
        let emotion = mean.flatMap { TopLabel.of($0, in: labels) }
        self.init(
            emotion: emotion, confidence: emotion.flatMap { mean?[$0] }, probs: mean, counts: counts,
            framesSampled: rows.count,
            framesWithFace: rows.filter { !$0.faces.isEmpty }.count,
            framesAccepted: rows.filter(\.accepted).count,
            facesAccepted: accepted.count,
            method: "mean of accepted faces")
    }
}
