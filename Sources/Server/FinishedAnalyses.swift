import Foundation

/// The finished analyses read lately, by id, kept for a moment: a client polling a result, or a
/// dashboard showing one, is answered without two reads of the store each time. A finished
/// analysis rarely changes (only `queue retry-failed`, or the same file analysed again with
/// another pipeline, change it), and such a change shows within `lifetime`. Unfinished ones are
/// never kept, so a poll sees its job finish at once.
final class FinishedAnalyses: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [Int64: (analysis: Analysis, until: ContinuousClock.Instant)] = [:]
    private let lifetime: Duration
    private let capacity: Int

    /// - Parameters:
    ///   - lifetime: how long an analysis is answered from memory.
    ///   - capacity: the most analyses kept; past it, the expired ones go, then all.
    init(lifetime: Duration = .seconds(2), capacity: Int = 1024) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The analysis `id`, when it was kept less than `lifetime` ago.
    func analysis(_ id: Int64) -> Analysis? {
        lock.withLock {
            guard let entry = kept[id], ContinuousClock.now < entry.until else { return nil }
            return entry.analysis
        }
    }

    /// Keeps `analysis` when it is finished.
    func keep(_ analysis: Analysis) {
        guard analysis.isFinished else { return }
        let now = ContinuousClock.now
        lock.withLock {
            if kept.count >= capacity {
                kept = kept.filter { now < $0.value.until }
                if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
            }
            kept[analysis.job.id] = (analysis, now + lifetime)
        }
    }
}
