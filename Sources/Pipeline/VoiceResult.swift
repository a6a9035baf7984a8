import Media
import Voice

// MARK: Voice rows

/// What the voice branch found in a file: whether there was speech, and each segment's answer.
public struct VoiceReport: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Speech was found and classified.
        case speech
        /// The audio is silent (its loud level is below `voice.silence_below_db`).
        case silent
        /// There is sound, but none of it has the rhythm of speech (a tone, music, steady noise).
        case noSpeech = "no_speech"
        /// The audio is too short to hold an utterance (under `VoiceStage.shortestAudio`).
        case tooShort = "too_short"
        /// The file has no audio stream.
        case noAudio = "no_audio"
        /// The voice branch is turned off (`--no-audio` or the pipeline's `modalities.voice`).
        case disabled
        /// The audio could not be read; `error` says why.
        case failed
    }

    public var status: Status
    public var error: String?
    /// Seconds of audio decoded.
    public var audioSeconds: Double?
    /// Loud and quiet levels of the file (95th and 10th percentiles of 46 ms frames, dBFS), and
    /// the level above which a frame counted as active.
    public var loudDb: Double?
    public var quietDb: Double?
    public var thresholdDb: Double?
    /// Every utterance found, speech or not, in time order; silence between them is not listed.
    public var segments: [VoiceSegmentRow]

    static func absent(_ status: Status, error: String? = nil) -> VoiceReport {
        VoiceReport(status: status, error: error, audioSeconds: nil, loudDb: nil, quietDb: nil, thresholdDb: nil, segments: [])
    }
}

/// One stretch of sound.
public struct VoiceSegmentRow: Codable, Sendable, Equatable {
    /// Start and end, in seconds from the start of the audio.
    public var t0: Double
    public var t1: Double
    public var kind: AudioSegment.Kind
    /// Mean level over the segment, dBFS.
    public var levelDb: Double?
    /// Class probabilities by the voice model's labels (speech segments only).
    public var probs: [String: Double]?

    public init(t0: Double, t1: Double, kind: AudioSegment.Kind, levelDb: Double?, probs: [String: Double]?) {
        self.t0 = t0
        self.t1 = t1
        self.kind = kind
        self.levelDb = levelDb
        self.probs = probs
    }
}

// MARK: Voice aggregate

/// The voice modality's answer for a file.
public struct VoiceAggregate: Codable, Sendable, Equatable {
    /// The label with the highest duration-weighted mean probability over speech segments.
    public var emotion: String?
    public var confidence: Double?
    public var probs: [String: Double]?
    /// How many speech segments had each label as their top class.
    public var counts: [String: Int]
    /// The classes the voice model knows: an answer can only be one of them.
    public var labels: [String]
    public var segmentsSpeech: Int
    public var speechSeconds: Double
    public var method: String

    /// Averages the speech segments' probabilities, each weighted by its duration (a long
    /// sentence says more than a short interjection). Ties go to the earlier label.
    public init(segments: [VoiceSegmentRow], labels: [String]) {
        let speech = segments.filter { $0.kind == .speech && $0.probs != nil }
        self.labels = labels
        segmentsSpeech = speech.count
        speechSeconds = speech.reduce(0) { $0 + ($1.t1 - $1.t0) }
        method = "duration-weighted mean of segment probabilities"
        counts = Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) })
        guard !speech.isEmpty else {
            emotion = nil
            confidence = nil
            probs = nil
            return
        }
        var sums = [Double](repeating: 0, count: labels.count)
        var weights = 0.0
        for segment in speech {
            let weight = max(segment.t1 - segment.t0, 1e-6)
            let values = labels.map { segment.probs?[$0] ?? 0 }
            for (index, value) in values.enumerated() { sums[index] += weight * value }
            weights += weight
            if let top = values.indices.max(by: { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }) {
                counts[labels[top], default: 0] += 1
            }
        }
        let means = sums.map { $0 / weights }
        let best = means.indices.max { means[$0] < means[$1] || (means[$0] == means[$1] && $0 > $1) }!
        emotion = labels[best]
        confidence = means[best]
        probs = Dictionary(uniqueKeysWithValues: zip(labels, means))
    }
}
