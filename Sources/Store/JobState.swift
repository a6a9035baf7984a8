/// Where a job is in its life: waiting, held by a worker, or finished either way.
public enum JobState: String, Sendable, CaseIterable {
    case queued, running, done, failed
}
