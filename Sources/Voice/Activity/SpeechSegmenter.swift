import Model

// MARK: Values

/// A stretch of the audio, in samples at the reading rate.
public struct AudioSegment: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var kind: SegmentKind

    public init(start: Int, end: Int, kind: SegmentKind) {
        self.start = start
        self.end = end
        self.kind = kind
    }
}

/// The file-level finding of voice-activity detection.
public struct VoiceActivity: Sendable, Equatable {
    /// Loud and quiet levels of the file (95th and 10th percentiles of frame levels, dBFS).
    public var loudDB: Double
    public var quietDB: Double
    /// Level above which a frame counts as active.
    public var thresholdDB: Double
    /// True when the whole file is below `silenceBelowDB`.
    public var isSilent: Bool
    /// Utterances found, in time order; silence between them is not listed.
    public var segments: [AudioSegment]

    public var speech: [AudioSegment] { segments.filter { $0.kind == .speech } }
}

// MARK: Segmenter

/// Finds speech in a file's frame levels (from `LevelMeter`), relative to the file's own loud
/// and quiet levels.
public struct SpeechSegmenter: Sendable {
    public let options: VoiceActivityOptions
    public let sampleRate: Int

    public init(options: VoiceActivityOptions, sampleRate: Int) {
        self.options = options
        self.sampleRate = sampleRate
    }

    /// Where the speech is in a signal of `totalSamples` samples whose levels `meter` measured.
    ///
    /// - Parameters:
    ///   - meter: The finished meter of the whole signal, at `sampleRate`.
    ///   - totalSamples: The signal's length in samples: no segment ends after it.
    /// - Returns: The file's loud and quiet levels, the threshold, whether it is silent, and every utterance (speech or
    ///   not), padded by `paddingSeconds` and cut into pieces of at most `maxSegmentSeconds`.
    public func activity(in meter: LevelMeter, totalSamples: Int) -> VoiceActivity {
        let levels = meter.levels
        guard !levels.isEmpty else {
            return VoiceActivity(
                loudDB: Double(LevelMeter.floorDB), quietDB: Double(LevelMeter.floorDB),
                thresholdDB: 0, isSilent: true, segments: [])
        }
        let sorted = levels.sorted()
        let loud = Double(percentile(sorted, 0.95)), quiet = Double(percentile(sorted, 0.10))
        let threshold = max(loud - options.rangeDB, quiet + options.aboveFloorDB)
        guard loud >= options.silenceBelowDB else {
            return VoiceActivity(loudDB: loud, quietDB: quiet, thresholdDB: threshold, isSilent: true, segments: [])
        }
        let hopSeconds = Double(meter.hop) / Double(sampleRate)
        var segments: [AudioSegment] = []
        for frames in utterances(levels, threshold: Float(threshold), hopSeconds: hopSeconds) {
            let kind: SegmentKind = dipFraction(levels[frames]) >= options.minDipFraction ? .speech : .nonSpeech
            let padding = Int(options.paddingSeconds * Double(sampleRate))
            let start = max(0, meter.start(ofFrame: frames.lowerBound) - padding)
            let end = min(totalSamples, meter.start(ofFrame: frames.upperBound - 1) + meter.frameLength + padding)
            segments += split(start..<end).map { AudioSegment(start: $0.lowerBound, end: $0.upperBound, kind: kind) }
        }
        return VoiceActivity(loudDB: loud, quietDB: quiet, thresholdDB: threshold, isSilent: false, segments: segments)
    }

    // MARK: Steps

    /// Runs of active frames, joined across short pauses, without the too-short ones.
    private func utterances(_ levels: [Float], threshold: Float, hopSeconds: Double) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var index = 0
        while index < levels.count {
            guard levels[index] > threshold else {
                index += 1
                continue
            }
            let start = index
            while index < levels.count, levels[index] > threshold { index += 1 }
            if let last = runs.last, Double(start - last.upperBound) * hopSeconds < options.mergeGapSeconds {
                runs[runs.count - 1] = last.lowerBound..<index
            } else {
                runs.append(start..<index)
            }
        }
        return runs.filter { Double($0.count) * hopSeconds >= options.minSpeechSeconds }
    }

    /// Fraction of frames more than 10 dB below the stretch's 90th-percentile level.
    private func dipFraction(_ levels: ArraySlice<Float>) -> Double {
        let loud = percentile(levels.sorted(), 0.90)
        return Double(levels.filter { $0 < loud - 10 }.count) / Double(levels.count)
    }

    /// `range` cut into the fewest equal pieces no longer than `maxSegmentSeconds`.
    private func split(_ range: Range<Int>) -> [Range<Int>] {
        let maxLength = max(1, Int(options.maxSegmentSeconds * Double(sampleRate)))
        let pieces = (range.count + maxLength - 1) / maxLength
        guard pieces > 1 else { return [range] }
        return (0..<pieces).map { piece in
            range.lowerBound + range.count * piece / pieces..<range.lowerBound + range.count * (piece + 1) / pieces
        }
    }

    /// Nearest-rank percentile of ascending `sorted` values.
    private func percentile(_ sorted: [Float], _ fraction: Double) -> Float {
        sorted[min(sorted.count - 1, Int((fraction * Double(sorted.count - 1)).rounded()))]
    }
}
