/// The queue at a glance, for `emoscan status` and the progress line.
public struct QueueCounts: Sendable, Equatable {
    public var queued = 0
    public var running = 0
    public var done = 0
    public var failed = 0
    /// Of `queued`, how many wait for a retry delay to pass.
    public var waitingToRetry = 0
    /// Jobs finished (done or failed) per minute over the last ten minutes of activity; nil when none finished.
    public var perMinute: Double?

    public init() {}

    public var total: Int { queued + running + done + failed }
    public var remaining: Int { queued + running }

    /// Seconds until the queue is empty at `perMinute`; nil when there is no rate to go by.
    public var etaSeconds: Double? {
        guard let perMinute, perMinute > 0 else { return remaining == 0 ? 0 : nil }
        return Double(remaining) / perMinute * 60
    }
}
