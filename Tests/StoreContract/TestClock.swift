import Foundation

/// A clock the test moves by hand: the store's clock in contract checks.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    public init() {}

    public var now: Date { lock.withLock { current } }

    public func advance(_ seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}
