import Foundation

/// How often a job is tried, and how long it waits between tries.
public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    /// The wait after the first failed try; it doubles after each one.
    public var firstDelay: TimeInterval

    public init(maxAttempts: Int = 3, firstDelay: TimeInterval = 30) {
        self.maxAttempts = maxAttempts
        self.firstDelay = firstDelay
    }

    /// The wait before try `attempts + 1`.
    ///
    /// - Parameter attempts: the tries made so far, the failed one included.
    /// - Returns: `firstDelay` after the first (and for 0), doubling with each try after it.
    public func delay(after attempts: Int) -> TimeInterval {
        firstDelay * pow(2, Double(max(0, attempts - 1)))
    }
}
