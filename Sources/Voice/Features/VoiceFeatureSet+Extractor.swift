import Model

extension VoiceFeatureSet {
    /// The extractor of this set, for emoscan's own voice models.
    ///
    /// - Parameters:
    ///   - sampleRate: the rate of the segments; Whisper's sets need 16000.
    ///   - whisper: the encoder, for the Whisper sets; nil otherwise.
    ///   - layer: the encoder layer to pool, 1 to 7, for the Whisper sets.
    ///   - paddedSeconds: what a Whisper set pads segments to before encoding (0: nothing; at most 30).
    /// - Returns: the extractor, or nil for `librosa181` (the ONNX model's own features) and for a
    ///   Whisper set without an encoder and layer or at another rate.
    public func extractor(
        sampleRate: Int, whisper: WhisperEncoder?, layer: Int?, paddedSeconds: Double = 0
    ) -> (any SegmentFeatures)? {
        switch self {
        case .librosa181: return nil
        case .emotion: return EmotionFeatures(sampleRate: sampleRate)
        case .whisper, .whisperEmotion:
            guard let whisper, let layer, (1...WhisperEncoder.blockCount + 1).contains(layer),
                (0...WhisperFeatures.maxPaddedSeconds).contains(paddedSeconds), sampleRate == WhisperLogMel.sampleRate
            else { return nil }
            let pooled = WhisperFeatures(encoder: whisper, layer: layer, paddedSeconds: paddedSeconds)
            return self == .whisper ? pooled : CombinedFeatures([pooled, EmotionFeatures(sampleRate: sampleRate)])
        }
    }
}
