import AsyncAlgorithms
import Foundation
import Media
import Model
import Voice

/// The voice branch for one file: read the audio once for its levels, find the speech relative
/// to them, then read it again and classify each speech segment while the next is decoded.
///
/// Two passes because "loud" and "quiet" are the file's own: the threshold that separates speech
/// from pauses is known only once the whole file has been heard, and keeping the levels (one
/// number per 23 ms) is cheap where keeping the audio is not.
public struct VoiceStage: Sendable {
    public let activity: VoiceActivityOptions
    public let classifier: VoiceClassifier
    /// Identifies the spoken language from the classified speech, when the pipeline asks.
    public let language: SpokenLanguage?
    /// At most this much speech is classified, in segments spread evenly over the file.
    public let maxSpeechSeconds: Double

    public init(
        activity: VoiceActivityOptions, classifier: VoiceClassifier, language: SpokenLanguage? = nil,
        maxSpeechSeconds: Double = SamplingOptions().maxSpeechSeconds
    ) {
        self.activity = activity
        self.classifier = classifier
        self.language = language
        self.maxSpeechSeconds = maxSpeechSeconds
    }

    /// What the branch found, with the audio stream's facts and anything worth a warning.
    public struct Outcome: Sendable {
        public var report: VoiceReport
        /// Set when the audio ends before its declared duration.
        public var truncation: Truncation?
        public var warnings: [String]
        public var seconds: Double
        /// The spoken language, when asked for and there was speech.
        public var language: LanguageAggregate?
    }

    /// Audio shorter than this cannot hold an utterance, whatever its level.
    public static let shortestAudio = 0.2

    /// Runs the voice branch on the file at `path`: its levels, its speech segments, and each one's probabilities.
    ///
    /// - Parameter path: the file; its audio is read once for the levels, and a second time when there is speech.
    /// - Returns: the report (status, levels, every segment, probabilities for the speech ones), the audio's
    ///   truncation and warnings, and the seconds the branch took.
    /// - Throws: `MediaError` when the audio cannot be opened or decoded; `AudioFeatureError` or `OpenCVError` when a
    ///   segment's features or the voice model fail.
    public func run(path: String) async throws -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let sampleRate = classifier.spec.sampleRate
        let (levels, found) = try Self.findSpeech(in: path, activity: activity, sampleRate: sampleRate)

        let audioSeconds = Double(levels.samples) / Double(sampleRate)
        var report = VoiceReport(
            status: .speech, error: nil, audioSeconds: audioSeconds, loudDb: found.loudDB,
            quietDb: found.quietDB, thresholdDb: found.thresholdDB, segments: [])
        let row = { (segment: AudioSegment) in
            VoiceSegmentRow(
                t0: levels.startTime + Double(segment.start) / Double(sampleRate),
                t1: levels.startTime + Double(segment.end) / Double(sampleRate), kind: segment.kind,
                levelDb: Self.meanLevel(of: segment, in: levels.meter), probs: nil)
        }
        var rows = found.segments.map(row)
        var language: LanguageAggregate?
        var warnings = levels.warnings
        if audioSeconds < Self.shortestAudio {
            report.status = .tooShort
            rows = []
        } else if found.isSilent {
            report.status = .silent
        } else if found.speech.isEmpty {
            report.status = .noSpeech
        } else {
            let chosen = Self.spread(found.speech, within: Int(maxSpeechSeconds * Double(sampleRate)))
            if chosen.count < found.speech.count {
                warnings.append(
                    String(
                        format: "%.0f s of the %.0f s of speech classified, in %d of its %d segments spread over the "
                            + "file (sampling.max_speech_seconds)", Self.duration(of: chosen, sampleRate: sampleRate),
                        Self.duration(of: found.speech, sampleRate: sampleRate), chosen.count, found.speech.count))
            }
            let (probabilities, speech) = try await classify(chosen, path: path)
            language = try self.language?.identify(speech: speech)
            let chosenStarts = Set(chosen.map(\.start))
            var chosenIndex = 0
            for (index, segment) in found.segments.enumerated() where chosenStarts.contains(segment.start) {
                rows[index].probs = probabilities[chosenIndex]
                chosenIndex += 1
            }
            if let heard = language, let spoken = self.language, spoken.isNoise(heard) {
                warnings.append(
                    String(
                        format: "Whisper hears no speech in the %.1f s the speech finder kept (no-speech probability "
                            + "%.2f, above %.2f): taken for noise", heard.speechSeconds, heard.noSpeech ?? 0,
                        spoken.noSpeechAbove))
                Self.markNoise(
                    heardSamples: speech.count, segments: found.segments, classified: chosenStarts, rows: &rows)
                if !rows.contains(where: { $0.kind == .speech }) { report.status = .noSpeech }
                language = nil
            }
        }
        report.segments = rows
        return Outcome(
            report: report, truncation: levels.truncation, warnings: warnings,
            seconds: seconds(clock.now - started), language: language)
    }

    /// The speech segments of the file at `path` as this stage would classify them, each with
    /// its audio: what a voice model is trained on, so that training sees what analysis will.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - activity: how speech is told from pauses and other sound: the pipeline's `voice` settings.
    ///   - sampleRate: the rate, in Hz, the audio is read at: the voice model's.
    /// - Returns: the speech segments with their samples, in time order; empty for silent audio or no speech.
    /// - Throws: `MediaError` when the audio cannot be opened or decoded.
    public static func speech(in path: String, activity: VoiceActivityOptions, sampleRate: Int) throws -> [SegmentAudio]
    {
        let found = try findSpeech(in: path, activity: activity, sampleRate: sampleRate).activity
        guard !found.isSilent, !found.speech.isEmpty else { return [] }
        let reader = try AudioReader(file: try MediaFile(path: path), sampleRate: sampleRate)
        var collector = SegmentCollector(segments: found.speech)
        var segments: [SegmentAudio] = []
        while let chunk = try reader.next() { segments += collector.consume(chunk.samples) }
        return segments + collector.finish()
    }

    // MARK: Passes

    private struct Levels {
        var meter: LevelMeter
        var samples: Int
        var startTime: Double
        var truncation: Truncation?
        var warnings: [String]
    }

    /// First pass, and the speech found in it relative to the file's own levels.
    private static func findSpeech(
        in path: String, activity options: VoiceActivityOptions,
        sampleRate: Int
    ) throws -> (levels: Levels, activity: VoiceActivity) {
        let levels = try measureLevels(path: path, sampleRate: sampleRate)
        return (
            levels,
            SpeechSegmenter(options: options, sampleRate: sampleRate)
                .activity(in: levels.meter, totalSamples: levels.samples)
        )
    }

    /// Frame levels of the whole audio stream.
    private static func measureLevels(path: String, sampleRate: Int) throws -> Levels {
        let reader = try AudioReader(file: try MediaFile(path: path), sampleRate: sampleRate)
        var meter = LevelMeter()
        var startTime: Double?
        while let chunk = try reader.next() {
            if startTime == nil { startTime = chunk.time }
            meter.consume(chunk.samples)
        }
        meter.finish()
        return Levels(
            meter: meter, samples: reader.stats.samples, startTime: startTime ?? 0, truncation: reader.truncation,
            warnings: reader.warnings)
    }

    /// Second pass: decodes in one task and classifies the segments it cuts, one per core at
    /// most, joined by a channel that holds no segment of its own (on a worker's lane they take
    /// turns; a file analysed alone has the cores its video branch leaves idle, and a long
    /// recording's voice is its longest branch). Returns each segment's probabilities by label, in
    /// order, and, when the language is to be identified, the first `SpokenLanguage.maxSeconds` of
    /// the speech joined end to end.
    private func classify(
        _ segments: [AudioSegment], path: String
    ) async throws -> (probabilities: [[String: Double]?], speech: [Float]) {
        let keep = language == nil ? 0 : Int(SpokenLanguage.maxSeconds) * classifier.spec.sampleRate
        var speech: [Float] = []
        let channel = AsyncThrowingChannel<SegmentAudio, Error>()
        async let decoding: Void = Self.cut(segments, from: path, sampleRate: classifier.spec.sampleRate, into: channel)
        let classifier = self.classifier
        let mostAtOnce = ProcessInfo.processInfo.activeProcessorCount
        var byStart: [Int: [String: Double]] = [:]
        try await withThrowingTaskGroup(of: (start: Int, probabilities: [Float]).self) { group in
            func record(_ done: (start: Int, probabilities: [Float])) {
                byStart[done.start] = Dictionary(
                    uniqueKeysWithValues: zip(
                        classifier.spec.labels,
                        done.probabilities.map(Double.init)))
            }
            var running = 0
            for try await audio in channel {
                if speech.count < keep { speech += audio.samples.prefix(keep - speech.count) }
                if running == mostAtOnce, let done = try await group.next() {
                    record(done)
                    running -= 1
                }
                group.addTask { (audio.segment.start, try classifier.classify(samples: audio.samples)) }
                running += 1
            }
            for try await done in group { record(done) }
        }
        try await decoding
        return (segments.map { byStart[$0.start] }, speech)
    }

    private static func cut(
        _ segments: [AudioSegment], from path: String, sampleRate: Int,
        into channel: AsyncThrowingChannel<SegmentAudio, Error>
    ) async throws {
        do {
            let reader = try AudioReader(file: try MediaFile(path: path), sampleRate: sampleRate)
            var collector = SegmentCollector(segments: segments)
            while !Task.isCancelled, let chunk = try reader.next() {
                for audio in collector.consume(chunk.samples) { await channel.send(audio) }
            }
            for audio in collector.finish() { await channel.send(audio) }
            channel.finish()
        } catch {
            channel.fail(error)
            throw error
        }
    }

    // MARK: Helpers

    /// The speech segments to classify: all of them when they fit in `budget` samples, else as
    /// many as fit, evenly spaced through the file as sampled frames are (every k-th, for the
    /// largest count whose segments fit), so that a long recording's answer speaks for all of it.
    static func spread(_ segments: [AudioSegment], within budget: Int) -> [AudioSegment] {
        func length(_ chosen: [AudioSegment]) -> Int { chosen.reduce(0) { $0 + $1.end - $1.start } }
        guard length(segments) > budget, let shortest = segments.map({ $0.end - $0.start }).min() else {
            return segments
        }
        var count = min(segments.count, max(1, budget / max(1, shortest)))
        while true {
            let chosen = (0..<count).map { segments[($0 * segments.count + segments.count / 2) / count] }
            if count == 1 || length(chosen) <= budget { return chosen }
            count -= 1
        }
    }

    private static func duration(of segments: [AudioSegment], sampleRate: Int) -> Double {
        Double(segments.reduce(0) { $0 + $1.end - $1.start }) / Double(sampleRate)
    }

    /// Makes non-speech, without probabilities, the classified segments whose audio the language
    /// step heard (the first `heardSamples` of their speech, joined in time order).
    private static func markNoise(
        heardSamples: Int, segments: [AudioSegment], classified: Set<Int>, rows: inout [VoiceSegmentRow]
    ) {
        var covered = 0
        for (index, segment) in segments.enumerated() where classified.contains(segment.start) && covered < heardSamples
        {
            covered += segment.end - segment.start
            rows[index].kind = .nonSpeech
            rows[index].probs = nil
        }
    }

    /// Mean power of the level frames inside `segment`, in dBFS.
    private static func meanLevel(of segment: AudioSegment, in meter: LevelMeter) -> Double? {
        let first = segment.start / meter.hop, last = min(meter.levels.count, max(first + 1, segment.end / meter.hop))
        guard first < last else { return nil }
        let power = meter.levels[first..<last].reduce(0.0) { $0 + pow(10, Double($1) / 10) } / Double(last - first)
        return (10 * log10(power) * 10).rounded() / 10
    }
}
