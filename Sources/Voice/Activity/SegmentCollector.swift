/// One segment's samples, cut from the stream.
public struct SegmentAudio: Sendable {
    public var segment: AudioSegment
    public var samples: [Float]
}

/// Cuts known segments out of a signal that arrives in chunks, holding only the samples of the
/// segment being collected: a long recording never sits in memory whole.
public struct SegmentCollector: Sendable {
    private let segments: [AudioSegment]
    private var next = 0
    /// Samples from `bufferStart` on, kept because a pending segment needs them.
    private var buffer: [Float] = []
    private var bufferStart = 0
    /// Samples consumed so far.
    private var position = 0

    /// `segments` must be in time order; they may touch or overlap.
    ///
    /// - Parameter segments: The stretches to cut, in samples from the signal's start.
    public init(segments: [AudioSegment]) {
        self.segments = segments.sorted { $0.start < $1.start }
    }

    /// Takes the next chunk of the signal and returns the segments it completes.
    ///
    /// - Parameter samples: The chunk, continuing the signal where the last one ended.
    /// - Returns: The segments this chunk completes, by start, each with its samples.
    public mutating func consume(_ samples: [Float]) -> [SegmentAudio] {
        let chunkStart = position
        position += samples.count
        guard next < segments.count else { return [] }
        let keepFrom = max(chunkStart, segments[next].start)
        if buffer.isEmpty { bufferStart = keepFrom }
        if keepFrom < position { buffer.append(contentsOf: samples[(keepFrom - chunkStart)...]) }
        var completed: [SegmentAudio] = []
        while next < segments.count, segments[next].end <= position {
            completed.append(cut(segments[next], until: segments[next].end))
            next += 1
        }
        if next < segments.count {
            let unneeded = min(buffer.count, max(0, segments[next].start - bufferStart))
            buffer.removeFirst(unneeded)
            bufferStart += unneeded
        } else {
            buffer = []
        }
        return completed
    }

    /// Ends the signal: segments that began but did not end (the audio was shorter than
    /// expected) come out cut short; those that never began are dropped.
    ///
    /// - Returns: The segments cut short, by start.
    public mutating func finish() -> [SegmentAudio] {
        var completed: [SegmentAudio] = []
        while next < segments.count, segments[next].start < position {
            completed.append(cut(segments[next], until: position))
            next += 1
        }
        next = segments.count
        buffer = []
        return completed
    }

    private func cut(_ segment: AudioSegment, until end: Int) -> SegmentAudio {
        let from = segment.start - bufferStart, to = min(end, segment.end) - bufferStart
        var cut = segment
        cut.end = min(end, segment.end)
        return SegmentAudio(segment: cut, samples: Array(buffer[from..<to]))
    }
}
