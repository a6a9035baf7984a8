/// A stream's frame timestamps as time of content: where each frame falls once timestamp jumps
/// (a camera or muxer that restarted its clock) are taken out, so that samples spread over what
/// was recorded and not over a gap of hours with no frame in it.
///
/// A jump is a gap between consecutive frames of over a minute and over 1000 median frames; it
/// counts as one median frame. Built once per file from the planning scan.
struct ContentTimeline {
    /// Every frame's presentation timestamp, sorted, in the stream's time base.
    let timestamps: [Int64]
    /// The median distance between consecutive frames (0 for fewer than two frames).
    let medianGap: Int64
    /// Each frame's content time: its distance from the first frame with jumps shortened.
    let times: [Double]
    /// Indices `i` whose gap from frame `i - 1` is a jump.
    let jumps: [Int]

    /// `secondsPerTick` is the stream's time base as a number (`av_q2d`).
    init(timestamps: [Int64], secondsPerTick: Double) {
        self.timestamps = timestamps
        let gaps = zip(timestamps.dropFirst(), timestamps).map { $0 - $1 }
        medianGap = gaps.isEmpty ? 0 : gaps.sorted()[gaps.count / 2]
        let minute = secondsPerTick > 0 ? Int64(60 / secondsPerTick) : Int64.max
        let jump = max(1000 * medianGap, minute)
        var times: [Double] = timestamps.isEmpty ? [] : [0]
        var jumps: [Int] = []
        for (offset, gap) in gaps.enumerated() {
            if gap > jump { jumps.append(offset + 1) }
            times.append(times[offset] + Double(gap > jump ? medianGap : gap))
        }
        self.times = times
        self.jumps = jumps
    }

    /// The content's length in time-base units: the last frame lasts about as long as the median one.
    var span: Double { (times.last ?? 0) + Double(medianGap) }

    /// The `count` timestamps nearest to evenly spaced content times (each at the middle of its
    /// share, so neither the first nor the last instant is favoured); all of them when there
    /// are no more than `count`.
    func evenlySpaced(count: Int) -> [Int64] {
        guard count > 0, timestamps.count > count else { return timestamps }
        var chosen: [Int] = []
        for i in 0..<count {
            let wanted = (Double(i) + 0.5) * span / Double(count)
            var index = nearestIndex(of: wanted)
            if let previous = chosen.last, index <= previous { index = previous + 1 }
            guard index < timestamps.count else { break }
            chosen.append(index)
        }
        return chosen.map { timestamps[$0] }
    }

    private func nearestIndex(of value: Double) -> Int {
        var (low, high) = (0, times.count)
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < value { low = mid + 1 } else { high = mid }
        }
        if low == 0 { return 0 }
        if low == times.count { return times.count - 1 }
        return value - times[low - 1] <= times[low] - value ? low - 1 : low
    }
}
