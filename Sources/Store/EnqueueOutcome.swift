/// What `enqueue` did with one request.
public enum EnqueueOutcome: Sendable, Equatable {
    case added
    /// `--force` put an existing job back in the queue.
    case requeued
    /// A job with the same content and pipeline exists, in `state`, for `path` (which differs from
    /// the request's when the same content was queued under another name).
    case skipped(state: JobState, path: String)
}
