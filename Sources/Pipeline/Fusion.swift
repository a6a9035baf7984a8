import Model

/// Confidence-weighted late fusion, as the product's first description (seed 000) specifies:
/// voice labels are mapped into the face label space (calm and neutral → neutral, fearful →
/// fear, ...), then `p(e) = w'_f·p_face(e) + w'_v·p_voice(e)` with
/// `w'_m = w_m·c_m / (w_f·c_f + w_v·c_v)`, where `w_m` is the pipeline's weight and `c_m` the
/// modality's confidence. A modality that is absent or less confident than `min_confidence`
/// is left out and the other answers alone.
public struct Fusion: Sendable {
    public let settings: FusionSettings
    /// The face model's labels: the space answers are fused in, and the order ties are broken by.
    public let labels: [String]

    public init(settings: FusionSettings, labels: [String]) {
        self.settings = settings
        self.labels = labels
    }

    /// Fuses the answers (`probs` and `confidence`) of the face and voice aggregates.
    ///
    /// - Parameters:
    ///   - face: the video branch's aggregate; nil when the branch did not run.
    ///   - voice: the voice branch's aggregate, in the voice model's labels; nil when the branch did not run.
    /// - Returns: the fused answer in the face model's labels, with the method used and each modality's weight.
    public func fuse(face: FaceAggregate?, voice: VoiceAggregate?) -> FusedAggregate {
        fuse(
            faceProbs: face?.probs, faceConfidence: face?.confidence, voiceProbs: voice?.probs,
            voiceConfidence: voice?.confidence)
    }

    /// Fuses face probabilities (by face label) with voice probabilities (by voice label), each
    /// with its modality's confidence; a modality without an answer is nil.
    ///
    /// A modality whose probabilities are all 0 (for the voice: once mapped into face labels) counts as absent.
    ///
    /// - Parameters:
    ///   - faceProbs: probabilities by face label; nil when the face gave no answer.
    ///   - faceConfidence: the face answer's confidence; nil when there is none.
    ///   - voiceProbs: probabilities by voice label, mapped through `settings.voiceToFace`; nil when there is none.
    ///   - voiceConfidence: the voice answer's confidence; nil when there is none.
    /// - Returns: the fused answer: weighted, one modality alone (the other absent or below `minConfidence`), or
    ///   none at all.
    public func fuse(
        faceProbs: [String: Double]?, faceConfidence: Double?, voiceProbs: [String: Double]?,
        voiceConfidence: Double?
    ) -> FusedAggregate {
        let faceAnswer = answer(faceProbs, faceConfidence)
        let voiceAnswer = answer(mapped(voiceProbs), voiceConfidence)
        switch (faceAnswer, voiceAnswer) {
        case (nil, nil):
            return FusedAggregate(
                emotion: nil, confidence: nil, probs: nil, method: .none, faceWeight: 0, voiceWeight: 0,
                note: "neither face nor voice gave an answer")
        case (let face?, nil):
            return single(face, method: .faceOnly, note: "no voice answer")
        case (nil, let voice?):
            return single(voice, method: .voiceOnly, note: "no face answer")
        case (let face?, let voice?):
            let faceUsable = face.confidence >= settings.minConfidence
            let voiceUsable = voice.confidence >= settings.minConfidence
            if faceUsable, !voiceUsable { return single(face, method: .faceOnly, note: lowNote("voice", voice)) }
            if voiceUsable, !faceUsable { return single(voice, method: .voiceOnly, note: lowNote("face", face)) }
            // Both usable, or both weak: weighing them is still better than picking one.
            return weighted(face, voice, note: faceUsable ? nil : "both below min_confidence \(settings.minConfidence)")
        }
    }

    // MARK: Steps

    private struct Answer {
        var probs: [Double]
        var confidence: Double
    }

    /// Probabilities in face-label order, with the modality's own confidence.
    private func answer(_ probs: [String: Double]?, _ confidence: Double?) -> Answer? {
        guard let probs, let confidence else { return nil }
        let ordered = labels.map { probs[$0] ?? 0 }
        guard ordered.contains(where: { $0 > 0 }) else { return nil }
        return Answer(probs: ordered, confidence: confidence)
    }

    /// Voice probabilities summed into face labels, renormalised over the labels that map.
    private func mapped(_ probs: [String: Double]?) -> [String: Double]? {
        guard let probs else { return nil }
        var sums: [String: Double] = [:]
        for (label, value) in probs {
            if let target = settings.voiceToFace[label] { sums[target, default: 0] += value }
        }
        let total = sums.values.reduce(0, +)
        guard total > 0 else { return nil }
        return sums.mapValues { $0 / total }
    }

    private func weighted(_ face: Answer, _ voice: Answer, note: String?) -> FusedAggregate {
        let faceMass = settings.faceWeight * face.confidence, voiceMass = settings.voiceWeight * voice.confidence
        let total = faceMass + voiceMass
        let (faceWeight, voiceWeight) = total > 0 ? (faceMass / total, voiceMass / total) : (0.5, 0.5)
        let fused = zip(face.probs, voice.probs).map { faceWeight * $0 + voiceWeight * $1 }
        return result(fused, method: .weighted, faceWeight: faceWeight, voiceWeight: voiceWeight, note: note)
    }

    private func single(_ answer: Answer, method: FusedAggregate.Method, note: String) -> FusedAggregate {
        result(
            answer.probs, method: method, faceWeight: method == .faceOnly ? 1 : 0,
            voiceWeight: method == .voiceOnly ? 1 : 0, note: note)
    }

    private func result(
        _ probs: [Double], method: FusedAggregate.Method, faceWeight: Double, voiceWeight: Double,
        note: String?
    ) -> FusedAggregate {
        let best = TopLabel.index(of: probs)!
        return FusedAggregate(
            emotion: labels[best], confidence: probs[best],
            probs: Dictionary(uniqueKeysWithValues: zip(labels, probs)), method: method,
            faceWeight: faceWeight, voiceWeight: voiceWeight, note: note)
    }

    private func lowNote(_ modality: String, _ answer: Answer) -> String {
        "\(modality) confidence \((answer.confidence * 100).rounded() / 100) is below min_confidence \(settings.minConfidence)"
    }
}
